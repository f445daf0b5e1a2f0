// Where a running console's CPU goes by thread and by kind, to aim the next cut at the right
// place: /proc/<pid>/task/*/stat (user and system ticks per thread, named by V8/libuv), the
// process's page faults and context switches, and how many children it forked.
//
//   node --import tsx bench/thread-split.ts [--seconds 60] [--tasks 100000] [--flow 3] [--warmup 120]
//       [--phase flowing|idle] [--node-flags '…']   (flags replace the shebang's; add --trace-gc or
//       --trace-gc-nvp to count collections, their pauses and what survived them)
//
// The console runs as in bench/idle-cost.ts (120x40 tmux pane, refresh 2 s, fake systemctl and
// journalctl on PATH); measuring starts --warmup s after start. Children are counted by sampling
// /proc every 50 ms for new descendants (a fork that lives under 50 ms can be missed; the fake
// systemctl is a node script and lives ~100 ms).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  benchDatabase, benchQueue, clockTicks, consoleArgv, consoleWorld, descendants, ensureBuilt, machineLine, numberArg, poll, sleep, startFlow, table, Tmux,
} from './lib/harness.js';

const argv = process.argv.slice(2);
const seconds = numberArg(argv, 'seconds', 60);
const tasks = numberArg(argv, 'tasks', 100_000);
const flowPerSec = numberArg(argv, 'flow', 3);
const warmupSec = numberArg(argv, 'warmup', 120);
const phase = argv.includes('--phase') ? argv[argv.indexOf('--phase') + 1] : 'flowing';
const nodeFlags = argv.includes('--node-flags') ? argv[argv.indexOf('--node-flags') + 1]!.split(/\s+/).filter(Boolean) : null;

interface ThreadTicks { name: string; user: number; system: number }

/** After "pid (comm) ": fields[0] is state; minflt 10 → 7, majflt 12 → 9, utime 14 → 11, stime 15 → 12. */
function statFields(path: string): { comm: string; fields: string[] } {
  const stat = readFileSync(path, 'utf8');
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
}

function threads(pid: number): Map<string, ThreadTicks> {
  const out = new Map<string, ThreadTicks>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const { comm, fields } = statFields(`/proc/${pid}/task/${tid}/stat`);
      out.set(tid, { name: tid === String(pid) ? 'main (JS)' : comm, user: Number(fields[11]), system: Number(fields[12]) });
    } catch { /* thread gone */ }
  }
  return out;
}

function processCounters(pid: number): { minflt: number; majflt: number; voluntary: number; involuntary: number } {
  const { fields } = statFields(`/proc/${pid}/stat`);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const num = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { minflt: Number(fields[7]), majflt: Number(fields[9]), voluntary: num('voluntary_ctxt_switches'), involuntary: num('nonvoluntary_ctxt_switches') };
}

/** The --trace-gc lines the console printed into its pane so far. */
function gcLines(file: string): string[] {
  let text = '';
  try { text = readFileSync(file, 'utf8'); } catch { return []; }
  return text.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]/g, '\n').split(/[\r\n]+/).filter((l) => /\[\d+:0x[0-9a-f]+\]\s+\d+ ms: /.test(l));
}

async function main(): Promise<void> {
  ensureBuilt();
  process.stdout.write(`thread split: phase ${phase}, ${seconds} s after ${warmupSec} s, ${tasks} tasks, flow ${flowPerSec}/s${nodeFlags ? `, node ${nodeFlags.join(' ')}` : ''}; ${machineLine()}\n`);
  const db = await benchDatabase(tasks);
  const world = await consoleWorld();
  const tmux = new Tmux();
  const dir = mkdtempSync(join(tmpdir(), 'absurd-top-split-'));
  const paneBytes = join(dir, 'pane.bytes');
  try {
    const startedAt = Date.now();
    const pid = tmux.start('absurd', [...(nodeFlags ? [process.execPath, ...nodeFlags] : []), ...consoleArgv(), '-d', db.url, '--refresh', '2', '-c', world.configFile], world.env);
    await poll(() => tmux.capture('absurd').includes(benchQueue), 60_000, 100, 'live data');
    // With --node-flags '--trace-gc …' V8 prints one line per collection into the pane.
    tmux.pipe('absurd', paneBytes);
    await sleep(Math.max(0, startedAt + warmupSec * 1000 - Date.now()));
    const flow = phase === 'flowing' ? startFlow(db.pool, flowPerSec, world.journal) : null;
    if (flow) await sleep(3000);
    const before = { threads: threads(pid), counters: processCounters(pid), gcLines: gcLines(paneBytes).length };
    const seen = new Set(descendants(pid));
    const forked: number[] = [];
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      for (const child of descendants(pid)) if (!seen.has(child)) { seen.add(child); forked.push(child); }
      await sleep(50);
    }
    const after = { threads: threads(pid), counters: processCounters(pid), gcLines: gcLines(paneBytes) };
    await flow?.stop();

    const pct = (ticks: number) => ((ticks / clockTicks / seconds) * 100).toFixed(2);
    const byName = new Map<string, { user: number; system: number; count: number }>();
    for (const [tid, a] of after.threads) {
      const b = before.threads.get(tid) ?? { user: 0, system: 0 };
      const row = byName.get(a.name) ?? { user: 0, system: 0, count: 0 };
      row.user += a.user - b.user;
      row.system += a.system - b.system;
      row.count++;
      byName.set(a.name, row);
    }
    const rows = [...byName].sort((x, y) => (y[1].user + y[1].system) - (x[1].user + x[1].system))
      .map(([name, r]) => [name, r.count, pct(r.user), pct(r.system), pct(r.user + r.system)]);
    const total = [...byName.values()].reduce((n, r) => ({ user: n.user + r.user, system: n.system + r.system }), { user: 0, system: 0 });
    rows.push(['all threads', after.threads.size, pct(total.user), pct(total.system), pct(total.user + total.system)]);
    process.stdout.write(`${table(['thread', 'threads', 'user %', 'system %', 'CPU % of one core'], rows)}\n`);
    const d = (k: keyof ReturnType<typeof processCounters>) => after.counters[k] - before.counters[k];
    process.stdout.write(`${table(['counter', `in ${seconds} s`, 'per refresh (2 s)'], [
      ['minor page faults', d('minflt'), Math.round(d('minflt') / (seconds / 2))],
      ['major page faults', d('majflt'), (d('majflt') / (seconds / 2)).toFixed(1)],
      ['voluntary context switches', d('voluntary'), Math.round(d('voluntary') / (seconds / 2))],
      ['involuntary context switches', d('involuntary'), Math.round(d('involuntary') / (seconds / 2))],
      ['children forked (seen)', forked.length, (forked.length / (seconds / 2)).toFixed(2)],
    ])}\n`);
    if (flow) process.stdout.write(`flow: ${flow.cycles} task cycles\n`);
    const collections = after.gcLines.slice(before.gcLines);
    if (collections.length > 0) {
      // Either format: --trace-gc ("Scavenge 21.6 (29.7) -> 21.0 (29.7) MB, 0.48 / 0.00 ms") or
      // --trace-gc-nvp ("pause=0.6 … gc=s … promoted=61984 new_space_survived=121480").
      const kinds = new Map<string, { n: number; ms: number; survivedKb: number; promotedKb: number }>();
      for (const line of collections) {
        const plain = /: (Scavenge|Mark-Compact|Mark-Compact \(reduce\)|Minor Mark-Compact)\b.*?, ([\d.]+) \/ ([\d.]+) ms/.exec(line);
        const nvp = (name: string) => Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);
        const gc = /\bgc=(\w+)/.exec(line)?.[1];
        const kind = plain?.[1] ?? (gc === 's' ? 'Scavenge' : gc === 'mc' || gc === 'ms' ? 'Mark-Compact' : gc ?? 'other');
        const k = kinds.get(kind) ?? { n: 0, ms: 0, survivedKb: 0, promotedKb: 0 };
        k.n++;
        k.ms += plain ? Number(plain[2]) : nvp('pause');
        k.survivedKb += nvp('new_space_survived') / 1024;
        k.promotedKb += nvp('promoted') / 1024;
        kinds.set(kind, k);
      }
      process.stdout.write(`${table(['collection', `count in ${seconds} s`, 'main-thread ms', 'survived KB (nvp)', 'promoted KB (nvp)'],
        [...kinds].map(([k, v]) => [k, v.n, v.ms.toFixed(1), v.survivedKb.toFixed(0), v.promotedKb.toFixed(0)]))}\n`);
    }
  } finally {
    tmux.kill();
    await world.cleanup();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
