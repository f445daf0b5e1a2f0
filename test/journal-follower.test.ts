import { test } from 'node:test';
import { appendFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { JournalLogSource, journalArgs, templateGlob, type JournalOptions } from '../src/data/logs/journal-follower.js';
import { parseJournalLine, MAX_MESSAGE_CHARS } from '../src/data/logs/journal-parse.js';
import type { LogLine } from '../src/data/snapshot.js';
import { journalEntry, setupFakeJournal, type FakeJournal } from './helpers/fake-journal.js';
import { waitUntil } from './helpers/wait-until.js';

const base: Omit<JournalOptions, 'env'> = {
  units: ['dsa110-mosaic-daemon.service'],
  templates: ['dsa110-absurd-worker@.service'],
  backlog: 5,
  flushMs: 20,
  restartMinMs: 50,
  restartMaxMs: 200,
};

/** Follows with the fake; collects lines and every problem reported. */
function start(fake: FakeJournal, extra: Partial<JournalOptions> = {}) {
  const lines: LogLine[] = [];
  const problems: (string | null)[] = [];
  const batches: number[] = [];
  const stop = new JournalLogSource({ ...base, env: fake.env, ...extra }).follow(
    (batch) => { batches.push(batch.length); lines.push(...batch); },
    (p) => problems.push(p),
  );
  return { lines, problems, batches, stop, lastProblem: () => problems.at(-1) ?? null };
}

test('parse: string, byte-array and null MESSAGE, missing fields, unit fallbacks', () => {
  const now = 1_700_000_000_000;
  const p = (o: object) => parseJournalLine(JSON.stringify(o), false, now)!;
  const full = p({ __CURSOR: 'c1', __REALTIME_TIMESTAMP: '1705312800123456', _SYSTEMD_UNIT: 'dsa110-absurd-worker@2.service', PRIORITY: '3', MESSAGE: 'boom' });
  assert.deepEqual(full, { cursor: 'c1', line: { time: 1705312800123, unit: 'dsa110-absurd-worker@2.service', host: null, priority: 3, message: 'boom' } });
  // Invalid UTF-8 arrives as an array of bytes.
  assert.equal(p({ MESSAGE: [0x68, 0x69, 0xff, 0x21] }).line.message, 'hi\ufffd!');
  assert.match(p({ MESSAGE: null }).line.message, /not shown/);
  const bare = p({});
  assert.deepEqual(bare.line, { time: now, unit: 'journal', host: null, priority: 6, message: '[no message]' });
  assert.equal(bare.cursor, null);
  assert.equal(p({ SYSLOG_IDENTIFIER: 'absurd-worker', MESSAGE: 'x' }).line.unit, 'absurd-worker');
  // systemd's own line about a unit: _SYSTEMD_UNIT is init.scope, UNIT names the service.
  assert.equal(p({ _SYSTEMD_UNIT: 'init.scope', UNIT: 'dsa110-absurd-worker@3.service', MESSAGE: 'Started' }).line.unit, 'dsa110-absurd-worker@3.service');
  assert.equal(p({ PRIORITY: 'banana', MESSAGE: 'x' }).line.priority, 6);
  assert.match(parseJournalLine('not json', false, now)!.line.message, /unreadable journal line/);
  assert.equal(parseJournalLine('   ', false, now), null);
  assert.ok(p({ MESSAGE: 'y'.repeat(MAX_MESSAGE_CHARS * 3) }).line.message.length < MAX_MESSAGE_CHARS + 100);
  // A line cut by the splitter is salvaged from the fields before the cut.
  const cut = JSON.stringify({ __REALTIME_TIMESTAMP: '1705312800000000', _SYSTEMD_UNIT: 'u.service', PRIORITY: '4', MESSAGE: 'z'.repeat(100_000) }).slice(0, 50_000);
  const salvaged = parseJournalLine(cut, true, now)!.line;
  assert.equal(salvaged.unit, 'u.service');
  assert.equal(salvaged.time, 1705312800000);
  assert.equal(salvaged.priority, 4);
  assert.match(salvaged.message, /^z+ … \[entry truncated: too large\]$/);
});

test('arguments: json, follow, backlog, the producer and the template glob; resume by cursor', () => {
  assert.equal(templateGlob('dsa110-absurd-worker@.service'), 'dsa110-absurd-worker@*');
  assert.deepEqual(journalArgs({ ...base }, null), ['-o', 'json', '-f', '-n', '5', '-u', 'dsa110-mosaic-daemon.service', '-u', 'dsa110-absurd-worker@*']);
  assert.deepEqual(journalArgs({ ...base }, 's=1;i=2').slice(0, 4), ['-o', 'json', '-f', '--after-cursor=s=1;i=2']);
});

test('backlog then follow, batched, only the configured units', async (t) => {
  const fake = await setupFakeJournal({
    entries: [
      journalEntry({ MESSAGE: 'old 1' }), journalEntry({ MESSAGE: 'old 2' }),
      journalEntry({ _SYSTEMD_UNIT: 'sshd.service', MESSAGE: 'not ours' }),
      ...Array.from({ length: 5 }, (_, i) => journalEntry({ _SYSTEMD_UNIT: 'dsa110-mosaic-daemon.service', MESSAGE: `daemon ${i}` })),
    ],
  });
  const run = start(fake);
  t.after(async () => { run.stop(); await fake.cleanup(); });
  await waitUntil(() => run.lines.length >= 5, { what: 'backlog' });
  assert.deepEqual(run.lines.map((l) => l.message), ['daemon 0', 'daemon 1', 'daemon 2', 'daemon 3', 'daemon 4']);
  assert.deepEqual(run.batches, [5], 'the backlog arrives as one batch');
  const calls = await fake.calls();
  assert.deepEqual(calls[0]!.argv, ['-o', 'json', '-f', '-n', '5', '-u', 'dsa110-mosaic-daemon.service', '-u', 'dsa110-absurd-worker@*']);

  await fake.append(journalEntry({ _SYSTEMD_UNIT: 'dsa110-absurd-worker@4.service', MESSAGE: 'Worker dsa110-node1-0badc0de starting', PRIORITY: '5' }));
  await waitUntil(() => run.lines.length === 6, { what: 'followed line' });
  assert.deepEqual(run.lines[5], {
    seq: 0, time: run.lines[5]!.time, unit: 'dsa110-absurd-worker@4.service', host: null, priority: 5,
    message: 'Worker dsa110-node1-0badc0de starting',
  });
  assert.deepEqual(run.problems, []);
});

test('lines split across chunk boundaries and a 1 MB line are handled', async (t) => {
  const fake = await setupFakeJournal();
  const run = start(fake);
  t.after(async () => { run.stop(); await fake.cleanup(); });
  await waitUntil(async () => (await fake.calls()).length === 1, { what: 'journalctl started' });
  // Write one entry in two pieces: the fake prints only whole lines, so also test the parser's
  // own splitting by making one printed line bigger than a pipe chunk (64 KiB).
  const big = JSON.stringify(journalEntry({ MESSAGE: `é${'x'.repeat(1024 * 1024)}` }));
  const after = JSON.stringify(journalEntry({ MESSAGE: 'after the big one' }));
  const medium = JSON.stringify(journalEntry({ MESSAGE: `ü${'m'.repeat(40_000)}` }));
  await appendFile(fake.linesFile, medium.slice(0, 1000));
  await appendFile(fake.linesFile, `${medium.slice(1000)}\n${big}\n${after}\n`);
  await waitUntil(() => run.lines.length >= 3, { what: 'three lines', timeoutMs: 10_000 });
  assert.equal(run.lines[0]!.message.length <= 8 * 1024 + 60, true);
  assert.match(run.lines[0]!.message, /^üm+/);
  assert.match(run.lines[1]!.message, /^éx+ … \[entry truncated: too large\]$/);
  assert.equal(run.lines[2]!.message, 'after the big one');
});

test('a follower that exits is restarted after the last cursor, without replaying', async (t) => {
  const fake = await setupFakeJournal({ entries: [journalEntry({ MESSAGE: 'one' }), journalEntry({ MESSAGE: 'two' })], mode: 'exit' });
  const run = start(fake);
  t.after(async () => { run.stop(); await fake.cleanup(); });
  await waitUntil(() => run.lastProblem()?.includes('journalctl exited (code 1)'), { what: 'exit reported' });
  await fake.append(journalEntry({ MESSAGE: 'three' }));
  await waitUntil(() => run.lines.some((l) => l.message === 'three'), { what: 'line after restart' });
  const calls = await fake.calls();
  assert.ok(calls.length >= 2);
  assert.ok(calls[1]!.argv.includes('--after-cursor=fake;line=2'), JSON.stringify(calls[1]!.argv));
  assert.ok(!calls[1]!.argv.includes('-n'));
  assert.deepEqual(run.lines.map((l) => l.message).slice(0, 3), ['one', 'two', 'three'], 'nothing replayed');
  assert.ok(run.problems.includes(null), 'the problem cleared when lines flowed again');
  // Attempts that bring nothing back off: 50 ms, 100 ms, then the 200 ms ceiling.
  await waitUntil(() => run.problems.some((p) => p?.endsWith('retrying in 200 ms')), { what: 'backoff' });
  const delays = run.problems.filter((p): p is string => p !== null).map((p) => Number(/retrying in (\d+) ms/.exec(p)?.[1]));
  assert.deepEqual(delays.slice(-2), [100, 200]);
});

test('journalctl missing: a problem with the reason, retried, nothing thrown', async (t) => {
  const fake = await setupFakeJournal({ withJournalctl: false });
  const run = start(fake);
  t.after(async () => { run.stop(); await fake.cleanup(); });
  await waitUntil(() => run.lastProblem(), { what: 'problem' });
  assert.match(run.lastProblem()!, /journalctl not found/);
  assert.match(run.lastProblem()!, /logs\.journal/);
  assert.deepEqual(run.lines, []);
});

test('permission denied names the fix, and clears once lines flow', async (t) => {
  const fake = await setupFakeJournal({ entries: [journalEntry({ MESSAGE: 'visible' })], mode: 'denied' });
  const run = start(fake);
  t.after(async () => { run.stop(); await fake.cleanup(); });
  await waitUntil(() => run.lastProblem(), { what: 'problem' });
  assert.match(run.lastProblem()!, /insufficient permissions|permission denied/);
  assert.match(run.lastProblem()!, /add the user to the systemd-journal group/);
  // The operator fixes the group: the next attempt succeeds and the problem goes away.
  fake.env.FAKE_JOURNALCTL_MODE = '';
  await waitUntil(() => run.lines.length === 1 && run.lastProblem() === null, { what: 'recovery' });
});

test('partial visibility (the group hint) stays reported while lines flow', async (t) => {
  const fake = await setupFakeJournal({ entries: [journalEntry({ MESSAGE: 'own line' })], mode: 'hint' });
  const run = start(fake);
  t.after(async () => { run.stop(); await fake.cleanup(); });
  await waitUntil(() => run.lines.length === 1 && run.lastProblem(), { what: 'line and hint' });
  assert.match(run.lastProblem()!, /systemd-journal group/);
});

test('stop kills the follower and nothing arrives afterwards', async (t) => {
  const fake = await setupFakeJournal({ mode: 'hang' });
  const run = start(fake);
  t.after(() => fake.cleanup());
  const [call] = await waitUntil(async () => { const c = await fake.calls(); return c.length > 0 && c; }, { what: 'spawned' });
  run.stop();
  await waitUntil(() => { try { process.kill(call!.pid, 0); return false; } catch { return true; } }, { what: 'child gone' });
  assert.deepEqual(run.problems, []);
});
