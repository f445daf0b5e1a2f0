// Rows whose JSON text is unchanged since the last refresh are the objects parsed then; changed
// rows are parsed (and checked by zod) again; only the last refresh's rows are kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReusedRows } from '../src/data/flavours/row-reuse.js';
import { summaryRowSchema } from '../src/data/flavours/rows.js';

const row = (id: string, state = 'pending'): string => JSON.stringify({
  id, queue: 'q', name: `task-${id}`, raw_state: state, attempts: 0, max_attempts: 3, worker_id: null,
  created_at: '2026-12-02T10:00:00.123456+00:00', claimed_at: null, completed_at: 'infinity', error: null,
});
const read = (texts: string[]) => ({ texts, nowMs: 0 });

test('an unchanged row is the same object; a changed or new one is parsed afresh; order follows the texts', () => {
  const rows = new ReusedRows(summaryRowSchema, 'recent task');
  const [a1, b1] = rows.parse(read([row('a'), row('b')]));
  assert.equal(a1!.created_at, Date.parse('2026-12-02T10:00:00.123Z'));
  assert.equal(a1!.completed_at, null, 'infinity is no time');
  const [c2, b2, a2] = rows.parse(read([row('c'), row('b', 'claimed'), row('a')]));
  assert.equal(a2, a1, 'unchanged: reused');
  assert.notEqual(b2, b1, 'changed: parsed again');
  assert.equal(b2!.raw_state, 'claimed');
  assert.equal(c2!.id, 'c');
});

test('only the last refresh is kept: a row that left and came back is parsed again', () => {
  const rows = new ReusedRows(summaryRowSchema, 'recent task');
  const [a1] = rows.parse(read([row('a')]));
  rows.parse(read([row('b')]));
  const [a3] = rows.parse(read([row('a')]));
  assert.notEqual(a3, a1);
  assert.deepEqual(a3, a1);
});

test('a row zod refuses names the list, the row and the column, and is not kept', () => {
  const rows = new ReusedRows(summaryRowSchema, 'failure');
  const bad = JSON.stringify({ ...JSON.parse(row('x')), attempts: '1' });
  assert.throws(() => rows.parse(read([row('a'), bad])), /unexpected failure row from the database at 1\.attempts: /);
  assert.throws(() => rows.parse(read([bad])), /at 0\.attempts/, 'refused again, not served from the cache');
});
