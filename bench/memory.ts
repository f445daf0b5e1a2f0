// Memory and file descriptors over many refreshes against a changing database.
//
//   node --import tsx bench/memory.ts [--mode poller|console] [--refreshes 10000] [--tasks 100000]
//                                      [--refresh 0.1] [--flow 20] [--node-options '--max-semi-space-size=2']
//                                      [--snapshots]
//
// mode poller (default): the production Poller + createDbReader + pool in a child process on
//   the compiled code (dist/, with the bin's shebang node flags), ticking back to back; refreshes are counted exactly; the child
//   samples its own RSS, fds and heap. No UI: the console's own cost is mode console.
// mode console: the built console (node dist/src/cli.js --refresh 0.1) in a 120x40 tmux pane,
//   with units.localUnits false (the fake systemctl is a node script and would bound the rate);
//   RSS/fds read from /proc/<pid>; refreshes counted from the server's commit counter
//   (pg_stat_database.xact_commit) divided by the commits one refresh makes (calibrated first
//   with the same reader in this process), minus the flow's own statements.
// Both: a flow spawns/claims/completes --flow tasks a second through the flavour's functions
// (and appends a journal line each, so the console's log pane grows too).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heapGrowth } from './lib/heap-diff.js';
import pg from 'pg';
import { configSchema } from '../src/config/schema.js';
import { createPool } from '../src/data/pg/connect.js';
import { createDbReader } from '../src/data/flavours/create-reader.js';
import { Poller } from '../src/data/poller.js';
import type { HostSnapshot, UnitsSnapshot } from '../src/data/snapshot.js';
import {
  benchDatabase, consoleArgv, repoRoot, shebangNodeFlags, consoleWorld, ensureBuilt, fdCount, machineLine, mean, numberArg, rssKb, sleep, startFlow, table, Tmux,
} from './lib/harness.js';

interface Sample { refresh: number; rssKb: number; fds: number; heapKb?: number; retainedKb?: number }

const argv = process.argv.slice(2);
const mode = argv.includes('--mode') ? argv[argv.indexOf('--mode') + 1] : 'poller';
const refreshes = numberArg(argv, 'refreshes', 10_000);
const tasks = numberArg(argv, 'tasks', 100_000);
const refreshSec = numberArg(argv, 'refresh', 0.1);
const flowPerSec = numberArg(argv, 'flow', 20);
/** Heap snapshots after a full GC at a quarter and at the end, compared by type (slow: seconds each). */
const snapshots = argv.includes('--snapshots');
const snapshotDir = mkdtempSync(join(tmpdir(), 'absurd-top-heap-'));
/** Extra node flags for the console (experiments, e.g. --max-semi-space-size=2). */
const nodeOptions = argv.includes('--node-options') ? argv[argv.indexOf('--node-options') + 1] : '';

const units = { list: async (): Promise<UnitsSnapshot> => ({ units: [], problem: null }) };
const host = { snapshot: async (): Promise<HostSnapshot> => ({ disks: [], backlog: null, load: [], memUsedPct: null, problem: null }) };

async function xactCommits(admin: pg.Client, database: string): Promise<number> {
  await admin.query('select pg_stat_clear_snapshot()');
  const { rows } = await admin.query<{ n: string }>('select xact_commit::text as n from pg_stat_database where datname = $1', [database]);
  return Number(rows[0]?.n ?? 0);
}

/** Commits one refresh makes: K ticks of the same reader, then the pool ends (its backends flush their stats). */
async function commitsPerRefresh(url: string, database: string, admin: pg.Client): Promise<number> {
  const config = configSchema.parse({ database: url });
  const before = await xactCommits(admin, database);
  const pool = createPool(config);
  const poller = new Poller({ db: () => createDbReader(pool, config), units, host }, { intervalMs: 1 });
  await poller.refreshNow(); // detection + first refresh
  const k = 50;
  for (let i = 0; i < k; i++) await poller.refreshNow();
  await poller.stop();
  await pool.end();
  await sleep(500);
  const after = await xactCommits(admin, database);
  // 2 reads by this observer; the first refresh also ran detection: count it as a refresh.
  return Math.max(1, (after - before - 2) / (k + 1));
}

/**
 * The poller in a child process on the compiled code (plain node, no tsx loader in the figures):
 * the production Poller, reader and pool, ticking back to back; it samples itself.
 */
async function pollerMode(url: string): Promise<{ samples: Sample[]; seconds: number }> {
  ensureBuilt({ allowTypeErrors: true });
  const dist = (p: string) => JSON.stringify(new URL(`../dist/src/${p}`, `file://${repoRoot}bench/`).href);
  const script = `
    import { readFileSync, readdirSync } from 'node:fs';
    const { configSchema } = await import(${dist('config/schema.js')});
    const { createPool } = await import(${dist('data/pg/connect.js')});
    const { createDbReader } = await import(${dist('data/flavours/create-reader.js')});
    const { Poller } = await import(${dist('data/poller.js')});
    const { writeHeapSnapshot } = await import('node:v8');
    const [url, n, refreshSec, snapshotDir] = process.argv.slice(1);
    const config = configSchema.parse({ database: url, refreshSec: Number(refreshSec) });
    const pool = createPool(config);
    const units = { list: async () => ({ units: [], problem: null }) };
    const host = { snapshot: async () => ({ disks: [], backlog: null, load: [], memUsedPct: null, problem: null }) };
    const poller = new Poller({ db: () => createDbReader(pool, config), units, host }, { intervalMs: 1 });
    const every = Math.max(1, Math.floor(Number(n) / 200));
    const started = performance.now();
    for (let i = 1; i <= Number(n); i++) {
      await poller.refreshNow();
      if (poller.state.snapshot.dbProblem) throw new Error('refresh ' + i + ': ' + poller.state.snapshot.dbProblem.message);
      if (snapshotDir && (i === Math.floor(Number(n) / 4) || i === Number(n))) { globalThis.gc(); writeHeapSnapshot(snapshotDir + '/' + (i === Number(n) ? 'last' : 'first') + '.heapsnapshot'); }
      if (i % every === 0 || i === 1) {
        const rss = Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
        const heapKb = Math.round(process.memoryUsage().heapUsed / 1024);
        // Every 10th sample: what survives a full GC, the figure a leak would make grow.
        let retainedKb;
        if ((i / every) % 10 === 0) { globalThis.gc(); retainedKb = Math.round(process.memoryUsage().heapUsed / 1024); }
        console.log(JSON.stringify({ refresh: i, rssKb: rss, fds: readdirSync('/proc/self/fd').length, heapKb, retainedKb }));
      }
    }
    console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000 }));
    await poller.stop();
    await pool.end();`;
  // The same node flags as the bin's shebang, so the figures are the shipped configuration's.
  const child = spawn(process.execPath, [...shebangNodeFlags(), '--expose-gc', '--input-type=module', '-e', script, url, String(refreshes), String(refreshSec), snapshots ? snapshotDir : ''], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`poller child exited with ${code}`);
  const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Sample & { seconds?: number });
  return { samples: lines.filter((l) => l.seconds === undefined), seconds: lines.at(-1)?.seconds ?? NaN };
}

/** Asks the console's probe for a heap snapshot (SIGUSR2) and waits until it is written. */
async function snapshot(pid: number, name: string): Promise<void> {
  process.kill(pid, 'SIGUSR2');
  const file = join(snapshotDir, `${name}.heapsnapshot`);
  const deadline = performance.now() + 120_000;
  while (!existsSync(file) && performance.now() < deadline) await sleep(200);
}

async function consoleMode(url: string, database: string, admin: pg.Client, flowStatements: () => number): Promise<{ samples: Sample[]; seconds: number; perRefresh: number; usage: NodeJS.MemoryUsage[] }> {
  ensureBuilt();
  const perRefresh = await commitsPerRefresh(url, database, admin);
  // No local systemctl: the fake one is a node script (~100-300 ms a call), which would make it,
  // not absurd-top, the bound on the refresh rate. The units pane says "no units" instead.
  const world = await consoleWorld({ config: { units: { localUnits: false } } });
  const tmux = new Tmux();
  try {
    const startCommits = await xactCommits(admin, database);
    const startFlowStatements = flowStatements();
    let observerReads = 1;
    // A preloaded probe (NODE_OPTIONS --import) writes the console's process.memoryUsage() once a
    // second, so RSS can be split into V8 heap, external and the rest.
    const probe = join(world.dir, 'memory-probe.mjs');
    const usageFile = join(world.dir, 'usage.jsonl');
    writeFileSync(probe, `import { appendFileSync, renameSync } from 'node:fs';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
setInterval(() => appendFileSync(${JSON.stringify(usageFile)}, JSON.stringify(process.memoryUsage()) + '\\n'), 1000).unref();
let shots = 0;
process.on('SIGUSR2', () => {
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
  const name = ${JSON.stringify(snapshotDir)} + '/' + (shots++ === 0 ? 'first' : 'last');
  writeHeapSnapshot(name + '.partial');
  renameSync(name + '.partial', name + '.heapsnapshot');
});\n`);
    const pid = tmux.start('memory', [...consoleArgv(), '-d', url, '--refresh', String(refreshSec), '-c', world.configFile],
      { ...world.env, NODE_OPTIONS: `--import ${probe}${nodeOptions ? ` ${nodeOptions}` : ''}` });
    const started = performance.now();
    const samples: Sample[] = [];
    let firstShot = false;
    for (;;) {
      await sleep(1000);
      const commits = await xactCommits(admin, database);
      observerReads++;
      const done = Math.round((commits - startCommits - (flowStatements() - startFlowStatements) - observerReads) / perRefresh);
      samples.push({ refresh: done, rssKb: rssKb(pid), fds: fdCount(pid) });
      if (snapshots && !firstShot && done >= refreshes / 4) { firstShot = true; await snapshot(pid, 'first'); }
      if (done >= refreshes) {
        if (snapshots) await snapshot(pid, 'last');
        break;
      }
      if (samples.length % 60 === 0) process.stderr.write(`  ${done} refreshes, RSS ${Math.round(rssKb(pid) / 1024)} MB\n`);
    }
    const usage = readFileSync(usageFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as NodeJS.MemoryUsage);
    return { samples, seconds: (performance.now() - started) / 1000, perRefresh, usage };
  } finally {
    tmux.kill();
    await world.cleanup();
  }
}

async function main(): Promise<void> {
  process.stdout.write(`memory bench, mode ${mode}: ${refreshes} refreshes, ${tasks} tasks (dsa110-v2), flow ${flowPerSec}/s; ${machineLine()}\n`);
  const db = await benchDatabase(tasks);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const flow = flowPerSec > 0 ? startFlow(db.pool, flowPerSec) : { statements: 0, cycles: 0, stop: async () => undefined };
  try {
    const result = mode === 'console'
      ? await consoleMode(db.url, db.name, admin, () => flow.statements)
      : { ...(await pollerMode(db.url)), perRefresh: NaN, usage: [] as NodeJS.MemoryUsage[] };
    const { samples, seconds } = result;
    const quarter = (q: number) => samples.filter((s) => s.refresh > (q * refreshes) / 4 && s.refresh <= ((q + 1) * refreshes) / 4);
    const firstQ = quarter(0);
    const lastQ = quarter(3);
    const mb = (kb: number) => (kb / 1024).toFixed(1);
    const rows: (string | number)[][] = [
      ['refreshes', samples.at(-1)?.refresh ?? 0],
      ['seconds', seconds.toFixed(0)],
      ['refreshes / s', ((samples.at(-1)?.refresh ?? 0) / seconds).toFixed(1)],
      ['RSS first quarter, mean (MB)', mb(mean(firstQ.map((s) => s.rssKb)))],
      ['RSS last quarter, mean (MB)', mb(mean(lastQ.map((s) => s.rssKb)))],
      ['RSS max (MB, target <= 120)', mb(Math.max(...samples.map((s) => s.rssKb)))],
      ['fds first / last / max', `${samples[0]?.fds} / ${samples.at(-1)?.fds} / ${Math.max(...samples.map((s) => s.fds))}`],
    ];
    if (samples[0]?.heapKb !== undefined) {
      rows.push(['heap used first quarter / last quarter (MB)', `${mb(mean(firstQ.map((s) => s.heapKb!)))} / ${mb(mean(lastQ.map((s) => s.heapKb!)))}`]);
      const retained = samples.filter((s) => s.retainedKb !== undefined);
      if (retained.length > 0) rows.push(['heap retained after a full GC, by refresh (MB)', retained.map((s) => `${s.refresh}: ${mb(s.retainedKb!)}`).join(', ')]);
    }
    if (Number.isFinite(result.perRefresh)) rows.push(['commits per refresh (calibrated)', result.perRefresh.toFixed(2)]);
    const usage = result.usage;
    if (usage.length > 4) {
      const part = (from: number, to: number, f: (u: NodeJS.MemoryUsage) => number) => mb(mean(usage.slice(from, to).map(f)) / 1024);
      const q = Math.floor(usage.length / 4);
      for (const [label, f] of [['heap used', (u: NodeJS.MemoryUsage) => u.heapUsed], ['heap total (V8 reserved)', (u: NodeJS.MemoryUsage) => u.heapTotal],
        ['external + array buffers', (u: NodeJS.MemoryUsage) => u.external + u.arrayBuffers]] as const) {
        rows.push([`${label}, first / last quarter (MB)`, `${part(0, q, f)} / ${part(usage.length - q, usage.length, f)}`]);
      }
    }
    rows.push(['flow cycles', flow.cycles]);
    const [first, last] = ['first', 'last'].map((n) => join(snapshotDir, `${n}.heapsnapshot`));
    if (snapshots && existsSync(first!) && existsSync(last!)) {
      const growth = heapGrowth(first!, last!);
      rows.push([`heap snapshots (after GC) at 1/4 and at the end: kinds that grew > 20 kB`, growth.length === 0 ? 'none'
        : growth.slice(0, 8).map((g) => `${g.kind} +${(g.bytes / 1024).toFixed(0)} kB (+${g.count})`).join('; ')]);
    }
    process.stdout.write(`${table(['figure', 'value'], rows)}\n`);
    process.stdout.write(`samples (refresh: RSS MB, fds): ${samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 8)) === 0).map((s) => `${s.refresh}: ${mb(s.rssKb)}, ${s.fds}`).join('; ')}\n`);
    process.stdout.write(`after: ${machineLine()}\n`);
  } finally {
    await flow.stop();
    await admin.end();
    await db.drop();
    if (process.env.KEEP_SNAPSHOTS) process.stderr.write(`snapshots kept in ${snapshotDir}\n`);
    else rmSync(snapshotDir, { recursive: true, force: true });
  }
}

await main();
