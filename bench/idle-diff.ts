// What changes on an idle screen: captures the console's pane every second and prints each line
// that differs from the previous capture. An idle console should print nothing here.
//
//   node --import tsx bench/idle-diff.ts [--seconds 30] [--tasks 100000] [--warmup 10]
import { benchDatabase, benchQueue, consoleArgv, consoleWorld, ensureBuilt, numberArg, poll, sleep, Tmux } from './lib/harness.js';

const argv = process.argv.slice(2);
const seconds = numberArg(argv, 'seconds', 30);
const tasks = numberArg(argv, 'tasks', 100_000);
const warmup = numberArg(argv, 'warmup', 10);

ensureBuilt();
const db = await benchDatabase(tasks);
const world = await consoleWorld();
// Idle means nothing happened lately: not the seed's newest tasks, not the fake units' start
// (their uptime is an age on screen, which rightly ticks while under a minute).
const seededAt = Date.now();
const tmux = new Tmux();
try {
  tmux.start('absurd', [...consoleArgv(), '-d', db.url, '--refresh', '2', '-c', world.configFile], world.env, 120, 40);
  await poll(() => tmux.capture('absurd').includes(benchQueue), 60_000, 100, 'live data');
  await sleep(warmup * 1000);
  await sleep(Math.max(0, seededAt + 62_000 - Date.now())); // the seed's newest tasks a minute old
  let previous = tmux.capture('absurd').split('\n');
  let changes = 0;
  for (let s = 1; s <= seconds; s++) {
    await sleep(1000);
    const now = tmux.capture('absurd').split('\n');
    now.forEach((line, i) => {
      if (line === previous[i]) return;
      changes++;
      process.stdout.write(`t+${s}s row ${i}:\n  - ${previous[i]}\n  + ${line}\n`);
    });
    previous = now;
  }
  process.stdout.write(`${changes} changed rows in ${seconds} s\n`);
} finally {
  tmux.kill();
  await world.cleanup();
  await db.drop();
}
