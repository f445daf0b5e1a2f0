// What absurd-top costs while it sits in a tmux pane for weeks, next to htop as the reference.
//
//   node --import tsx bench/idle-cost.ts [--seconds 60] [--tasks 100000] [--flow 3] [--warmup 180]   (needs htop: apt-get install htop)
//       [--phases idle,flowing] [--node-flags '--max-semi-space-size=4']   (flags replace the shebang's)
//
// One run, two panes of 120x40 in a private tmux server, side by side:
//   absurd-top: the built console (node dist/src/cli.js, NODE_ENV=production, CI unset),
//     --refresh 2, against a fresh dsa110-v2 database of --tasks tasks, with the fake
//     systemctl/journalctl (test/fake-bin) on PATH so the units and logs panes have content;
//   htop -d 20 (a 2 s refresh).
// Measuring starts --warmup seconds after the console started: a console left for weeks is
// measured in its steady state, not in its first minutes (JIT, heap growth: the first minute
// costs about twice the fourth, bench runs of session 4). Phase (a) idle: nothing changes anywhere, --seconds long. Phase (b) flowing: --flow tasks a
// second are spawned, claimed and completed (1 in 7 failed) through the flavour's functions and
// each writes a journal line, so every refresh changes the screen. Measured per phase:
//   CPU % of one core = delta(utime + stime) of the process itself (/proc/<pid>/stat) / seconds;
//   children = cutime + cstime gained (the fake systemctl/journalctl are node scripts, which the
//     real C tools are not: reported apart, not counted in the figure);
//   bytes written to the terminal per refresh (tmux pipe-pane into a file).
// Targets: absurd-top <= 0.5 % idle, <= 1.5 % flowing.
import { readFileSync, statSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  benchDatabase, benchQueue, consoleArgv, clockTicks, consoleWorld, cpuTicks, ensureBuilt, rssKb, machineLine, numberArg, poll, sleep, startFlow, table, Tmux,
} from './lib/harness.js';

const argv = process.argv.slice(2);
const seconds = numberArg(argv, 'seconds', 60);
const tasks = numberArg(argv, 'tasks', 100_000);
const flowPerSec = numberArg(argv, 'flow', 3);
const warmupSec = numberArg(argv, 'warmup', 180);
const refreshSec = 2;
const listArg = (name: string, fallback: string): string => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback);
const phaseNames = listArg('phases', 'idle,flowing').split(',') as ('idle' | 'flowing')[];
// To compare V8 settings in otherwise identical runs: node runs the bin with these flags instead of its shebang's.
const nodeFlags = argv.includes('--node-flags') ? listArg('node-flags', '').split(/\s+/).filter(Boolean) : null;

/** cutime + cstime: CPU of children the process waited for. */
function childTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[13]) + Number(fields[14]);
}

interface Mark { ticks: number; children: number; bytes: number; at: number; rssKb: number }

function mark(pid: number, bytesFile: string): Mark {
  return { ticks: cpuTicks(pid), children: childTicks(pid), bytes: existsSync(bytesFile) ? statSync(bytesFile).size : 0, at: performance.now(), rssKb: rssKb(pid) };
}

function figures(from: Mark, to: Mark): { cpuPct: number; childPct: number; bytes: number; refreshes: number; secs: number; rssMb: number } {
  const secs = (to.at - from.at) / 1000;
  return {
    rssMb: to.rssKb / 1024,
    cpuPct: ((to.ticks - from.ticks) / clockTicks / secs) * 100,
    childPct: ((to.children - from.children) / clockTicks / secs) * 100,
    bytes: to.bytes - from.bytes,
    refreshes: secs / refreshSec,
    secs,
  };
}

async function main(): Promise<void> {
  ensureBuilt();
  const before = machineLine();
  process.stdout.write(`idle cost: ${seconds} s per phase after ${warmupSec} s of warm-up, ${tasks} tasks, flow ${flowPerSec}/s, refresh ${refreshSec} s, 120x40${nodeFlags ? `, node ${nodeFlags.join(' ')}` : ''}; ${before}\n`);
  const db = await benchDatabase(tasks);
    const world = await consoleWorld();
    // Idle means nothing happened lately: not the seed's newest tasks, not the fake units' start
    // (their uptime is an age on screen, which rightly ticks while under a minute).
    const seededAt = Date.now();
  const tmux = new Tmux();
  const dir = mkdtempSync(join(tmpdir(), 'absurd-top-idle-'));
  const files = { top: join(dir, 'absurd-top.bytes'), htop: join(dir, 'htop.bytes') };
  try {
    const top = tmux.start('absurd', [...(nodeFlags ? [process.execPath, ...nodeFlags] : []), ...consoleArgv(), '-d', db.url, '--refresh', String(refreshSec), '-c', world.configFile], world.env, 120, 40, { gate: true });
    const htop = tmux.start('ref', ['htop', '-d', '20'], { PATH: '/usr/bin:/bin', TERM: 'tmux-256color', HOME: world.dir, LANG: process.env.LANG ?? 'C.UTF-8' }, 120, 40, { gate: true });
    tmux.pipe('absurd', files.top);
    tmux.pipe('ref', files.htop);
    tmux.release('absurd');
    tmux.release('ref');
    const startedAt = Date.now();
    await poll(() => tmux.capture('absurd').includes(benchQueue), 60_000, 100, 'live data in absurd-top')
      .catch((error: Error) => { throw new Error(`${error.message}; screen:\n${tmux.capture('absurd')}`); });
    await sleep(10_000); // past start-up: first refreshes, log backlog, the minute cache's first fill
    // Idle means nothing happened lately: the seed's newest tasks were claimed as it ended, and
    // ages under a minute rightly tick on screen; wait until they are a minute old.
    await sleep(Math.max(0, seededAt + 62_000 - Date.now(), startedAt + warmupSec * 1000 - Date.now()));

    const phases: { name: string; top: ReturnType<typeof figures>; htop: ReturnType<typeof figures> }[] = [];
    for (const phase of phaseNames) {
      const flow = phase === 'flowing' ? startFlow(db.pool, flowPerSec, world.journal) : null;
      if (flow) await sleep(3000); // the first changed frames
      const a = { top: mark(top, files.top), htop: mark(htop, files.htop) };
      await sleep(seconds * 1000);
      const b = { top: mark(top, files.top), htop: mark(htop, files.htop) };
      await flow?.stop();
      phases.push({ name: phase, top: figures(a.top, b.top), htop: figures(a.htop, b.htop) });
      if (flow) process.stdout.write(`flowing phase: ${flow.cycles} task cycles\n`);
    }
    const screen = tmux.capture('absurd');
    const rows = phases.flatMap((p) => [
      [`absurd-top, ${p.name}`, p.top.cpuPct.toFixed(2), p.top.childPct.toFixed(2), Math.round(p.top.bytes / p.top.refreshes), Math.round(p.top.bytes / p.top.secs), p.top.rssMb.toFixed(1), p.name === 'idle' ? '<= 0.5' : '<= 1.5'],
      [`htop -d 20, ${p.name}`, p.htop.cpuPct.toFixed(2), p.htop.childPct.toFixed(2), Math.round(p.htop.bytes / p.htop.refreshes), Math.round(p.htop.bytes / p.htop.secs), p.htop.rssMb.toFixed(1), ''],
    ]);
    process.stdout.write(`${table(['process, phase', 'CPU % of one core', 'children CPU %', 'bytes / refresh (2 s)', 'bytes / s', 'RSS MB at end', 'target %'], rows)}\n`);
    process.stdout.write(`before: ${before}\nafter:  ${machineLine()}\n`);
    process.stdout.write(`absurd-top's last screen:\n${screen}\n`);
  } finally {
    tmux.kill();
    await world.cleanup();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
