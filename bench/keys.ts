// Key press to changed frame, in the built console in a 120x40 tmux pane.
//
//   node --import tsx bench/keys.ts [--presses 100] [--tasks 100000]
//
// Method: keys go in through one tmux control-mode client (`tmux -C`, a `send-keys` line per
// key on its stdin: one process, one write per key, as a terminal's keys arrive); what the console writes is appended to a file by `tmux pipe-pane`, whose size is sampled
// every ~1 ms. A press's latency = the first growth of that file after the press was sent.
// The console runs with --refresh 600, so no refresh frame can be mistaken for a key's frame
// (checked: the bytes written in 2 s without keys are reported).
//   resolution: the sampler's ~1 ms, plus tmux's own path (control client → server → pane →
//   pipe-pane → file), measured the same way against `cat` in raw mode and reported as the
//   baseline; "net" figures subtract its median.
// Isolated: --presses presses of j/k (25 down, 25 up, …) in the failures pane (focus 3), each
//   after the previous frame and 150 ms of quiet. Target p95 <= 50 ms.
// Repeat: 40 × j then 30 × k, one every 10 ms, after the same burst to `cat` (its net column
//   subtracts the cat burst press by press). Until session 4 each key was its own `send-keys`
//   client: 70 processes in 0.7 s on 2 cores delayed the last key ~0.9 s even to `cat`. Per press: the first frame after it; then the
//   last press's own frame and the last frame of any kind after it (which may be a data refresh's); and whether the final frame is right: the task
//   opened with Enter afterwards must be the one 10 rows down, as found by pressing slowly.
//   Target p95 <= 150 ms, nothing lost.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  benchDatabase, benchQueue, consoleArgv, consoleWorld, ensureBuilt, machineLine, median, numberArg, poll, quantile, sleep, table, Tmux,
} from './lib/harness.js';

const argv = process.argv.slice(2);
const presses = numberArg(argv, 'presses', 100);
const tasks = numberArg(argv, 'tasks', 100_000);

const size = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

type Send = (key: string) => void;

/** Waits until the file has not grown for `quietMs`. */
async function quiet(file: string, quietMs: number, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = size(file);
  let since = performance.now();
  while (performance.now() < deadline) {
    await sleep(5);
    const now = size(file);
    if (now !== last) { last = now; since = performance.now(); }
    if (performance.now() - since >= quietMs) return;
  }
}

/** Sends `key`, returns ms until the file grows (NaN after 3 s). */
async function pressAndWait(send: Send, file: string, key: string): Promise<number> {
  const before = size(file);
  const t0 = performance.now();
  send(key);
  while (performance.now() - t0 < 3000) {
    if (size(file) > before) return performance.now() - t0;
    await new Promise((r) => setImmediate(r));
  }
  return NaN;
}

/**
 * Sends `keys` one every 10 ms while a sampler records when the file grows. Per key: ms from
 * its send to the first growth after it; and the last growth after the last key.
 */
async function burst(send: Send, file: string, keys: string[]): Promise<{ repeat: number[]; lastFrameAfterLastPress: number }> {
  const sentAt: number[] = [];
  const growth: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    let last = size(file);
    while (sampling) {
      const now = size(file);
      if (now > last) { growth.push(performance.now()); last = now; }
      await new Promise((r) => setImmediate(r));
    }
  })();
  const t0 = performance.now();
  for (let i = 0; i < keys.length; i++) {
    while (performance.now() < t0 + i * 10) await new Promise((r) => setImmediate(r));
    sentAt.push(performance.now());
    send(keys[i]!);
  }
  await quiet(file, 500);
  sampling = false;
  await sampler;
  return {
    repeat: sentAt.map((t) => (growth.find((g) => g >= t) ?? NaN) - t),
    lastFrameAfterLastPress: (growth.at(-1) ?? NaN) - sentAt.at(-1)!,
  };
}

async function main(): Promise<void> {
  ensureBuilt();
  const before = machineLine();
  const db = await benchDatabase(tasks);
  const world = await consoleWorld();
  const tmux = new Tmux();
  const dir = mkdtempSync(join(tmpdir(), 'absurd-top-keys-'));
  const file = join(dir, 'console.bytes');
  const catFile = join(dir, 'cat.bytes');
  try {
    // Baseline: the same path to a program that answers every key at once.
    tmux.start('cat', ['/bin/sh', '-c', 'stty raw -echo; exec cat'], { PATH: '/usr/bin:/bin' }, 120, 40);
    tmux.pipe('cat', catFile);
    const control = tmux.controlClient();
    const toCat: Send = (key) => control.sendKey('cat', key);
    const toConsole: Send = (key) => control.sendKey('k', key);
    await sleep(300);
    const baseline: number[] = [];
    for (let i = 0; i < 30; i++) {
      baseline.push(await pressAndWait(toCat, catFile, 'j'));
      await sleep(20);
    }
    const base = median(baseline);
    // The same burst to cat: how far tmux's own path lags under it.
    const catRepeat = (await burst(toCat, catFile, Array(70).fill('j') as string[])).repeat;

    tmux.start('k', [...consoleArgv(), '-d', db.url, '--refresh', '600', '-c', world.configFile], world.env, 120, 40);
    tmux.pipe('k', file);
    await poll(() => tmux.capture('k').includes(benchQueue), 60_000, 100, 'live data');
    await quiet(file, 1000);
    tmux.sendKeys('k', '3');
    tmux.sendKeys('k', 'g');
    await quiet(file, 500);
    const idleBytes = size(file);
    await sleep(2000);
    const idle2s = size(file) - idleBytes;

    // Isolated presses.
    const isolated: number[] = [];
    for (let i = 0; i < presses; i++) {
      const key = Math.floor(i / 25) % 2 === 0 ? 'j' : 'k';
      isolated.push(await pressAndWait(toConsole, file, key));
      await quiet(file, 150);
    }

    // Where 10 rows down is, pressed slowly.
    tmux.sendKeys('k', 'g');
    await quiet(file, 300);
    for (let i = 0; i < 10; i++) { await pressAndWait(toConsole, file, 'j'); await quiet(file, 100); }
    tmux.sendKeys('k', 'Enter');
    await quiet(file, 500);
    const slowScreen = tmux.capture('k');
    tmux.sendKeys('k', 'q');
    await quiet(file, 500);

    // Key repeat: a press every 10 ms.
    tmux.sendKeys('k', 'g');
    await quiet(file, 500);
    const sequence = [...Array(40).fill('j'), ...Array(30).fill('k')] as string[];
    const { repeat, lastFrameAfterLastPress } = await burst(toConsole, file, sequence);
    tmux.sendKeys('k', 'Enter');
    await quiet(file, 500);
    const repeatScreen = tmux.capture('k');
    const idOf = (screen: string) => /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(screen)?.[0] ?? '(no id on screen)';
    const right = idOf(slowScreen) === idOf(repeatScreen) && idOf(slowScreen) !== '(no id on screen)';

    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
    const net = (values: number[], q: number) => f(quantile(values, q) - base);
    process.stdout.write(`key latency, ${tasks} tasks (dsa110-v2), 120x40, failures pane; ${before}\n`);
    process.stdout.write(`${table(['figure', 'p50 ms', 'p95 ms', 'max ms', 'p95 net of baseline', 'target p95'], [
      ['baseline: send-keys to `cat` (tmux path)', f(median(baseline)), f(quantile(baseline, 0.95)), f(Math.max(...baseline)), '', ''],
      ['baseline: a send-keys every 10 ms to `cat`', f(median(catRepeat)), f(quantile(catRepeat, 0.95)), f(Math.max(...catRepeat)), '', ''],
      [`isolated j/k, ${presses} presses`, f(median(isolated)), f(quantile(isolated, 0.95)), f(Math.max(...isolated)), net(isolated, 0.95), '50'],
      // Net: each press minus the same press of the cat burst (same send pattern, same tmux lag).
      [`repeat every 10 ms, ${sequence.length} presses`, f(median(repeat)), f(quantile(repeat, 0.95)), f(Math.max(...repeat)),
        f(quantile(repeat.map((x, i) => x - (catRepeat[i] ?? NaN)).filter((x) => !Number.isNaN(x)), 0.95)), '150'],
    ])}\n`);
    process.stdout.write(`repeat: the last press's frame ${f(repeat.at(-1) ?? NaN)} ms after it, the last frame of any kind ${f(lastFrameAfterLastPress)} ms; final selection ${right ? 'right' : 'WRONG'} (slow: ${idOf(slowScreen)}, repeat: ${idOf(repeatScreen)})\n`);
    process.stdout.write(`bytes written in 2 s without keys: ${idle2s}; isolated presses without a frame within 3 s: ${isolated.filter((x) => Number.isNaN(x)).length}\n`);
    process.stdout.write(`after: ${machineLine()}\n`);
  } finally {
    tmux.kill();
    await world.cleanup();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
