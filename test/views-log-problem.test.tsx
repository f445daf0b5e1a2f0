/** @jsxRuntime automatic */
// A log source that cannot deliver (no permission to read the journal) says how to fix it in the
// logs pane. The fix is the point of the message, so at the sizes operators use it must be on
// screen whole: wrapped over as many rows as it needs, not cut at the pane's edge.
import './helpers/color-off.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dashboard } from '../src/ui/panes/dashboard.js';
import { LogsPane } from '../src/ui/panes/logs-pane.js';
import { JOURNAL_GROUP_FIX, explainJournalStderr } from '../src/data/logs/journal-follower.js';
import { problemLogLine } from '../src/data/logs/index.js';
import type { LogLine } from '../src/data/snapshot.js';
import type { TerminalSize } from '../src/ui/view-state.js';
import { assertFits, renderFrame } from './helpers/frame.js';
import { NOW, dashboardProps, sampleLogs, view } from './helpers/snapshot-fixtures.js';
import { wrapWords } from '../src/ui/wrap.js';

// What journalctl prints to a user outside the systemd-journal group, as the follower explains it.
const problem = explainJournalStderr('No journal files were opened due to insufficient permissions.\n')!;
const problemLine = (): LogLine => ({ ...problemLogLine(problem, NOW - 1000), seq: 999 });

/** The problem's text as the logs pane shows it: its first row from "logs:", then the rows hanging under it. */
function shownProblem(frame: string, size: TerminalSize): string {
  const right = size.columns >= 110 ? size.columns - 1 - Math.floor((size.columns - 1) / 2) : size.columns;
  const rows = frame.split('\n').map((l) => l.slice(l.length > right ? size.columns - right : 0));
  const first = rows.findIndex((r) => r.includes('logs: journal:'));
  assert.ok(first >= 0, `the problem is on screen:\n${frame}`);
  const indent = rows[first]!.indexOf('logs: journal:');
  const parts = [rows[first]!.slice(indent)];
  for (const row of rows.slice(first + 1)) {
    if (!row.startsWith(' '.repeat(indent)) || row.trim() === '') break;
    parts.push(row.slice(indent));
  }
  return parts.map((p) => p.trim()).join(' ');
}

const sizes: TerminalSize[] = [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }];
for (const size of sizes) {
  test(`${size.columns}×${size.rows}: the journal permission problem and its whole fix are on screen`, () => {
    // The journal cannot be read at all (the problem is the only line), and the same problem
    // arriving after a backlog; logs focused or not.
    for (const logs of [[problemLine()], [...sampleLogs(), problemLine()]]) {
      for (const focus of ['queue', 'logs'] as const) {
        const { frame } = renderFrame(<Dashboard {...dashboardProps({ size, logs, view: view({ focus }) })} />);
        assertFits(frame, size);
        const shown = shownProblem(frame, size);
        assert.equal(shown, `logs: ${problem}`, `focus ${focus}, ${logs.length} lines:\n${frame}`);
        assert.ok(shown.includes(JOURNAL_GROUP_FIX));
      }
    }
  });
}

test('logs pane: a problem wraps between words under the message column; a pane too short shows its start', () => {
  const width = 60;
  const line = problemLine();
  const { lines } = renderFrame(<LogsPane logs={[...sampleLogs(), line]} filter={{ unit: null, text: '' }} scroll={0} paused={false}
    selectedId={null} width={width} height={12} focused={false} color producerUnit="dsa110-mosaic-daemon.service" workerTemplate="dsa110-absurd-worker@.service" />);
  const first = lines.findIndex((l) => l.includes('logs: journal:'));
  const column = lines[first]!.indexOf('logs:');
  const rows = lines.slice(first).map((l) => l.slice(column).trimEnd());
  // Whole, and broken only between words: the rows joined by spaces are the message.
  assert.equal(rows.join(' '), line.message);
  assert.ok(rows.length > 2 && rows.every((r) => r.length <= width - column), rows.join('\n'));
  assert.match(lines[first - 1]!, /absurd-worker@1 +err +OSError: .*…$/, 'older lines above it, one row each, cut as before');

  const short = renderFrame(<LogsPane logs={[line]} filter={{ unit: null, text: '' }} scroll={0} paused={false}
    selectedId={null} width={width} height={3} focused={false} color producerUnit="p" workerTemplate="w@.service" />);
  assert.match(short.lines[1]!, /warn +logs: journal: no journal/);
  assert.equal(short.lines.length, 3);
});

test('logs pane: a failing journalctl reports again at every retry; only the newest report wraps', () => {
  const width = 60;
  const reports = [problem, `${problem}; retrying in 1s`, problem, `${problem}; retrying in 2s`, problem]
    .map((text, i): LogLine => ({ ...problemLogLine(text, NOW - (5 - i) * 1000), seq: i + 1 }));
  const { lines } = renderFrame(<LogsPane logs={reports} filter={{ unit: null, text: '' }} scroll={0} paused={false}
    selectedId={null} width={width} height={14} focused={false} color producerUnit="p" workerTemplate="w@.service" />);
  const starts = lines.map((l, i) => (l.includes('logs: journal:') ? i : -1)).filter((i) => i >= 0);
  assert.equal(starts.length, 5, lines.join('\n'));
  // The four older reports: one row each, cut; the newest: every row of it, whole.
  for (const i of starts.slice(0, 4)) assert.match(lines[i]!, /…$/);
  const column = lines[starts[4]!]!.indexOf('logs:');
  assert.equal(lines.slice(starts[4]).map((l) => l.slice(column).trim()).filter(Boolean).join(' '), reports[4]!.message);
});

test('wrapWords: breaks between words, hard-wraps a word wider than the line', () => {
  const cases: [string, number, string[]][] = [
    ['add the user to the group', 10, ['add the', 'user to', 'the group']],
    ['short', 10, ['short']],
    ['', 10, ['']],
    ['a  b\nc', 10, ['a b c']],
    ['see /var/log/journal/0123456789abcdef now', 12, ['see', '/var/log/jou', 'rnal/0123456', '789abcdef', 'now']],
  ];
  for (const [text, width, expected] of cases) assert.deepEqual(wrapWords(text, width), expected, JSON.stringify(text));
});
