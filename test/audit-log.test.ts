import type { ActionResult } from '../src/actions/types.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, defaultAuditLogPath, scrubSecrets } from '../src/actions/audit-log.js';
import { performDbAction, type ActionPool } from '../src/actions/db/context.js';
import { configSchema } from '../src/config/schema.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'absurd-top-audit-'));
const readLines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test('creates the directory and a 0600 file, one JSON line per action', async () => {
  const path = join(tmp(), 'state', 'absurd-top', 'audit.log');
  const audit = createAuditLog(path);
  const result: ActionResult = { status: 'ok', action: 'retry', summary: 'retried 1 of 1 task', asked: 1, changed: 1, commands: ['SELECT 1'] };
  await audit({ action: 'retry', targets: { taskIds: ['a'] }, commands: ['SELECT 1'], result });
  await audit({ action: 'cancel', targets: { taskIds: ['b'] }, commands: [], result: { status: 'refused', action: 'cancel', reason: 'task already completed', commands: [] } });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const [first, second] = readLines(path);
  assert.equal(first.action, 'retry');
  assert.equal(first.host, hostname());
  assert.equal(typeof first.user, 'string');
  assert.ok(!Number.isNaN(Date.parse(first.time)));
  assert.deepEqual(first.targets, { taskIds: ['a'] });
  assert.deepEqual(first.commands, ['SELECT 1']);
  assert.deepEqual(first.result, { status: 'ok', summary: 'retried 1 of 1 task', asked: 1, changed: 1 });
  assert.deepEqual(second.result, { status: 'refused', reason: 'task already completed' });
});

test('a file someone made world-readable is narrowed back to 0600', async () => {
  const path = join(tmp(), 'audit.log');
  writeFileSync(path, '');
  chmodSync(path, 0o644);
  await createAuditLog(path)({ action: 'prune', targets: {}, commands: [], result: { status: 'failed', action: 'prune', error: 'x', commands: [] } });
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('passwords never reach the file: URLs and password= pairs are masked everywhere', async () => {
  const path = join(tmp(), 'audit.log');
  const secretUrl = 'postgres://absurd:hunter2@db.example:5432/dsa110_absurd';
  await createAuditLog(path)({
    action: 'retry',
    targets: { database: secretUrl, nested: [{ dsn: 'host=db password=hunter2 user=absurd' }] },
    commands: [`psql ${secretUrl} -c "select 1"`],
    result: { status: 'failed', action: 'retry', error: `could not connect to ${secretUrl}`, commands: [] },
  });
  const text = readFileSync(path, 'utf8');
  assert.ok(!text.includes('hunter2'), text);
  assert.match(text, /absurd:\*\*\*@db\.example/);
  assert.match(text, /password=\*\*\*/);
});

test('scrubSecrets leaves text without secrets alone', () => {
  const value = { sql: "SELECT absurd.retry_task('q', 'id'::uuid, '{}'::jsonb)", n: 3, ok: true, none: null };
  assert.deepEqual(scrubSecrets(value), value);
});

test('default path: config.auditLog, else $XDG_STATE_HOME/absurd-top/audit.log', () => {
  assert.equal(defaultAuditLogPath({ auditLog: '/var/log/x.log' }), '/var/log/x.log');
  assert.equal(defaultAuditLogPath({ auditLog: null }, { XDG_STATE_HOME: '/s' }), '/s/absurd-top/audit.log');
  assert.equal(defaultAuditLogPath({ auditLog: null }, { HOME: '/home/op' }), '/home/op/.local/state/absurd-top/audit.log');
});

test('read-only: the action is refused without a query and the refusal is audited', async () => {
  const path = join(tmp(), 'audit.log');
  const noDb: ActionPool = {
    query: () => { throw new Error('read-only must not query'); },
    connect: () => { throw new Error('read-only must not connect'); },
  };
  const config = configSchema.parse({ readOnly: true, database: 'postgres://absurd:hunter2@db/x' });
  let ran = false;
  const result = await performDbAction({ pool: noDb, flavour: 'dsa110-v2', config, audit: createAuditLog(path) }, 'clear-queue', { queue: 'q' },
    async () => { ran = true; throw new Error('unreachable'); });
  assert.equal(ran, false);
  assert.deepEqual(result, { status: 'refused', action: 'clear-queue', reason: 'read-only mode: actions are disabled', commands: [] });
  const [line] = readLines(path);
  assert.equal(line.action, 'clear-queue');
  assert.equal(line.result.reason, 'read-only mode: actions are disabled');
});

test('an audit log that cannot be written is reported in the result, not hidden', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'not-a-dir'), '');
  const config = configSchema.parse({});
  const pool = { query: async () => ({ rows: [] }), connect: async () => { throw new Error('no'); } } as unknown as ActionPool;
  const result = await performDbAction({ pool, flavour: 'dsa110-v2', config, audit: createAuditLog(join(dir, 'not-a-dir', 'audit.log')) },
    'prune', {}, async (commands) => ({ status: 'ok', action: 'prune', summary: 'deleted 0 tasks', asked: 0, changed: 0, commands }));
  assert.equal(result.status, 'ok');
  assert.match(result.status === 'ok' ? result.summary : '', /deleted 0 tasks \(audit log not written: (EEXIST|ENOTDIR)[^[]*\)$/);
});
