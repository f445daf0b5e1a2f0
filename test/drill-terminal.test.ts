// Drill: the terminal side of the built console, in a private tmux server.
//   - 40×12: a compact view (header, counts, footer), not a clipped 120-column frame;
//   - resize storm: 100 resizes in ~2 s, then one frame at the final size, process alive;
//   - stdout not a terminal and no --once: a clear error, exit 2;
//   - SIGTERM, SIGHUP, Ctrl-C (send-keys C-c), an uncaught exception and an unhandled
//     rejection all leave the pane on the main screen with the cursor visible
//     (#{alternate_on} 0, #{cursor_flag} 1). The crashes are injected from outside with
//     NODE_OPTIONS=--import <a module that throws on SIGUSR2> (the console has no crash hook of its
//     own), so the console's own handlers (src/ui/terminal.ts) are what is tested.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { seedFlavour } from './helpers/seed.js';
import { waitUntil } from './helpers/wait-until.js';
import { builtCli, consoleWorld, descendants, ensureBuilt, Tmux, type ConsoleWorld } from '../bench/lib/harness.js';

let db: TestDatabase;
let world: ConsoleWorld;
let tmux: Tmux;
const dir = mkdtempSync(join(tmpdir(), 'absurd-top-terminal-'));
const crashModule = join(dir, 'crash.mjs');
const queue = 'dsa110-pipeline';
/** Counts from the database in the queue pane's title. */
const live = /\d+ pending · \d+ running/;

before(async () => {
  ensureBuilt({ allowTypeErrors: true });
  db = await createTestDatabase({ flavour: 'dsa110-v2' });
  await seedFlavour(db.pool, 'dsa110-v2', queue);
  world = await consoleWorld();
  tmux = new Tmux();
  writeFileSync(crashModule, [
    '// Injected by test/drill-terminal.test.ts: SIGUSR2 makes the process fail the way a bug would.',
    "process.on('SIGUSR2', () => {",
    "  if (process.env.DRILL_CRASH === 'rejection') Promise.reject(new Error('drill: injected unhandled rejection'));",
    "  else setImmediate(() => { throw new Error('drill: injected uncaught exception'); });",
    '});',
  ].join('\n'));
});

after(async () => {
  tmux?.kill();
  await world?.cleanup();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

let sessions = 0;
// The shell traps SIGINT (a trap, unlike an ignore, is reset for the program it runs), so a
// Ctrl-C that reaches the process group as a signal kills only the console, and the shell says so.
const wrapper = 'trap "true" INT; "$@"; echo "absurd-top exited with status $?"; exec sleep 86400';
/**
 * The console in a new tmux session, run by a shell that stays after it exits (tmux hides the
 * cursor of a dead pane, which would hide what the console left behind) and prints its exit
 * status. Resolves with the console's pid once the first frame is on screen.
 */
async function startConsole(width = 120, height = 40, env: NodeJS.ProcessEnv = {}): Promise<{ name: string; pid: number }> {
  const name = `c${++sessions}`;
  const shell = tmux.start(name, ['/bin/sh', '-c', wrapper, 'sh',
    process.execPath, builtCli, '-d', db.url, '-c', world.configFile, '--refresh', '1'], { ...world.env, ...env }, width, height);
  // Keys sent before the console is up may be dropped on purpose (type-ahead for a layer not
  // drawn yet), so every drill starts once live data is on screen.
  await waitUntil(() => live.test(tmux.capture(name)) || /pend \d+/.test(tmux.capture(name)),
    { what: `live data on screen; screen:\n${tmux.capture(name)}`, timeoutMs: 30_000, intervalMs: 50 });
  const pid = await waitUntil(() => descendants(shell).find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('absurd-top.js')), { what: 'the console pid' });
  return { name, pid };
}

const state = (name: string) => tmux.display(name, '#{alternate_on} #{cursor_flag}');

async function assertRestoredAfterExit(name: string, what: string): Promise<{ status: string; mainScreen: string }> {
  const status = await waitUntil(() => /absurd-top exited with status (\d+)/.exec(tmux.capture(name))?.[1],
    { what: `${what}: the console to exit; screen:\n${tmux.capture(name)}`, timeoutMs: 15_000, intervalMs: 50 });
  const [alternate, cursor] = state(name).split(' ');
  assert.equal(alternate, '0', `${what}: back on the main screen`);
  assert.equal(cursor, '1', `${what}: cursor visible`);
  return { status, mainScreen: tmux.capture(name) };
}

describe('sizes', () => {
  test('40x12 shows a compact view: health, counts and the footer, nothing cut mid-frame', async () => {
    const { name } = await startConsole(40, 12);
    await waitUntil(() => /pend \d+/.test(tmux.capture(name)), { what: 'live counts in the compact view', timeoutMs: 20_000 });
    const lines = tmux.capture(name).split('\n');
    const frame = lines.filter((l) => l.trim() !== '');
    assert.ok(frame.length <= 11, `at most rows - 1 lines: ${frame.length}`);
    assert.match(frame[0] ?? '', /CRITICAL|WARNING|OK|STALE|DISCONNECTED|queue/i, 'a header first');
    assert.match(frame.at(-1) ?? '', /q quit/, 'the footer last');
    assert.ok(frame.every((l) => !/[┌┐└┘]$/.test(l.trim()) || l.length <= 40));
    tmux.sendKeys(name, 'q');
    await assertRestoredAfterExit(name, 'q at 40x12');
  });

  test('resize storm: 100 resizes in about 2 s, then a correct frame at the final size, still running', async () => {
    const { name, pid } = await startConsole(120, 40);
    await waitUntil(() => live.test(tmux.capture(name)), { what: 'live data', timeoutMs: 20_000 });
    const sizes: [number, number][] = [[80, 24], [200, 60], [40, 12], [100, 30], [60, 20], [132, 43], [20, 5], [120, 40]];
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) {
      const [w, h] = sizes[i % sizes.length]!;
      tmux.resize(name, w, h);
      const due = t0 + (i + 1) * 20;
      while (performance.now() < due) await new Promise((r) => setTimeout(r, 1));
    }
    tmux.resize(name, 120, 40);
    // A correct frame: header on the first line once, the footer at the bottom, nothing left over.
    const settled = await waitUntil(() => {
      const lines = tmux.capture(name).split('\n');
      const headers = lines.filter((l) => l.includes('absurd-top')).length;
      const last = lines.map((l) => l.trimEnd()).filter(Boolean).at(-1) ?? '';
      return headers === 1 && lines[0]!.includes('absurd-top') && /\? help/.test(last) && live.test(lines.join('\n')) ? lines : null;
    }, { what: `a clean 120x40 frame; screen:\n${tmux.capture(name)}`, timeoutMs: 15_000, intervalMs: 100 });
    assert.equal(settled.length >= 39, true);
    process.kill(pid, 0); // still running
    tmux.sendKeys(name, 'q');
    await assertRestoredAfterExit(name, 'q after the storm');
  });
});

test('stdout not a terminal and no --once: a clear error on stderr, exit 2, nothing drawn', async () => {
  const child = spawn(process.execPath, [builtCli, '-d', db.url], { env: world.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 2, stderr);
  assert.match(stderr, /stdout is not a terminal: the console needs one; use --once/);
  assert.equal(stdout, '');
  assert.doesNotMatch(stderr, /^\s+at /m);
});

// Independent consoles: run side by side to keep the file well under 30 s.
describe('every way out restores the terminal', { concurrency: true }, () => {
  for (const [signal, status] of [['SIGTERM', '143'], ['SIGHUP', '129']] as const) {
    test(`${signal}: main screen, cursor visible, exit ${status}`, async () => {
      const { name, pid } = await startConsole();
      assert.equal(state(name), '1 0', 'on the alternate screen, cursor hidden, while running');
      process.kill(pid, signal);
      const { status: got } = await assertRestoredAfterExit(name, signal);
      assert.equal(got, status);
    });
  }

  test('Ctrl-C (send-keys C-c): main screen, cursor visible', async () => {
    const { name } = await startConsole();
    tmux.sendKeys(name, 'C-c');
    const { status } = await assertRestoredAfterExit(name, 'Ctrl-C');
    assert.ok(['0', '130'].includes(status), `exit status ${status}`);
  });

  test('Ctrl-C during start-up, after the alternate screen is entered but before keys are read raw', async () => {
    const name = `c${++sessions}`;
    const bytes = join(dir, `${name}.bytes`);
    tmux.start(name, ['/bin/sh', '-c', wrapper, 'sh', process.execPath, builtCli, '-d', db.url, '-c', world.configFile], world.env, 120, 40, { gate: true });
    tmux.pipe(name, bytes);
    tmux.release(name);
    await waitUntil(() => existsSync(bytes) && readFileSync(bytes, 'utf8').includes('\x1b[?1049h'), { what: 'the alternate screen', intervalMs: 2 });
    tmux.sendKeys(name, 'C-c');
    await assertRestoredAfterExit(name, 'Ctrl-C during start-up');
  });

  for (const kind of ['exception', 'rejection'] as const) {
    test(`an uncaught ${kind}: main screen, cursor visible, the error printed after, exit 1`, async () => {
      const { name, pid } = await startConsole(120, 40, { NODE_OPTIONS: `--import ${crashModule}`, DRILL_CRASH: kind });
      process.kill(pid, 'SIGUSR2');
      const { status, mainScreen } = await assertRestoredAfterExit(name, `uncaught ${kind}`);
      assert.equal(status, '1');
      assert.match(mainScreen, new RegExp(`drill: injected (uncaught exception|unhandled rejection)`), 'the crash is reported on the main screen');
    });
  }
});
