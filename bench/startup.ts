// Start-up of the built console: process start to the first frame, and to the first frame with
// live data from the local PostgreSQL.
//
//   node --import tsx bench/startup.ts [--runs 10] [--tasks 100000]
//
// Each run is a fresh `node dist/src/cli.js` (NODE_ENV=production, CI unset) in a 120x40 tmux
// pane, gated: the pane's shell waits for a line, pipe-pane is attached, then one Enter lets it
// exec node; t0 is taken just before that Enter (tmux's send-keys adds ~2-5 ms, counted against
// us). The bytes the program writes are polled every 5 ms from the pipe-pane file:
//   first frame: the header ("absurd-top") appears;
//   live data:   the queue name from the database ("dsa110-pipeline") appears.
// Resolution: the 5 ms poll plus tmux's pipe latency (a few ms). Median and max of --runs.
// Also the CPU the process had used at each point (/proc/<pid>/stat, 10 ms ticks): wall time
// on 2 cores moves with whatever else runs, CPU much less.
// Targets: first frame <= 500 ms, live data <= 1 s.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  benchDatabase, benchQueue, clockTicks, consoleArgv, consoleWorld, cpuTicks, ensureBuilt, machineLine, median, numberArg, sleep, table, Tmux,
} from './lib/harness.js';

/** utime + stime of the process so far, in ms (10 ms ticks): less swayed by other load than wall time. */
const cpuMs = (pid: number): number => Math.round((cpuTicks(pid) / clockTicks) * 1000);

const argv = process.argv.slice(2);
const runs = numberArg(argv, 'runs', 10);
const tasks = numberArg(argv, 'tasks', 100_000);

/** Visible text of the byte stream: escape sequences removed, so split writes still match. */
function visible(raw: string): string {
  return raw.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]/g, '').replace(/\x1b[()][A-Z0-9]/g, '');
}

async function main(): Promise<void> {
  ensureBuilt();
  const before = machineLine();
  const db = await benchDatabase(tasks);
  const world = await consoleWorld();
  const dir = mkdtempSync(join(tmpdir(), 'absurd-top-startup-'));
  const results: { first: number; live: number; firstCpu: number; liveCpu: number }[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const tmux = new Tmux();
      const file = join(dir, `run-${i}.bytes`);
      try {
        const pid = tmux.start('s', [...consoleArgv(), '-d', db.url, '-c', world.configFile], world.env, 120, 40, { gate: true });
        tmux.pipe('s', file);
        await sleep(200);
        const t0 = performance.now();
        tmux.release('s');
        let first = NaN;
        let live = NaN;
        let firstCpu = NaN;
        let liveCpu = NaN;
        while (performance.now() - t0 < 15_000 && Number.isNaN(live)) {
          const text = existsSync(file) ? visible(readFileSync(file, 'utf8')) : '';
          const now = performance.now() - t0;
          if (Number.isNaN(first) && text.includes('absurd-top')) { first = now; firstCpu = cpuMs(pid); }
          if (text.includes(benchQueue)) { live = now; liveCpu = cpuMs(pid); }
          await sleep(5);
        }
        results.push({ first, live, firstCpu, liveCpu });
        process.stderr.write(`run ${i + 1}: first frame ${Math.round(first)} ms (CPU ${firstCpu}), live data ${Math.round(live)} ms (CPU ${liveCpu})\n`);
      } finally {
        tmux.kill();
      }
      await sleep(300);
    }
    const firsts = results.map((r) => r.first);
    const lives = results.map((r) => r.live);
    const cpu = (values: number[]) => [Math.round(median(values)), Math.min(...values), Math.max(...values), ''];
    process.stdout.write(`start-up of the built console, ${runs} runs, ${tasks} tasks (dsa110-v2), 120x40; ${before}\n`);
    process.stdout.write(`${table(['figure', 'median ms', 'min ms', 'max ms', 'target ms'], [
      ['process start -> first frame', Math.round(median(firsts)), Math.round(Math.min(...firsts)), Math.round(Math.max(...firsts)), 500],
      ['process start -> live data', Math.round(median(lives)), Math.round(Math.min(...lives)), Math.round(Math.max(...lives)), 1000],
      ['CPU used by the first frame', ...cpu(results.map((r) => r.firstCpu))],
      ['CPU used by live data', ...cpu(results.map((r) => r.liveCpu))],
    ])}\n`);
    process.stdout.write(`after: ${machineLine()}\n`);
  } finally {
    await world.cleanup();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
