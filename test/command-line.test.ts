import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog } from '../src/actions/audit-log.js';
import { isActionCommand, runActionCommand, type ActionCommandDeps } from '../src/actions/command-line.js';
import { parseFlags } from '../src/config/args.js';
import { configSchema, type ConfigInput } from '../src/config/schema.js';
import type { Flavour, Unit } from '../src/data/snapshot.js';
import type { UnitManager, UnitRef, UnitVerb } from '../src/data/sources.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { seedFlavour, type Seeded } from './helpers/seed.js';
import { assertOnlyTasksChanged, tableSnapshot, taskState } from './helpers/action-fixtures.js';

/** systemd stand-in: the producer and workers @1..@3 active; records every command it runs. */
function fakeUnits(): UnitManager & { ran: string[] } {
  const unit = (name: string, role: Unit['role'], instance: string | null): Unit => ({
    name, host: null, role, instance, load: 'loaded', active: 'active', sub: 'running', since: 0,
    mainPid: 1, restarts: 0, memoryBytes: null, cpuNsec: null, workerId: null,
  });
  const ran: string[] = [];
  const describe = (verb: UnitVerb, u: UnitRef) => `systemctl ${verb} ${u.name}`;
  return {
    ran,
    list: async () => ({ problem: null, units: [unit('dsa110-mosaic-daemon.service', 'producer', null),
      ...[1, 2, 3].map((i) => unit(`dsa110-absurd-worker@${i}.service`, 'worker', String(i)))] }),
    describe,
    run: async (verb, u) => { ran.push(describe(verb, u)); return { ok: true, commandLine: describe(verb, u), problem: null }; },
  };
}

interface Run { code: number; out: string; err: string }

function cli(db: TestDatabase, flavour: Flavour, extra: { config?: ConfigInput; units?: UnitManager; auditPath?: string } = {}) {
  return async (...argv: string[]): Promise<Run> => {
    const { flags, positionals } = parseFlags(argv);
    const out: string[] = [];
    const err: string[] = [];
    const deps: ActionCommandDeps = {
      config: configSchema.parse({ ...extra.config, queue: flags.queue ?? extra.config?.queue ?? null }),
      pool: db.pool, flavour, units: extra.units ?? fakeUnits(),
      audit: extra.auditPath ? createAuditLog(extra.auditPath) : undefined,
      out: (t) => out.push(t), err: (t) => err.push(t),
    };
    const code = await runActionCommand(positionals, flags, deps);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}

describe('command line on dsa110-v2', () => {
  let db: TestDatabase;
  let seeded: Seeded;
  let run: ReturnType<typeof cli>;
  before(async () => {
    db = await createTestDatabase({ flavour: 'dsa110-v2' });
    seeded = await seedFlavour(db.pool, 'dsa110-v2');
    run = cli(db, 'dsa110-v2');
  });
  after(() => db.drop());

  test('isActionCommand knows the verbs and nothing else', () => {
    for (const verb of ['retry', 'cancel', 'clear', 'reap', 'prune', 'scale', 'start', 'stop', 'restart', 'emergency-stop', 'drain']) {
      assert.equal(isActionCommand(verb), true, verb);
    }
    for (const verb of ['toString', 'constructor', 'watch', '', undefined]) assert.equal(isActionCommand(verb), false, String(verb));
  });

  test('usage errors exit 2 and say what is wrong and how to fix it', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command "frobnicate"; commands: retry, cancel, clear/],
      [['retry'], /retry needs at least one TASK_ID, e\.g\. absurd-top retry 0190/],
      [['cancel', 'abc'], /cancel: not a task id: "abc" \(task ids are UUIDs/],
      [['clear'], /clear needs the queue to clear: absurd-top clear QUEUE --yes/],
      [['prune', '--days', 'soon'], /--days: expected a whole number of days of at least 1, got "soon"/],
      [['prune', '--days', '0'], /got "0"/],
      [['scale', 'many'], /scale: "many" is not a number of workers from 0 to \d+/],
      [['scale'], /scale needs exactly one number of workers/],
      [['stop'], /stop needs exactly one unit, e\.g\. absurd-top stop dsa110-mosaic-daemon\.service/],
      [['retry', seeded.ids.failed!, '--spawn-new'], /--spawn-new exists only on flavour absurd/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, message);
      assert.equal(r.out, '');
    }
  });

  test('destructive verbs without --yes refuse with exit 2 and change nothing', async () => {
    const snap = await tableSnapshot(db.pool, 'dsa110-v2');
    const clear = await run('clear', seeded.queue);
    assert.equal(clear.code, 2);
    assert.equal(clear.err, `refusing to clear queue ${seeded.queue} without --yes; add --yes or --dry-run to see what would run`);
    assert.equal((await run('cancel', seeded.ids.pending!, seeded.ids.retrying!)).code, 2);
    assert.match((await run('prune')).err, /^refusing to prune tasks older than 30 days without --yes/);
    assert.match((await run('reap')).err, /^refusing to reap 2 stuck tasks without --yes/);
    assert.match((await run('emergency-stop')).err, /^refusing to run an emergency stop without --yes/);
    await assertOnlyTasksChanged(db.pool, 'dsa110-v2', snap, []);
  });

  test('--dry-run prints the exact SQL and changes nothing', async () => {
    const snap = await tableSnapshot(db.pool, 'dsa110-v2');
    const clear = await run('clear', seeded.queue, '--running', '--dry-run');
    assert.equal(clear.code, 0);
    assert.match(clear.out, new RegExp(`^dry run: Cancel every task of queue ${seeded.queue} that is pending, retrying, claimed`));
    assert.match(clear.out, new RegExp(`\\n  WITH target AS \\(SELECT task_id, status FROM absurd\\.tasks WHERE queue_name = '${seeded.queue}' AND status = ANY\\(ARRAY\\['pending', 'retrying', 'claimed'\\]::text\\[\\]\\)`));
    assert.match(clear.out, /the console asks to type CLEAR/);
    assert.match(clear.out, /nothing was changed$/);
    const reap = await run('reap', '--dry-run', '--json');
    const plan = JSON.parse(reap.out);
    assert.equal(plan.action, 'reap');
    assert.ok(plan.commands[0].includes(seeded.ids.stuck) && plan.commands[0].includes(seeded.ids.overTimeout), plan.commands[0]);
    assert.equal((await run('retry', seeded.ids.failed!, '--dry-run')).out.split('\n')[1], `  SELECT absurd.retry_task('${seeded.ids.failed}'::uuid) AS retried`);
    await assertOnlyTasksChanged(db.pool, 'dsa110-v2', snap, []);
  });

  test('--json prints the ActionResult; refusals exit 1', async () => {
    const ok = await run('retry', seeded.ids.failed!, '--json');
    assert.equal(ok.code, 0);
    const result = JSON.parse(ok.out);
    assert.deepEqual([result.status, result.action, result.asked, result.changed], ['ok', 'retry', 1, 1]);
    assert.equal(await taskState(db.pool, 'dsa110-v2', seeded.queue, seeded.ids.failed!), 'retrying');

    const refused = await run('cancel', seeded.ids.completed!, '--json');
    assert.equal(refused.code, 1);
    assert.deepEqual(JSON.parse(refused.out), { status: 'refused', action: 'cancel', reason: 'task already completed', commands: JSON.parse(refused.out).commands });
  });

  test('human output: one line per result, then the commands', async () => {
    const r = await run('cancel', seeded.ids.pending!);
    assert.equal(r.code, 0);
    const [head, ...commands] = r.out.split('\n');
    assert.equal(head, 'cancel ok: cancelled 1 of 1 task');
    assert.deepEqual(commands, [`  SELECT absurd.cancel_task('${seeded.ids.pending}'::uuid) AS cancelled`]);
  });

  test('with --yes the destructive verbs run', async () => {
    const clear = await run('clear', seeded.queue, '--yes', '--json');
    assert.equal(clear.code, 0, clear.out);
    assert.equal(JSON.parse(clear.out).status, 'ok');
    const prune = await run('prune', '--days', '1', '--yes');
    assert.equal(prune.code, 0);
    assert.match(prune.out, /^prune ok: deleted 2 terminal tasks older than 1 day/);
    const reap = await run('reap', '--yes');
    assert.match(reap.out, /^reap ok: released 2 of 2 tasks; 2 now pending/);
  });

  test('unit verbs: plans show the command lines; runs go through the unit manager', async () => {
    const units = fakeUnits();
    const runUnits = cli(db, 'dsa110-v2', { units });
    const scale = await runUnits('scale', '1', '--dry-run');
    assert.equal(scale.code, 0);
    assert.match(scale.out, /systemctl stop dsa110-absurd-worker@3\.service\n {2}systemctl stop dsa110-absurd-worker@2\.service/);
    assert.deepEqual(units.ran, []);
    const stop = await runUnits('emergency-stop', '--yes');
    assert.equal(stop.code, 0, stop.out);
    assert.equal(units.ran[0], 'systemctl stop dsa110-mosaic-daemon.service');
    const bad = await runUnits('restart', 'sshd.service');
    assert.equal(bad.code, 1);
    assert.match(bad.out, /^restart refused: /);
  });
});

test('drain stops the producer, reports progress, and ends when the last running task finishes', async () => {
  const db = await createTestDatabase({ flavour: 'dsa110-v2' });
  try {
    await seedFlavour(db.pool, 'dsa110-v2');
    const units = fakeUnits();
    const out: string[] = [];
    let finished: Promise<unknown> | null = null;
    const { flags, positionals } = parseFlags(['drain']);
    const code = await runActionCommand(positionals, flags, {
      config: configSchema.parse({ refreshSec: 0.1 }), pool: db.pool, flavour: 'dsa110-v2', units,
      out: (text) => {
        out.push(text);
        // The first progress line is the cue: the workers finish everything they hold.
        finished ??= db.pool.query("update absurd.tasks set status = 'completed', completed_at = now() where status = 'claimed'");
      },
    });
    await finished;
    assert.equal(code, 0, out.join('\n'));
    assert.deepEqual(units.ran, ['systemctl stop dsa110-mosaic-daemon.service']);
    assert.equal(out[0], 'drain: 3 tasks still running after 0 s');
    assert.match(out.at(-1)!, /^drain ok: drained in [\d.]+ s: producer stopped and no task running/);
  } finally {
    await db.drop();
  }
});

test('without a flavour: database verbs detect it, unit verbs never touch the database', async () => {
  const db = await createTestDatabase({ flavour: 'dsa110-v1' });
  try {
    const { ids } = await seedFlavour(db.pool, 'dsa110-v1');
    const out: string[] = [];
    const base = { config: configSchema.parse({}), units: fakeUnits(), out: (t: string) => out.push(t) };
    const retry = parseFlags(['retry', ids.failed!]);
    assert.equal(await runActionCommand(retry.positionals, retry.flags, { ...base, pool: db.pool }), 0, out.join('\n'));
    assert.match(out[0]!, /^retry ok: .*\n {2}UPDATE absurd\.t_tasks/s);

    // The database is down: emergency stop must still stop everything; retry reports why it cannot start.
    const down = { query: async () => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }); },
      connect: async () => { throw new Error('unreachable'); } };
    const stop = parseFlags(['emergency-stop', '--yes']);
    const noFlavour = { ...base, pool: down, get flavour(): never { throw new Error('unit verbs must not ask for the flavour'); } };
    assert.equal(await runActionCommand(stop.positionals, stop.flags, noFlavour), 0);
    assert.equal(base.units.ran[0], 'systemctl stop dsa110-mosaic-daemon.service');
    await assert.rejects(runActionCommand(retry.positionals, retry.flags, { ...base, pool: down }),
      (error: Error) => error.name === 'DbProblemError' && /cannot reach PostgreSQL .*connection refused/.test(error.message));
  } finally {
    await db.drop();
  }
});

test('absurd: retry finds the queue of the task when none is given', async () => {
  const db = await createTestDatabase({ flavour: 'absurd' });
  try {
    const { queue, ids } = await seedFlavour(db.pool, 'absurd', 'night shift');
    const r = await cli(db, 'absurd')('retry', ids.failed!);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /absurd\.retry_task\('night shift', /);
    assert.equal(await taskState(db.pool, 'absurd', queue, ids.failed!), 'pending');
  } finally {
    await db.drop();
  }
});

test('audit: every run writes a 0600 line without the database password; read-only refuses', async () => {
  const db = await createTestDatabase({ flavour: 'dsa110-v1' });
  try {
    const { ids } = await seedFlavour(db.pool, 'dsa110-v1');
    const auditPath = join(mkdtempSync(join(tmpdir(), 'absurd-top-cli-')), 'state', 'audit.log');
    const config = { database: 'postgres://absurd:s3cr3t-pw@127.0.0.1:5432/dsa110_absurd' };
    const r = await cli(db, 'dsa110-v1', { config, auditPath })('retry', ids.failed!);
    assert.equal(r.code, 0, r.out);
    const snap = await tableSnapshot(db.pool, 'dsa110-v1');
    const ro = await cli(db, 'dsa110-v1', { config: { ...config, readOnly: true }, auditPath })('clear', 'dsa110-pipeline');
    assert.equal(ro.code, 1);
    assert.match(ro.out, /^clear-queue refused: read-only mode: actions are disabled/);
    await assertOnlyTasksChanged(db.pool, 'dsa110-v1', snap, []);
    assert.equal(statSync(auditPath).mode & 0o777, 0o600);
    const text = readFileSync(auditPath, 'utf8');
    assert.ok(!text.includes('s3cr3t-pw'));
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => [l.action, l.result.status]), [['retry', 'ok'], ['clear-queue', 'refused']]);
    assert.match(lines[0].commands[0], /^UPDATE absurd\.t_tasks SET status = 'pending'/);
  } finally {
    await db.drop();
  }
});
