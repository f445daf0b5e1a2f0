// Where absurd-top's CPU goes while it sits in a pane: a V8 CPU profile of the built console,
// summarised by package and by function, so idle-cost figures can be explained, not guessed.
//
//   node --import tsx bench/cpu-profile.ts [--seconds 40] [--tasks 100000] [--flow 3] [--phase idle|flowing] [--refresh 2]
//
// The console runs as in bench/idle-cost.ts (120x40 tmux pane, refresh 2 s, fake systemctl and
// journalctl), with NODE_OPTIONS=--cpu-prof; after 10 s of warm-up, nothing is measured by the
// bench itself: the profile covers the whole run, and the summary keeps only samples taken in
// the measured phase (by the profile's own timestamps). Quit with `q` so V8 writes the profile.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDatabase, benchQueue, builtCli, shebangNodeFlags, consoleWorld, ensureBuilt, machineLine, numberArg, poll, sleep, startFlow, table, Tmux } from './lib/harness.js';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

const argv = process.argv.slice(2);
const seconds = numberArg(argv, 'seconds', 40);
const tasks = numberArg(argv, 'tasks', 100_000);
const flowPerSec = numberArg(argv, 'flow', 3);
const phase = argv.includes('--phase') ? argv[argv.indexOf('--phase') + 1] : 'idle';
const refreshSec = numberArg(argv, 'refresh', 2);

function bucket(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes('/dist/src/')) return `absurd-top ${url.slice(url.indexOf('/dist/src/') + 10).split('/').slice(0, 2).join('/')}`;
  if (url.startsWith('node:')) return 'node core';
  return url;
}

function summarise(profile: Profile, fromUs: number, toUs: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) return;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    total += dt;
  });
  const byBucket = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const b = bucket(url, functionName);
    byBucket.set(b, (byBucket.get(b) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${b}:${lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  }
  const secs = (toUs - fromUs) / 1e6;
  const rows = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, us]) => [k, (us / 1000).toFixed(0), ((us / 1e6 / secs) * 100).toFixed(2)]);
  process.stdout.write(`busy ${(total / 1000).toFixed(0)} ms in ${secs.toFixed(0)} s = ${((total / 1e6 / secs) * 100).toFixed(2)} % of a core\n\n`);
  process.stdout.write(`${table(['package', 'self ms', '% of a core'], rows(byBucket, 20))}\n\n`);
  process.stdout.write(`${table(['function', 'self ms', '% of a core'], rows(byFn, 30))}\n`);
}

async function main(): Promise<void> {
  ensureBuilt();
  process.stdout.write(`cpu profile: phase ${phase}, ${seconds} s, ${tasks} tasks; ${machineLine()}\n`);
  const db = await benchDatabase(tasks);
    const world = await consoleWorld();
    // Idle means nothing happened lately: not the seed's newest tasks, not the fake units' start
    // (their uptime is an age on screen, which rightly ticks while under a minute).
    const seededAt = Date.now();
  const tmux = new Tmux();
  const profDir = mkdtempSync(join(tmpdir(), 'absurd-top-prof-'));
  try {
    // --cpu-prof is refused in NODE_OPTIONS: run node itself with the bin's shebang flags.
    tmux.start('absurd', ['node', ...shebangNodeFlags(), '--cpu-prof', `--cpu-prof-dir=${profDir}`, builtCli, '-d', db.url, '--refresh', String(refreshSec), '-c', world.configFile], world.env, 120, 40);
    await poll(() => tmux.capture('absurd').includes(benchQueue), 60_000, 100, 'live data');
    await sleep(10_000);
    await sleep(Math.max(0, seededAt + 62_000 - Date.now())); // the seed's newest tasks a minute old
    const flow = phase === 'flowing' ? startFlow(db.pool, flowPerSec, world.journal) : null;
    if (flow) await sleep(3000);
    const from = Date.now();
    await sleep(seconds * 1000);
    const to = Date.now();
    await flow?.stop();
    tmux.sendKeys('absurd', 'q');
    const file = await poll(() => readdirSync(profDir).find((f) => f.endsWith('.cpuprofile')), 20_000, 100, 'profile written');
    await sleep(500);
    const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as Profile;
    // The profile's clock is microseconds of a monotonic clock; anchor it at its end (quit).
    const endUs = profile.startTime + profile.timeDeltas.reduce((a, b) => a + b, 0);
    const quitAt = Date.now();
    summarise(profile, endUs - (quitAt - from) * 1000, endUs - (quitAt - to) * 1000);
    process.stdout.write(`\nprofile: ${join(profDir, file)}\n`);
  } finally {
    tmux.kill();
    await world.cleanup();
    await db.drop();
  }
}

await main();
