// Start-up of `absurd-top --demo`, cold (empty cache: initdb + schema + history) and warm
// (cached data directory). Each run is a fresh process, so module loading counts too; times
// are from process start (performance.now()):
//   first output   the first progress line (the console's first frame while it waits);
//   demo ready     startDemo() resolved: server up, simulation running;
//   live data      the first successful snapshot through the production reader (createPool +
//                  createDbReader + snapshot(), exactly what the console's poller does).
// Usage: node --import tsx bench/demo-startup.ts [--flavour dsa110-v2] [--runs 3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface Timing { firstOutputMs: number; readyMs: number; liveDataMs: number; fresh: boolean }

async function child(flavour: string): Promise<void> {
  let firstOutputMs = -1;
  const onProgress = (): void => { if (firstOutputMs < 0) firstOutputMs = performance.now(); };
  const { startDemo } = await import('../src/demo/start-demo.js');
  const demo = await startDemo({ flavour: flavour as 'dsa110-v2', onProgress });
  const readyMs = performance.now();
  const { configSchema } = await import('../src/config/schema.js');
  const { demoConfig } = await import('../src/demo/demo-runtime.js');
  const { createPool } = await import('../src/data/pg/connect.js');
  const { createDbReader } = await import('../src/data/flavours/create-reader.js');
  const config = demoConfig(configSchema.parse({}), demo.url, demo.flavour);
  const pool = createPool(config);
  const reader = await createDbReader(pool, config);
  const snapshot = await reader.snapshot();
  const liveDataMs = performance.now();
  if (snapshot.queues.length === 0) throw new Error('the first snapshot has no queues');
  await pool.end();
  await demo.stop();
  const timing: Timing = { firstOutputMs, readyMs, liveDataMs, fresh: demo.fresh };
  process.stdout.write(`${JSON.stringify(timing)}\n`);
}

function run(cacheDir: string, flavour: string): Timing {
  const script = fileURLToPath(import.meta.url);
  const result = spawnSync(process.execPath, [...process.execArgv, script, '--child', '--flavour', flavour], {
    env: { ...process.env, XDG_CACHE_HOME: cacheDir, XDG_STATE_HOME: cacheDir }, encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Timing;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { child: { type: 'boolean' }, flavour: { type: 'string', default: 'dsa110-v2' }, runs: { type: 'string', default: '3' } } });
  const flavour = values.flavour ?? 'dsa110-v2';
  if (values.child) return child(flavour);
  const runs = Number(values.runs);
  const rows: (Timing & { kind: string })[] = [];
  for (let i = 0; i < runs; i++) {
    const cache = mkdtempSync(join(tmpdir(), 'absurd-top-bench-'));
    try {
      rows.push({ kind: 'cold', ...run(cache, flavour) });
      rows.push({ kind: 'warm', ...run(cache, flavour) });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }
  const ms = (n: number): string => `${Math.round(n)} ms`.padStart(8);
  process.stdout.write(`demo start-up, flavour ${flavour}, node ${process.version}, times from process start\n`);
  process.stdout.write('run   first output  demo ready  live data\n');
  for (const r of rows) process.stdout.write(`${r.kind.padEnd(5)} ${ms(r.firstOutputMs)}    ${ms(r.readyMs)}  ${ms(r.liveDataMs)}${r.fresh === (r.kind === 'cold') ? '' : '  (unexpected fresh flag)'}\n`);
  for (const kind of ['cold', 'warm']) {
    const mine = rows.filter((r) => r.kind === kind);
    const median = (f: (r: Timing) => number): number => mine.map(f).sort((a, b) => a - b)[Math.floor(mine.length / 2)] ?? 0;
    process.stdout.write(`${kind} median: first output ${Math.round(median((r) => r.firstOutputMs))} ms, live data ${Math.round(median((r) => r.liveDataMs))} ms\n`);
  }
}

await main();
