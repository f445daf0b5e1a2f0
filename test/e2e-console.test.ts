// End to end: the built command in a real terminal (a detached tmux session, 120×40) against a
// fresh real database with failed and pending tasks, and a fake systemd on PATH so no real unit
// is ever touched. Retry a failed task and cancel a pending one from the keyboard, check the
// rows in the database and the status line on screen, then quit and check the terminal is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeHost, fakeState, setupFakeSystemd, type FakeSystemd } from './helpers/fake-systemd.js';
import { seedFlavour, type Seeded } from './helpers/seed.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { waitUntil } from './helpers/wait-until.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repo, 'dist/bin/absurd-top.js'); // the bin as shipped: the bundle
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// A private tmux server: never touches the operator's (or another test's) sessions.
const socket = `absurd-top-e2e-${process.pid}`;
const session = 'console';

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
const screen = () => tmux('capture-pane', '-p', '-t', session);
const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function see(what: string | RegExp, timeoutMs = 20_000): Promise<void> {
  await waitUntil(() => (typeof what === 'string' ? screen().includes(what) : what.test(screen())),
    { timeoutMs, intervalMs: 100, what: `${String(what)} on screen; screen:\n${screen()}` });
}

let db: TestDatabase;
let seeded: Seeded;
let fake: FakeSystemd;
let dir: string;

before(async () => {
  if (!hasTmux) return;
  if (!existsSync(cli)) {
    const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: repo, encoding: 'utf8' });
    assert.equal(build.status, 0, `build failed:\n${build.stdout}${build.stderr}`);
  }
  db = await createTestDatabase({ flavour: 'dsa110-v2' });
  seeded = await seedFlavour(db.pool, 'dsa110-v2', 'dsa110-pipeline');
  fake = await setupFakeSystemd({ state: fakeState({ local: fakeHost({ workers: [1, 2] }) }) });
  dir = mkdtempSync(join(tmpdir(), 'absurd-top-e2e-'));
});

after(async () => {
  if (!hasTmux) return;
  spawnSync('tmux', ['-L', socket, 'kill-server']);
  await db?.drop();
  await fake?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const status = async (id: string): Promise<string> =>
  (await db.pool.query<{ status: string }>('SELECT status FROM absurd.tasks WHERE task_id = $1', [id])).rows[0]?.status ?? 'missing';

test('retry and cancel from the keyboard in tmux, then q restores the terminal', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  const audit = join(dir, 'audit.log');
  // Ink draws nothing interactive when CI is set: the console itself runs without it.
  const env = [
    `PATH=${fake.binDir}`, `FAKE_SYSTEMD_STATE=${fake.statePath}`, `FAKE_SYSTEMD_LOG=${fake.logPath}`,
    `XDG_CONFIG_HOME=${dir}`, `XDG_STATE_HOME=${dir}`, `HOME=${dir}`, 'NODE_ENV=production',
  ].map(shellQuote).join(' ');
  const command = `cd ${shellQuote(repo)} && env -u CI ${env} node ${shellQuote(cli)} --database ${shellQuote(db.url)} --audit-log ${shellQuote(audit)} --refresh 1; echo "EXIT=$?"; sleep 600`;
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', command);

  await see('3 Failures');
  await see(/failed \(\d+\)/);
  assert.match(tmux('display', '-p', '-t', session, '#{alternate_on}'), /^1/, 'the console runs on the alternate screen');

  // Retry: focus the failures pane, the newest failure is selected; r shows the exact SQL.
  keys('3');
  await see(/▸ calibration-solve/);
  keys('r');
  await see(`SELECT absurd.retry_task('${seeded.ids.failed}'::uuid)`);
  await see(/ No .* Yes /);
  keys('y');
  await see('retried 1 of 1 task');
  await waitUntil(async () => (await status(seeded.ids.failed!)) === 'retrying', { what: 'the failed task to be retrying' });

  // Cancel: the task browser filtered to pending tasks; the first row is the pending task.
  keys('t');
  await see('Tasks in dsa110-pipeline');
  keys('f');
  await see('state=pending');
  await see(/▸ .*pending/);
  keys('c');
  await see(`cancel_task('${seeded.ids.pending}'::uuid)`);
  keys('y');
  await see('cancelled 1 of 1 task');
  await waitUntil(async () => (await status(seeded.ids.pending!)) === 'cancelled', { what: 'the pending task to be cancelled' });

  // Every confirmed action left one audit line with the exact statement.
  const lines = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; commands: string[] });
  assert.deepEqual(lines.map((l) => l.action), ['retry', 'cancel']);

  // q leaves the browser, q again quits; the shell gets its terminal back.
  keys('q');
  await see('3 Failures');
  keys('q');
  await see('EXIT=0');
  assert.equal(tmux('display', '-p', '-t', session, '#{alternate_on} #{cursor_flag}').trim(), '0 1', 'main screen and a visible cursor');
  const tty = tmux('display', '-p', '-t', session, '#{pane_tty}').trim();
  const stty = spawnSync('stty', ['-a', '-F', tty], { encoding: 'utf8' });
  assert.match(stty.stdout, /(^|\s)icanon(\s|$)/, 'raw mode is off again');
  assert.match(stty.stdout, /(^|\s)echo(\s|$)/);
});
