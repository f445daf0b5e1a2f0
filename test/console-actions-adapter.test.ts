// The production ConsoleActions against a real database (dsa110-v2 and absurd) and the fake
// systemctl: plans show the exact statements, runs change exactly the captured targets.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createConsoleActions, mergeResults } from '../src/actions/console-actions-adapter.js';
import { configSchema } from '../src/config/schema.js';
import type { Flavour } from '../src/data/snapshot.js';
import { SystemdUnitManager } from '../src/data/units/index.js';
import { isRefusedPlan, type ConsoleActions } from '../src/ui/console-actions.js';
import { taskState } from './helpers/action-fixtures.js';
import { fakeHost, fakeState, setupFakeSystemd, type FakeSystemd } from './helpers/fake-systemd.js';
import { seedFlavour, type Seeded } from './helpers/seed.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';

const config = configSchema.parse({});

for (const flavour of ['dsa110-v2', 'absurd'] as Flavour[]) {
  describe(`console actions on ${flavour}`, () => {
    let db: TestDatabase;
    let seeded: Seeded;
    let fake: FakeSystemd;
    let actions: ConsoleActions;
    before(async () => {
      db = await createTestDatabase({ flavour });
      seeded = await seedFlavour(db.pool, flavour);
      fake = await setupFakeSystemd({ state: fakeState({ local: fakeHost({ workers: [1, 2] }) }) });
      const units = new SystemdUnitManager({ units: config.units, sudo: false, readOnly: false, env: fake.env, timeoutMs: 2000 });
      actions = createConsoleActions({ config, pool: db.pool, units, flavour: () => flavour });
    });
    after(async () => {
      await db.drop();
      await fake.cleanup();
    });
    const ref = (role: string) => ({ id: seeded.ids[role]!, queue: seeded.queue });

    test('retry: the plan names the task in its SQL, the run retries exactly it', async () => {
      const request = { command: 'retry' as const, tasks: [ref('failed')] };
      const plan = await actions.plan(request);
      assert.ok(!isRefusedPlan(plan));
      assert.ok(plan.commands.some((c) => c.includes(`'${seeded.ids.failed}'`) && /retry_task/.test(c)), plan.commands.join('\n'));
      const result = await actions.run(request);
      assert.equal(result.status, 'ok', JSON.stringify(result));
      assert.notEqual(await taskState(db.pool, flavour, seeded.queue, seeded.ids.failed!), 'failed');
    });

    test('a task that moved since the dialog opened is refused as moved, naming its state now', async () => {
      // The dialog captured it as failed; by "yes" it has completed (as after a colleague's retry ran).
      const request = { command: 'retry' as const, tasks: [{ ...ref('completed'), state: 'failed' }] };
      const result = await actions.run(request);
      assert.equal(result.status === 'refused' && result.reason, 'task is no longer failed (now completed): nothing changed — refresh and decide again');
      assert.equal(await taskState(db.pool, flavour, seeded.queue, seeded.ids.completed!), 'completed');
    });

    test('cancel a pending task', async () => {
      const request = { command: 'cancel' as const, tasks: [ref('pending')] };
      assert.ok(!isRefusedPlan(await actions.plan(request)));
      const result = await actions.run(request);
      assert.equal(result.status, 'ok', JSON.stringify(result));
      assert.equal(await taskState(db.pool, flavour, seeded.queue, seeded.ids.pending!), 'cancelled');
    });

    test('clear queue asks for a typed word', async () => {
      const plan = await actions.plan({ command: 'clear-queue', queue: seeded.queue });
      assert.ok(!isRefusedPlan(plan));
      assert.equal(plan.confirmWord, 'CLEAR');
    });

    test('reap resolves the stuck runs when the dialog opens and releases exactly those', async () => {
      const request = { command: 'reap' as const, tasks: [ref('stuck')] };
      const plan = await actions.plan(request);
      assert.ok(!isRefusedPlan(plan));
      assert.equal(plan.commands.length, 1, plan.commands.join('\n'));
      const result = await actions.run(request);
      assert.equal(result.status, 'ok', JSON.stringify(result));
      assert.equal(result.status === 'ok' && result.changed, 1);
    });

    test('scale up plans and runs systemctl start for the next instance', async () => {
      const request = { command: 'scale' as const, workers: 3, current: 2 };
      const plan = await actions.plan(request);
      assert.ok(!isRefusedPlan(plan));
      assert.deepEqual(plan.commands, ['systemctl start dsa110-absurd-worker@3.service']);
      await fake.clearLog();
      assert.equal((await actions.run(request)).status, 'ok');
      assert.deepEqual(await fake.actionLines(), ['systemctl start dsa110-absurd-worker@3.service']);
    });
  });
}

test('a database action before the layout is known is refused with the reason', async () => {
  const actions = createConsoleActions({
    config, pool: { query: async () => { throw new Error('no'); }, connect: async () => { throw new Error('no'); } } as never,
    units: {} as never, flavour: () => null,
  });
  const plan = await actions.plan({ command: 'retry', tasks: [{ id: 'x', queue: 'q' }] });
  assert.ok(isRefusedPlan(plan));
  assert.match(plan.refused, /layout is not known yet/);
});

test('results of several queues merge honestly', () => {
  const merged = mergeResults('retry', [
    { status: 'ok', action: 'retry', summary: 'retried 2 tasks in a', asked: 2, changed: 2, commands: ['A'] },
    { status: 'refused', action: 'retry', reason: 'task is pending; only failed', commands: ['B'] },
  ]);
  assert.deepEqual(merged, { status: 'ok', action: 'retry', summary: 'retried 2 tasks in a; task is pending; only failed', asked: 2, changed: 2, commands: ['A', 'B'] });
});
