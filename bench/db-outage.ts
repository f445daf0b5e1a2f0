// Fault drill with the real server: PostgreSQL stopped for --down seconds under a running
// console, then started again. THE ONLY SCRIPT HERE THAT STOPS THE SHARED SERVER: run it only
// when nobody else is testing (it refuses while `node --test` runs, unless --force).
//
//   node --import tsx bench/db-outage.ts [--down 30] [--cluster "15 main"] [--force]
//
// The built console (refresh 2 s) runs in a 120x40 tmux pane against a dsa110-v2 database.
// Recorded: absurd-top's connections (pg_stat_activity, application_name = 'absurd-top', this
// database) before; the screen while the server is down (it should say since when it is
// disconnected and keep the last data, marked stale); the time from `pg_ctlcluster start`
// returning to the first screen without the disconnected mark (target: two refresh intervals);
// the connections after; whether the console process is still alive. The server is always
// started again in a finally block.
import { execFileSync, spawnSync } from 'node:child_process';
import pg from 'pg';
import {
  benchDatabase, benchQueue, consoleArgv, consoleWorld, ensureBuilt, machineLine, numberArg, poll, sleep, table, Tmux, alive,
} from './lib/harness.js';

const argv = process.argv.slice(2);
const downSeconds = numberArg(argv, 'down', 30);
const cluster = (argv.includes('--cluster') ? argv[argv.indexOf('--cluster') + 1]! : '15 main').split(' ');
const force = argv.includes('--force');
const refreshSec = 2;

function otherTestRuns(): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout;
  return ps.split('\n').filter((l) => /node.*--test/.test(l) && !l.includes(String(process.pid)));
}

function pgctl(action: 'stop' | 'start'): void {
  execFileSync('pg_ctlcluster', [...cluster, action], { stdio: 'inherit' });
}

async function connections(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where application_name = 'absurd-top' and datname = current_database()");
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/** The dashboard says the database is gone (wording owned by the UI: match loosely). */
const disconnected = (screen: string): boolean => /disconnected|unreachable|cannot reach|stale/i.test(screen);

async function main(): Promise<void> {
  const others = otherTestRuns();
  if (others.length > 0 && !force) {
    process.stderr.write(`refusing: other test runs are active (stopping the server would break them):\n${others.join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  ensureBuilt();
  const before = machineLine();
  const db = await benchDatabase(10_000);
  const world = await consoleWorld();
  const tmux = new Tmux();
  let stopped = false;
  try {
    const pid = tmux.start('o', [...consoleArgv(), '-d', db.url, '--refresh', String(refreshSec), '-c', world.configFile], world.env, 120, 40);
    await poll(() => tmux.capture('o').includes(benchQueue), 60_000, 100, 'live data');
    await sleep(2 * refreshSec * 1000);
    const connBefore = await connections(db.url);
    const screenBefore = tmux.capture('o');

    process.stderr.write(`stopping PostgreSQL (${cluster.join(' ')}) for ${downSeconds} s\n`);
    const stopAt = performance.now();
    pgctl('stop');
    stopped = true;
    const noticed = await poll(() => disconnected(tmux.capture('o')), 30_000, 100, 'the disconnected mark').then(() => (performance.now() - stopAt) / 1000, () => NaN);
    await sleep(Math.max(0, downSeconds * 1000 - (performance.now() - stopAt)));
    const screenDuring = tmux.capture('o');
    const dataKept = screenDuring.includes(benchQueue);

    pgctl('start');
    stopped = false;
    const startedAt = performance.now();
    const back = await poll(() => !disconnected(tmux.capture('o')) && tmux.capture('o').includes(benchQueue), 120_000, 100, 'the reconnected screen')
      .then(() => (performance.now() - startedAt) / 1000, () => NaN);
    await sleep(3 * refreshSec * 1000);
    const connAfter = await connections(db.url);
    const stillAlive = alive(pid);

    process.stdout.write(`database outage drill: server stopped ${downSeconds} s, refresh ${refreshSec} s; ${before}\n`);
    process.stdout.write(`${table(['figure', 'value'], [
      ['absurd-top connections before', connBefore],
      ['disconnected mark on screen after the stop (s)', Number.isNaN(noticed) ? 'never' : noticed.toFixed(1)],
      ['last data still on screen while down', dataKept ? 'yes' : 'no'],
      ['live again after pg_ctlcluster start returned (s; target <= 4)', Number.isNaN(back) ? 'not within 120 s' : back.toFixed(1)],
      ['absurd-top connections after (no leak: <= pool max 3)', connAfter],
      ['console process alive', stillAlive ? 'yes' : 'no'],
    ])}\n`);
    process.stdout.write(`screen before:\n${screenBefore}\nscreen while down:\n${screenDuring}\nscreen after:\n${tmux.capture('o')}\n`);
    process.stdout.write(`after: ${machineLine()}\n`);
  } finally {
    if (stopped) {
      try { pgctl('start'); } catch (error) { process.stderr.write(`COULD NOT RESTART PostgreSQL: ${String(error)}\n`); }
    }
    tmux.kill();
    await world.cleanup();
    await db.drop().catch(() => undefined);
  }
}

await main();
