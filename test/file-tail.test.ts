import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, open, rename, rm, truncate, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileLogSource, mergeByTime } from '../src/data/logs/file-tail.js';
import { fileUnitName, guessPriority, parseLeadingTime } from '../src/data/logs/file-line.js';
import { CombinedLogSource } from '../src/data/logs/combined-source.js';
import type { LogLine } from '../src/data/snapshot.js';
import type { LogSource } from '../src/data/sources.js';
import { waitUntil } from './helpers/wait-until.js';

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'absurd-top-tail-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function follow(source: LogSource, t: { after: (fn: () => void) => void }) {
  const lines: LogLine[] = [];
  const problems: (string | null)[] = [];
  const stop = source.follow((b) => lines.push(...b), (p) => problems.push(p));
  t.after(stop);
  return { lines, problems, messages: () => lines.map((l) => l.message), lastProblem: () => problems.at(-1) ?? null };
}

const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');

test('file lines: unit from the file name, priority from the level word, leading timestamps', () => {
  assert.equal(fileUnitName('/data/dsa110-contimg/state/logs/absurd-worker.log'), 'absurd-worker');
  assert.equal(fileUnitName('/var/log/absurd-scheduler.out'), 'absurd-scheduler.out');
  assert.equal(guessPriority('2024-01-15 10:00:00,123 - absurd - ERROR - task failed'), 3);
  assert.equal(guessPriority('2024-01-15 10:00:00 WARNING disk 85% full'), 4);
  assert.equal(guessPriority('[DEBUG] polling'), 7);
  assert.equal(guessPriority('ts=1 level=error msg="boom"'), 3);
  assert.equal(guessPriority('no error found, all fine'), 6, 'lower-case words are not levels');
  assert.equal(guessPriority('CRITICAL database unreachable'), 2);
  assert.equal(parseLeadingTime('2024-01-15T10:00:00Z started'), Date.UTC(2024, 0, 15, 10));
  assert.equal(parseLeadingTime('2024-01-15 10:00:00,250+0100 x'), Date.UTC(2024, 0, 15, 9, 0, 0, 250));
  assert.equal(parseLeadingTime('[2024-01-15 10:00:00.5] x'), new Date(2024, 0, 15, 10, 0, 0, 500).getTime());
  assert.equal(parseLeadingTime('worker started'), null);
});

test('starts with the last backlog lines, then follows appends in order', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'absurd-worker.log');
  await writeFile(file, numbered(1, 20));
  const run = follow(new FileLogSource({ files: [file], backlog: 3, pollMs: 20 }), t);
  await waitUntil(() => run.lines.length === 3, { what: 'backlog' });
  assert.deepEqual(run.messages(), ['line 18', 'line 19', 'line 20']);
  assert.equal(run.lines[0]!.unit, 'absurd-worker');
  await appendFile(file, 'line 21\nline 2');
  await appendFile(file, '2 ERROR half written\n');
  await waitUntil(() => run.lines.length === 5, { what: 'appended lines' });
  assert.deepEqual(run.messages().slice(3), ['line 21', 'line 22 ERROR half written']);
  assert.equal(run.lines[4]!.priority, 3);
  assert.deepEqual(run.problems, []);
});

test('rotation: the rest of the old file is read, then the new file from its start', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'absurd-worker.log');
  await writeFile(file, numbered(1, 5));
  const run = follow(new FileLogSource({ files: [file], backlog: 2, pollMs: 20 }), t);
  await waitUntil(() => run.lines.length === 2, { what: 'backlog' });
  // logrotate (create mode): the writer still appends to the renamed file for a moment.
  await rename(file, `${file}.1`);
  await appendFile(`${file}.1`, 'line 6 (late write to the old file)\n');
  await writeFile(file, 'new 1\nnew 2\n');
  await waitUntil(() => run.lines.length === 5, { what: 'rotated lines' });
  assert.deepEqual(run.messages(), ['line 4', 'line 5', 'line 6 (late write to the old file)', 'new 1', 'new 2']);
});

test('rotation: lines the writer appends to the renamed file after the tailer saw the rename are not lost', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'absurd-worker.log');
  await writeFile(file, numbered(1, 3));
  const run = follow(new FileLogSource({ files: [file], backlog: 1, pollMs: 20 }), t);
  await waitUntil(() => run.lines.length === 1, { what: 'backlog' });
  await rename(file, `${file}.1`);
  await waitUntil(() => run.lastProblem()?.includes('is missing'), { what: 'the rename seen' });
  // The writer has not reopened yet: its next lines still go to the renamed file.
  await appendFile(`${file}.1`, 'late 1\nlate 2\n');
  await waitUntil(() => run.lines.length === 3, { what: 'late lines from the renamed file' });
  await writeFile(file, 'new 1\n');
  await waitUntil(() => run.lines.length === 4, { what: 'the new file' });
  assert.deepEqual(run.messages(), ['line 3', 'late 1', 'late 2', 'new 1']);
});

test('truncation (copytruncate): reading starts again at the top', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'absurd-scheduler.log');
  await writeFile(file, numbered(1, 10));
  const run = follow(new FileLogSource({ files: [file], backlog: 1, pollMs: 20 }), t);
  await waitUntil(() => run.lines.length === 1, { what: 'backlog' });
  await truncate(file, 0);
  await appendFile(file, 'after truncate\n');
  await waitUntil(() => run.lines.length === 2, { what: 'line after truncation' });
  assert.deepEqual(run.messages(), ['line 10', 'after truncate']);
});

test('a missing file is a problem, not an error, and is picked up when it appears', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'late.log');
  const run = follow(new FileLogSource({ files: [file], backlog: 10, pollMs: 20 }), t);
  await waitUntil(() => run.lastProblem(), { what: 'missing reported' });
  assert.match(run.lastProblem()!, /late\.log is missing/);
  await writeFile(file, 'INFO hello\n');
  await waitUntil(() => run.lines.length === 1 && run.lastProblem() === null, { what: 'file picked up' });
  assert.equal(run.lines[0]!.unit, 'late');
});

test('unreadable file is reported; other files keep flowing', { skip: process.getuid?.() === 0 ? 'root reads everything' : false }, async (t) => {
  const dir = await tempDir(t);
  const locked = join(dir, 'locked.log');
  const open = join(dir, 'open.log');
  await writeFile(locked, 'secret\n');
  await chmod(locked, 0o000);
  await writeFile(open, 'visible\n');
  const run = follow(new FileLogSource({ files: [locked, open], backlog: 10, pollMs: 20 }), t);
  await waitUntil(() => run.lines.length === 1 && run.lastProblem(), { what: 'line and problem' });
  assert.match(run.lastProblem()!, /locked\.log: permission denied/);
  assert.equal(run.lines[0]!.message, 'visible');
});

test('a path that cannot be read as a file is reported, not fatal', async (t) => {
  const dir = await tempDir(t);
  const odd = join(dir, 'odd.log');
  await mkdir(odd);
  const ok = join(dir, 'ok.log');
  await writeFile(ok, 'fine\n');
  const run = follow(new FileLogSource({ files: [odd, ok], backlog: 10, pollMs: 20 }), t);
  await waitUntil(() => run.lines.length === 1 && run.lastProblem(), { what: 'line and problem' });
  assert.match(run.lastProblem()!, /odd\.log: EISDIR/);
});

test('a file whose read hangs (FIFO, like a dead NFS mount) is reported; the others keep flowing', async (t) => {
  const dir = await tempDir(t);
  const fifo = join(dir, 'stuck.log');
  execFileSync('mkfifo', [fifo]);
  const ok = join(dir, 'ok.log');
  await writeFile(ok, 'first\n');
  const run = follow(new FileLogSource({ files: [fifo, ok], backlog: 10, pollMs: 20, pollTimeoutMs: 100 }), t);
  try {
    await waitUntil(() => run.lines.length === 1 && run.lastProblem(), { what: 'line and problem' });
    assert.match(run.lastProblem()!, /stuck\.log is not responding/);
    await appendFile(ok, 'second\n');
    await waitUntil(() => run.lines.length === 2, { what: 'the healthy file still flows' });
  } finally {
    // Opening a FIFO blocks a thread-pool thread until a writer comes; release it before the
    // temp dir is removed, or the test process never exits.
    const h = await open(fifo, 'w');
    await h.close();
  }
  await waitUntil(() => run.lastProblem() === null, { what: 'the FIFO answered' });
});

test('mergeByTime interleaves files by time but keeps each file in its own order', () => {
  const l = (unit: string, time: number, message: string) => ({ time, unit, host: null, priority: 6, message });
  const a = [l('a', 1, 'a1'), l('a', 5, 'a-traceback'), l('a', 3, 'a3')];
  const b = [l('b', 2, 'b2'), l('b', 4, 'b4')];
  assert.deepEqual(mergeByTime([a, [], b]).map((x) => x.message), ['a1', 'b2', 'b4', 'a-traceback', 'a3']);
  assert.deepEqual(mergeByTime([]), []);
});

test('a huge line is truncated, the lines after it still arrive', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'big.log');
  await writeFile(file, '');
  const run = follow(new FileLogSource({ files: [file], backlog: 10, pollMs: 20, maxLineChars: 1000 }), t);
  await appendFile(file, `${'x'.repeat(1024 * 1024)}\nafter\n`);
  await waitUntil(() => run.lines.length === 2, { what: 'two lines' });
  assert.match(run.lines[0]!.message, /^x{1000} … \[line truncated\]$/);
  assert.equal(run.lines[1]!.message, 'after');
});

test('combined source merges lines and problems of several sources', async (t) => {
  const dir = await tempDir(t);
  const a = join(dir, 'a.log');
  await writeFile(a, 'from a\n');
  const failing: LogSource = { follow: (_l, onProblem) => { onProblem('journalctl not found'); return () => undefined; } };
  const throwing: LogSource = { follow: () => { throw new Error('boom'); } };
  const run = follow(new CombinedLogSource([new FileLogSource({ files: [a], backlog: 5, pollMs: 20 }), failing, throwing]), t);
  await waitUntil(() => run.lines.length === 1, { what: 'file line' });
  assert.equal(run.lastProblem(), 'journalctl not found; log source failed to start: boom');
});
