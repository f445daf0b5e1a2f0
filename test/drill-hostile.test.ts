// Drill: hostile data in a real database, in the journal and in a log file never reaches the
// terminal as control sequences, and never widens a line past the terminal.
//   tasks (dsa110-v2): OSC title, CSI clear screen, SGR, DCS, BEL, C1 CSI (U+009B), bidi override,
//     a queue name with ESC, a 1 MB error with escapes inside, a 10,000-character task name,
//     escapes inside JSON results (jsonb refuses NUL and lone surrogates, so those go to logs);
//   journal (fake journalctl): OSC/CSI in MESSAGE, NUL (\u0000), lone surrogates, invalid UTF-8
//     as journald's byte-array form, a 1 MB line;
//   a log file: raw invalid UTF-8 bytes and raw escape sequences.
// Checked: `--once` piped (no ESC at all, lines <= 120 columns); `--once` on a tmux TTY and the
// interactive console in tmux (every byte written to the pane: only cursor/erase/SGR/mode
// sequences the program makes, no OSC, DCS, BEL or C1; the pane title unchanged; the header
// still on the first line, i.e. nothing wrapped and scrolled the frame), also in task detail
// of the 1 MB error and after scrolling the logs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayWidth } from '../src/text/format/width.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { journalEntry } from './helpers/fake-journal.js';
import { HOSTILE } from './helpers/snapshot-fixtures.js';
import { waitUntil } from './helpers/wait-until.js';
import { builtCli, consoleWorld, ensureBuilt, repoRoot, Tmux, type ConsoleWorld } from '../bench/lib/harness.js';

const MB = 1024 * 1024;
const hostileTexts = [HOSTILE.osc, HOSTILE.clear, HOSTILE.sgr, HOSTILE.bell, HOSTILE.c1, HOSTILE.bidi, HOSTILE.dcs, HOSTILE.cr, HOSTILE.tabsAndNewlines, HOSTILE.wide, HOSTILE.zalgo, '\x1b]52;c;cHduZWQ=\x07', '\x1b[?1049l\x1b[?25l'];
const longName = `task-${'n'.repeat(10_000)}`;
const bigError = `Traceback (most recent call last):\n${HOSTILE.osc}${HOSTILE.clear}${'E'.repeat(MB)}\n${HOSTILE.sgr}the end`;

/** Sequences only the program itself may write: CSI cursor/erase/SGR/private modes. Anything else came from data. */
function forbiddenSequences(raw: string): string[] {
  const found: string[] = [];
  const describe = (s: string) => JSON.stringify(s.slice(0, 24));
  for (const m of raw.matchAll(/\x1b\]|\x1bP|\x1b_|\x1b\^|\x1bX|\x07|[\u0080-\u009f]/g)) found.push(`${describe(raw.slice(m.index, m.index + 24))} at ${m.index}`);
  // Any CSI other than the ones a renderer needs: SGR (m), cursor moves (A-H, G), erase line (K),
  // erase below (J with 0/none), private modes (?...h/l).
  for (const m of raw.matchAll(/\x1b\[([0-9;?]*)([ -\/]*)([@-~])/g)) {
    const [, params, , final] = m;
    const ok = 'mABCDEFGHKfr'.includes(final!) || (final === 'J' && (params === '' || params === '0'))
      || ((final === 'h' || final === 'l') && params!.startsWith('?'));
    if (!ok) found.push(`CSI ${describe(m[0])} at ${m.index}`);
  }
  // ESC followed by anything that is not '[' (CSI), '7'/'8' (save/restore) or '=' '>' (keypad).
  for (const m of raw.matchAll(/\x1b([^[78=>\]P_^X])/g)) found.push(`ESC ${describe(raw.slice(m.index, m.index + 8))} at ${m.index}`);
  return found;
}

let db: TestDatabase;
let world: ConsoleWorld;
let logFile: string;
const dir = mkdtempSync(join(tmpdir(), 'absurd-top-hostile-'));

before(async () => {
  db = await createTestDatabase({ flavour: 'dsa110-v2' });
  const q = 'dsa110-pipeline';
  const insert = (queue: string, name: string, status: string, extra: { error?: string; worker?: string; result?: unknown } = {}) => db.pool.query(
    `insert into absurd.tasks (queue_name, task_name, status, error, worker_id, result, attempt, created_at, claimed_at, completed_at)
     values ($1, $2, $3, $4, $5, $6::jsonb, 1, now() - interval '5 minutes', now() - interval '4 minutes',
             case when $3 in ('completed', 'failed') then now() - interval '1 minute' end)`,
    [queue, name, status, extra.error ?? null, extra.worker ?? null, extra.result === undefined ? null : JSON.stringify(extra.result)]);
  for (const [i, text] of hostileTexts.entries()) {
    await insert(q, `hostile-${i}${text}`, 'failed', { error: `${text} failed`, worker: `node${text}-1a2b3c4d` });
    await insert(q, `running${text}`, 'claimed', { worker: `w${text}-deadbeef` });
    await insert(q, `done${text}`, 'completed', { result: { status: 'error', message: `${text} bad` } });
  }
  await insert(q, longName, 'failed', { error: bigError, worker: 'node1-00000001' });
  await insert(q, `big${HOSTILE.osc}`, 'failed', { error: bigError });
  await insert(`queue${HOSTILE.clear}${HOSTILE.osc}`, 'imaging', 'pending');
  await insert(`queue-${'q'.repeat(300)}`, 'imaging', 'pending');

  world = await consoleWorld({ journalLines: 5 });
  await world.journal.append(
    journalEntry({ MESSAGE: `osc ${HOSTILE.osc} clear ${HOSTILE.clear} sgr ${HOSTILE.sgr} dcs ${HOSTILE.dcs}` }),
    journalEntry({ MESSAGE: `nul ${HOSTILE.nul} lone ${HOSTILE.loneSurrogate} c1 ${HOSTILE.c1} bell ${HOSTILE.bell}` }),
    // journald gives non-UTF-8 messages as an array of bytes.
    journalEntry({ MESSAGE: [...Buffer.from('bytes '), 0xff, 0xfe, 0x1b, ...Buffer.from(']0;pwned'), 0x07, 0xc3, 0x28, ...Buffer.from(' end')] }),
    journalEntry({ MESSAGE: `huge ${HOSTILE.osc}${'L'.repeat(MB)}` }),
    journalEntry({ MESSAGE: `${longName} ${HOSTILE.bidi}`, _SYSTEMD_UNIT: `dsa110-absurd-worker@1.service` }),
    journalEntry({ MESSAGE: 'multi\nline\r\nmessage\twith tabs' }),
  );
  logFile = join(dir, 'worker.log');
  writeFileSync(logFile, Buffer.concat([
    Buffer.from('2026-01-01 00:00:00 INFO plain line\n'),
    Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0xc3, 0x28, 0x0a]),
    Buffer.from(`osc ${HOSTILE.osc} clear ${HOSTILE.clear}\n`),
    Buffer.from('nul \x00 byte and \x9b2J c1\n'),
    Buffer.from(`${'F'.repeat(200_000)}\n`),
  ]));
  writeFileSync(world.configFile, JSON.stringify({ disks: { paths: ['/'], incoming: null }, logs: { files: [logFile] } }));
});

after(async () => {
  await world?.cleanup();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The report without its Queues section. */
function outsideQueueTable(report: string): string[] {
  const lines = report.split('\n');
  const start = lines.indexOf('Queues');
  if (start === -1) return lines;
  const end = lines.findIndex((l, i) => i > start && l === '');
  return [...lines.slice(0, start), ...lines.slice(end === -1 ? lines.length : end)];
}

function once(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--once', '-d', db.url, '-c', world.configFile, ...args], {
      cwd: repoRoot, env: world.env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the detector finds what data could smuggle in, and passes what a renderer writes', () => {
  for (const text of [HOSTILE.osc, HOSTILE.clear, HOSTILE.bell, HOSTILE.c1, HOSTILE.dcs, '\x1b]52;c;eA==\x07', '\x1bc', '\x1b[3J']) {
    assert.notDeepEqual(forbiddenSequences(`ok ${text} ok`), [], JSON.stringify(text));
  }
  assert.deepEqual(forbiddenSequences('\x1b[?1049h\x1b[H\x1b[2K\x1b[1A\x1b[G\x1b[1;7m\x1b[31mX\x1b[0m\x1b[?25l\x1b[J'), []);
});

describe('--once', () => {
  test('piped: no escape character at all, no line wider than 120 columns, every hostile row listed', async () => {
    const run = await once([]);
    assert.ok(run.code !== null && run.code <= 2, run.stderr);
    assert.doesNotMatch(run.stdout, /\x1b|\x07|[\u0080-\u009f]|\x00/, 'no control characters in the report');
    // The queue table is checked on its own below (it is too wide whatever the data).
    const wide = outsideQueueTable(run.stdout).filter((l) => displayWidth(l) > 120).map((l) => `${displayWidth(l)}: ${l.slice(0, 100)}`);
    assert.deepEqual(wide, [], 'lines wider than 120 columns');
    assert.match(run.stdout, /hostile-/);
    assert.ok(run.stdout.length < 200_000, `the 1 MB error is not printed whole (${run.stdout.length} bytes)`);
  });

  test('piped: the queue table fits in 120 columns too', async () => {
    const run = await once([]);
    const wide = run.stdout.split('\n').filter((l) => displayWidth(l) > 120).map((l) => `${displayWidth(l)}: ${l.slice(0, 60)}`);
    assert.deepEqual(wide, []);
  });

  test('--json: valid JSON whose strings carry the data escaped, not raw control bytes on the wire', async () => {
    const run = await once(['--json']);
    assert.doesNotMatch(run.stdout, /\x1b|\x07/, 'JSON escapes control characters');
    const parsed = JSON.parse(run.stdout) as { snapshot: { db: { failures: { name: string }[] } } };
    assert.ok(parsed.snapshot.db.failures.some((t) => t.name.includes('\x1b]0;pwned')), 'the data itself is intact in JSON');
  });
});

describe('on a terminal (tmux)', () => {
  let tmux: Tmux;
  before(() => {
    ensureBuilt({ allowTypeErrors: true });
    tmux = new Tmux();
  });
  after(() => tmux?.kill());

  test('--once on a TTY: only SGR colours, no sequence from data, pane title unchanged', async () => {
    const bytes = join(dir, 'once.bytes');
    tmux.start('once', [process.execPath, builtCli, '--once', '-d', db.url, '-c', world.configFile], world.env, 120, 40, { gate: true });
    tmux.pipe('once', bytes);
    tmux.release('once');
    await waitUntil(() => tmux.display('once', '#{pane_dead}') === '1', { what: '--once to finish', timeoutMs: 30_000 });
    const raw = readFileSync(bytes, 'utf8');
    assert.match(raw, /hostile-/);
    assert.deepEqual(forbiddenSequences(raw), []);
    assert.deepEqual([...raw.matchAll(/\x1b\[[0-9;]*([@-~])/g)].map((m) => m[1]).filter((f) => f !== 'm'), [], 'only SGR in a report');
    assert.doesNotMatch(tmux.display('once', '#{pane_title}'), /pwned/);
  });

  test('the console: no sequence from data in anything it writes, frame intact, in the dashboard, task detail and logs', async () => {
    const bytes = join(dir, 'console.bytes');
    const pid = tmux.start('console', [process.execPath, builtCli, '-d', db.url, '-c', world.configFile, '--refresh', '1'], world.env, 120, 40, { gate: true });
    tmux.pipe('console', bytes);
    tmux.release('console');
    const screen = () => tmux.capture('console');
    await waitUntil(() => /hostile-/.test(screen()), { what: 'hostile rows on screen', timeoutMs: 30_000, intervalMs: 100 });
    const check = (where: string, header = /absurd-top/) => {
      const text = screen();
      const lines = text.split('\n');
      assert.match(lines[0] ?? '', header, `${where}: the header is still the first line:\n${text}`);
      assert.doesNotMatch(tmux.display('console', '#{pane_title}'), /pwned/, `${where}: the pane title was not set by data`);
      const raw = existsSync(bytes) ? readFileSync(bytes, 'utf8') : '';
      assert.deepEqual(forbiddenSequences(raw), [], `${where}: forbidden sequences in the output`);
      assert.equal(tmux.display('console', '#{alternate_on}'), '1', `${where}: still on the alternate screen (no ESC[?1049l from data)`);
    };
    check('dashboard');
    // Task detail of a failure (the 1 MB error is among them): focus failures, open, scroll to the end.
    tmux.sendKeys('console', '3');
    await waitUntil(() => screen().includes('━  3 Failures'), { what: 'failures focused' });
    tmux.sendKeys('console', 'Enter');
    await waitUntil(() => /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(screen()), { what: 'task detail with the full id', timeoutMs: 15_000 });
    check('task detail', /Task [0-9a-f]{8}/);
    const detail = screen();
    tmux.sendKeys('console', 'G');
    await waitUntil(() => screen() !== detail, { what: 'task detail scrolled to the end', timeoutMs: 15_000 }).catch(() => undefined);
    check('task detail, end', /Task [0-9a-f]{8}/);
    tmux.sendKeys('console', 'q');
    await waitUntil(() => screen().includes('━  3 Failures'), { what: 'back on the dashboard' });
    // The logs pane, scrolled back over the hostile lines.
    tmux.sendKeys('console', '4');
    await waitUntil(() => screen().includes('━  4 Logs'), { what: 'logs focused' });
    const logs = screen();
    tmux.sendKeys('console', 'k', 'k', 'k', 'k', 'k', 'k');
    await waitUntil(() => screen() !== logs, { what: 'logs scrolled' });
    check('logs');
    // The journal follower delivers on its own clock (slower on a loaded machine): wait for every hostile line to be drawn.
    const markers = ['osc ', 'nul ', 'bytes ', 'huge ', 'plain line'];
    const notDrawn = () => { const shown = readFileSync(bytes, 'utf8'); return markers.filter((m) => !shown.includes(m)); };
    await waitUntil(() => notDrawn().length === 0, { what: 'every hostile log line drawn', timeoutMs: 30_000 })
      .catch(() => assert.deepEqual(notDrawn(), [], 'hostile log lines never drawn'));
    check('logs, all lines drawn');
    assert.equal(tmux.display('console', '#{pane_dead}'), '0', 'the console is still running');
    process.kill(pid, 'SIGTERM');
  });
});
