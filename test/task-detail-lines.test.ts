// The task detail as lines: every field, hostile text made harmless, long text wrapped to the
// width (never cut sideways), runs and checkpoints for flavour absurd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayWidth } from '../src/text/format/width.js';
import { detailLines } from '../src/ui/screens/detail-lines.js';
import { detailOf } from './helpers/console-fakes.js';
import { HOSTILE_ALL, HUGE_ERROR, NOW, task } from './helpers/snapshot-fixtures.js';

const text = (lines: ReturnType<typeof detailLines>) => lines.map((l) => l.map((s) => s.text).join(''));

test('ids, state, attempts, worker, timestamps, params and result are all there', () => {
  const t = task({ id: 'abc-1', state: 'failed', rawState: 'failed', attempts: 3, workerId: 'lxd110h17-deadbeef', createdAt: NOW - 60_000, completedAt: NOW, error: 'OSError: disk full' });
  const out = text(detailLines({ ...detailOf(t), result: { status: 'error', files: [1, 2] } }, 100, NOW)).join('\n');
  for (const expected of ['abc-1', 'failed', '3 of 3', 'lxd110h17-deadbeef', 'created_at', '2026-12-01 11:59:00Z (1m ago)', 'OSError: disk full', '"subbands": 16', '"status": "error"']) {
    assert.ok(out.includes(expected), `missing ${expected}`);
  }
});

test('a 1 MB hostile error is sanitised, wrapped to the width and bounded', () => {
  const t = task({ state: 'failed', rawState: 'failed', error: HUGE_ERROR });
  const started = Date.now();
  const lines = text(detailLines({ ...detailOf(t), fullError: `${HUGE_ERROR}\n${HOSTILE_ALL}`, params: { evil: HOSTILE_ALL } }, 80, NOW));
  assert.ok(Date.now() - started < 2000, 'laid out quickly');
  assert.ok(lines.length < 5000, `${lines.length} lines`);
  for (const line of lines) {
    assert.doesNotMatch(line, /[\x00-\x08\x0b-\x1f\x7f\x9b]/, 'no control characters reach the screen');
    assert.ok(displayWidth(line) <= 80, `line wider than 80: ${line.slice(0, 40)}`);
  }
});

test('flavour absurd: runs with their failure reasons and checkpoints', () => {
  const t = task({ state: 'failed', rawState: 'failed', attempts: 2 });
  const detail = {
    ...detailOf(t),
    runs: [
      { runId: 'run-a', attempt: 1, state: 'failed', claimedBy: 'host:1', startedAt: NOW - 120_000, completedAt: null, failedAt: NOW - 100_000, claimExpiresAt: null, failureReason: { name: 'TimeoutError', message: 'casa timed out' } },
      { runId: 'run-b', attempt: 2, state: 'failed', claimedBy: 'host:2', startedAt: NOW - 60_000, completedAt: null, failedAt: NOW - 30_000, claimExpiresAt: Infinity, failureReason: null },
    ],
    checkpoints: [{ name: 'convert', status: 'committed', updatedAt: NOW - 90_000, state: { files: 16 } }],
  };
  const out = text(detailLines(detail, 100, NOW)).join('\n');
  for (const expected of ['Runs (2)', '#1 failed', 'run run-a  by host:1', '"message": "casa timed out"', 'lease ends', 'infinity', 'Checkpoints (1)', 'convert', '"files": 16']) {
    assert.ok(out.includes(expected), `missing ${expected}`);
  }
});
