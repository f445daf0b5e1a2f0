// Unit actions end to end against the fake systemctl: the exact start/stop commands, their
// order, failures reported per unit, read-only refusals, drain, audit and plans.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { configSchema, type ConfigInput } from '../src/config/schema.js';
import type { ActionResult } from '../src/actions/types.js';
import {
  drain, emergencyStop, planDrain, planEmergencyStop, planRestartUnit, planScaleWorkers, restartUnit, scaleWorkers,
  startUnit, stopUnit, UnitActionRefused, type UnitActionContext, type UnitAuditEntry,
} from '../src/actions/units/index.js';
import { SystemdUnitManager } from '../src/data/units/index.js';
import { fakeHost, fakeState, setupFakeSystemd, type FakeSystemd, type FakeSystemdOptions, type FakeSystemdState } from './helpers/fake-systemd.js';

const producer = 'dsa110-mosaic-daemon.service';
const worker = (n: number) => `dsa110-absurd-worker@${n}.service`;

let fakes: FakeSystemd[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.cleanup()));
  fakes = [];
});

interface Setup { fake: FakeSystemd; ctx: UnitActionContext; audits: UnitAuditEntry[] }
async function setup(state: FakeSystemdState, config: ConfigInput = {}, options: FakeSystemdOptions = {}): Promise<Setup> {
  const fake = await setupFakeSystemd({ ...options, state });
  fakes.push(fake);
  const parsed = configSchema.parse(config);
  const units = new SystemdUnitManager({ units: parsed.units, sudo: parsed.sudo, readOnly: parsed.readOnly, env: fake.env, timeoutMs: 2000 });
  const audits: UnitAuditEntry[] = [];
  return { fake, audits, ctx: { units, config: parsed, audit: async (entry) => { audits.push(entry); } } };
}
const activeOn = async (fake: FakeSystemd, host = 'local') =>
  Object.entries((await fake.readState()).hosts[host]!.units).filter(([, u]) => u.ActiveState === 'active').map(([n]) => n).sort();
const ok = (result: ActionResult) => assert.equal(result.status, 'ok', JSON.stringify(result));

test('scale up 2 → 4 starts @3 then @4, and nothing else', async () => {
  const { fake, ctx, audits } = await setup(fakeState({ local: fakeHost({ workers: [1, 2] }) }));
  const result = await scaleWorkers(4, undefined, ctx);
  ok(result);
  assert.deepEqual(await fake.actionLines(), [`systemctl start ${worker(3)}`, `systemctl start ${worker(4)}`]);
  assert.deepEqual(result.commands, [`systemctl start ${worker(3)}`, `systemctl start ${worker(4)}`]);
  assert.equal(result.status === 'ok' && `${result.asked}/${result.changed}`, '2/2');
  assert.deepEqual(await activeOn(fake), [producer, worker(1), worker(2), worker(3), worker(4)].sort());
  assert.equal(audits.length, 1);
  assert.deepEqual(audits[0]!.commands, result.commands);
});

test('scale down 4 → 2 stops @4 then @3, highest first', async () => {
  const { fake, ctx } = await setup(fakeState({ local: fakeHost({ workers: [1, 2, 3, 4] }) }));
  ok(await scaleWorkers(2, undefined, ctx));
  assert.deepEqual(await fake.actionLines(), [`systemctl stop ${worker(4)}`, `systemctl stop ${worker(3)}`]);
  // Repeating it changes nothing and runs no action.
  await fake.clearLog();
  const again = await scaleWorkers(2, undefined, ctx);
  assert.equal(again.status === 'ok' && again.summary, 'workers on this host already at 2: nothing to do');
  assert.deepEqual(await fake.actionLines(), []);
});

test('scale fills gaps and stops strays: running @1 and @5, N=3 starts @2 @3 and stops @5', async () => {
  const { fake, ctx } = await setup(fakeState({ local: fakeHost({ workers: [1, 5] }) }));
  ok(await scaleWorkers(3, null, ctx));
  assert.deepEqual(await fake.actionLines(), [`systemctl start ${worker(2)}`, `systemctl start ${worker(3)}`, `systemctl stop ${worker(5)}`]);
});

test('scale on a -H host, through sudo', async () => {
  const state = fakeState({ local: fakeHost({ workers: [1] }), 'ops@w2': fakeHost({ producer: 'absent', workers: [1, 2] }) });
  const { fake, ctx } = await setup(state, { sudo: true, units: { hosts: ['ops@w2'] } });
  ok(await scaleWorkers(3, 'ops@w2', ctx));
  assert.deepEqual(await fake.actionLines(), [`sudo -n systemctl -H ops@w2 start ${worker(3)}`]);
  assert.ok((await activeOn(fake, 'ops@w2')).includes(worker(3)));
  assert.deepEqual(await activeOn(fake), [producer, worker(1)].sort());
});

for (const n of [-1, 65, 2.5, Number.NaN]) {
  test(`scale to ${n} is refused before anything runs`, async () => {
    const { fake, ctx } = await setup(fakeState({ local: fakeHost({ workers: [1] }) }));
    const result = await scaleWorkers(n, undefined, ctx);
    assert.equal(result.status, 'refused');
    assert.match(result.status === 'refused' ? result.reason : '', /whole number from 0 to 64/);
    assert.deepEqual(await fake.calls(), []);
  });
}

test('scale on a host that cannot be listed fails without starting anything', async () => {
  const state = fakeState({ local: fakeHost({ workers: [1] }) }, { unreachable: ['ops@w9'] });
  const { fake, ctx } = await setup(state, { units: { hosts: ['ops@w9'] } });
  const result = await scaleWorkers(2, 'ops@w9', ctx);
  assert.equal(result.status, 'failed');
  assert.match(result.status === 'failed' ? result.error : '', /cannot read the worker units on ops@w9.*Could not resolve hostname/);
  assert.deepEqual(await fake.actionLines(), []);
});

test('emergency stop: the producer first, then every worker on every host, highest first', async () => {
  const state = fakeState({ local: fakeHost({ workers: [1, 2] }), 'ops@w2': fakeHost({ producer: 'absent', workers: [1, 3] }) });
  const { fake, ctx } = await setup(state, { units: { hosts: ['ops@w2'] } });
  const result = await emergencyStop(ctx);
  ok(result);
  assert.deepEqual(await fake.actionLines(), [
    `systemctl stop ${producer}`,
    `systemctl stop ${worker(2)}`, `systemctl stop ${worker(1)}`,
    `systemctl -H ops@w2 stop ${worker(3)}`, `systemctl -H ops@w2 stop ${worker(1)}`,
  ]);
  assert.deepEqual(await activeOn(fake), []);
  assert.deepEqual(await activeOn(fake, 'ops@w2'), []);
});

test('emergency stop keeps going past failures and reports each', async () => {
  const state = fakeState({ local: fakeHost({ workers: [1, 2, 3] }) }, { unreachable: ['ops@w9'] });
  state.hosts.local!.units[worker(2)]!.fail = { stop: 'timeout waiting for the worker to exit' };
  const { fake, ctx, audits } = await setup(state, { units: { hosts: ['ops@w9'] } });
  const result = await emergencyStop(ctx);
  assert.equal(result.status, 'failed');
  const error = result.status === 'failed' ? result.error : '';
  assert.match(error, /^emergency stop incomplete \(3 of 4 units stopped\)/);
  assert.match(error, /stop dsa110-absurd-worker@2.service: .*timeout waiting for the worker to exit/);
  assert.match(error, /could not list the workers on ops@w9, none stopped there/);
  assert.deepEqual(await activeOn(fake), [worker(2)]);
  assert.equal(result.commands.length, 4);
  assert.equal(audits.length, 1);
});

test('emergency stop without systemctl still tries the producer and says why it failed', async () => {
  const { fake, ctx } = await setup(fakeState({ local: fakeHost() }), {}, { withSystemctl: false });
  const result = await emergencyStop(ctx);
  assert.equal(result.status, 'failed');
  assert.match(result.status === 'failed' ? result.error : '', /stop dsa110-mosaic-daemon.service: systemctl not found/);
  assert.deepEqual(await fake.calls(), []);
});

test('restart one unit; a denied one fails with the fix; an unconfigured one is refused', async () => {
  const { fake, ctx } = await setup(fakeState({ local: fakeHost({ workers: [1, 2] }) }));
  const result = await restartUnit({ name: worker(2), host: null }, ctx);
  ok(result);
  assert.deepEqual(result.commands, [`systemctl restart ${worker(2)}`]);
  assert.deepEqual(await fake.actionLines(), [`systemctl restart ${worker(2)}`]);

  const { ctx: denied } = await setup(fakeState({ local: fakeHost() }), {}, { mode: 'denied' });
  const failed = await startUnit({ name: worker(1), host: null }, denied);
  assert.equal(failed.status, 'failed');
  assert.match(failed.status === 'failed' ? failed.error : '', /permission denied.*--sudo.*polkit/);

  await fake.clearLog();
  for (const name of ['foo;rm -rf /', '$(x)', 'sshd.service']) {
    const refusedResult = await stopUnit({ name, host: null }, ctx);
    assert.equal(refusedResult.status, 'refused', name);
  }
  assert.deepEqual(await fake.calls(), []);
});

test('read-only refuses every action and runs nothing, not even a listing', async () => {
  const { fake, ctx, audits } = await setup(fakeState({ local: fakeHost({ workers: [1, 2] }) }), { readOnly: true });
  const unit = { name: worker(1), host: null };
  const results = [
    await startUnit(unit, ctx), await stopUnit(unit, ctx), await restartUnit(unit, ctx),
    await scaleWorkers(4, undefined, ctx), await emergencyStop(ctx),
    await drain({ runningCount: async () => 0, timeoutMs: 1000, pollMs: 1 }, ctx),
  ];
  for (const r of results) assert.deepEqual(r.status === 'refused' && r.reason, 'read-only mode: actions are disabled');
  assert.deepEqual(await fake.calls(), []);
  assert.equal(audits.length, results.length);
});

test('drain stops only the producer and waits until the running count reaches 0', async () => {
  const { fake, ctx } = await setup(fakeState({ local: fakeHost({ workers: [1, 2] }) }));
  const counts = [3, 2, 1, 0];
  let polls = 0;
  const result = await drain({ runningCount: async () => counts[polls++] ?? 0, timeoutMs: 10_000, pollMs: 1 }, ctx);
  ok(result);
  assert.equal(polls, 4);
  assert.deepEqual(await fake.actionLines(), [`systemctl stop ${producer}`]);
  assert.deepEqual(await activeOn(fake), [worker(1), worker(2)]);
  assert.match(result.status === 'ok' ? result.summary : '', /^drained in \d+\.\d s/);
});

test('drain gives up at its deadline, and does not wait when the producer will not stop', async () => {
  const { ctx } = await setup(fakeState({ local: fakeHost({ workers: [1] }) }));
  const timedOut = await drain({ runningCount: async () => 2, timeoutMs: 30, pollMs: 5 }, ctx);
  assert.match(timedOut.status === 'failed' ? timedOut.error : '', /^drain timed out after .*: 2 task\(s\) still running; the producer stays stopped/);

  const state = fakeState({ local: fakeHost() });
  state.hosts.local!.units[producer]!.fail = { stop: 'refusing' };
  const { ctx: stuck } = await setup(state);
  let counted = 0;
  const result = await drain({ runningCount: async () => { counted++; return 0; }, timeoutMs: 1000, pollMs: 1 }, stuck);
  assert.match(result.status === 'failed' ? result.error : '', /^drain not started: could not stop the producer/);
  assert.equal(counted, 0);
});

test('plans show the exact commands; emergency stop asks for STOP; bad targets throw', async () => {
  const state = fakeState({ local: fakeHost({ workers: [1, 2] }), 'ops@w2': fakeHost({ producer: 'absent', workers: [1] }) });
  const { fake, ctx } = await setup(state, { sudo: true, units: { hosts: ['ops@w2'] } });
  const stop = await planEmergencyStop(ctx);
  assert.equal(stop.confirmWord, 'STOP');
  assert.deepEqual(stop.commands, [
    `sudo -n systemctl stop ${producer}`, `sudo -n systemctl stop ${worker(2)}`, `sudo -n systemctl stop ${worker(1)}`,
    `sudo -n systemctl -H ops@w2 stop ${worker(1)}`,
  ]);
  assert.deepEqual((await planScaleWorkers(4, undefined, ctx)).commands, [`sudo -n systemctl start ${worker(3)}`, `sudo -n systemctl start ${worker(4)}`]);
  assert.deepEqual(planRestartUnit({ name: worker(1), host: 'ops@w2' }, ctx).commands, [`sudo -n systemctl -H ops@w2 restart ${worker(1)}`]);
  assert.deepEqual((await planDrain(ctx)).commands, [`sudo -n systemctl stop ${producer}`]);
  assert.throws(() => planRestartUnit({ name: 'x;y', host: null }, ctx), UnitActionRefused);
  await assert.rejects(planScaleWorkers(99, undefined, ctx), UnitActionRefused);
  assert.deepEqual(await fake.actionLines(), []);
});

test('an audit failure is reported in the result, not thrown', async () => {
  const { ctx } = await setup(fakeState({ local: fakeHost({ workers: [1] }) }));
  const result = await restartUnit({ name: worker(1), host: null }, { ...ctx, audit: async () => { throw new Error('disk full'); } });
  assert.match(result.status === 'ok' ? result.summary : '', /audit log not written: disk full/);
});
