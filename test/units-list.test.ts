// SystemdUnitManager.list() against the fake systemctl: exact commands, parsing, hosts, fallbacks
// and every soft failure (the call never throws; the snapshot carries the reason).
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { configSchema } from '../src/config/schema.js';
import { SystemdUnitManager, type SystemdUnitManagerOptions } from '../src/data/units/index.js';
import {
  fakeHost, fakeState, runningUnit, setupFakeSystemd, stoppedUnit, type FakeSystemd, type FakeSystemdOptions,
} from './helpers/fake-systemd.js';

const props = 'Id,LoadState,ActiveState,SubState,ActiveEnterTimestamp,ExecMainStartTimestamp,StateChangeTimestamp,MainPID,NRestarts,MemoryCurrent,CPUUsageNSec';
const pattern = 'dsa110-absurd-worker@*.service';
const producer = 'dsa110-mosaic-daemon.service';
const worker = (n: number) => `dsa110-absurd-worker@${n}.service`;

let fakes: FakeSystemd[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.cleanup()));
  fakes = [];
});

async function setup(options: FakeSystemdOptions, units: Record<string, unknown> = {}, extra: Partial<SystemdUnitManagerOptions> = {}) {
  const fake = await setupFakeSystemd(options);
  fakes.push(fake);
  const config = configSchema.parse({ units });
  const manager = new SystemdUnitManager({ units: config.units, sudo: false, readOnly: false, env: fake.env, ...extra });
  return { fake, manager };
}

test('lists the producer and every worker instance with two calls: list-units as JSON, then one show', async () => {
  const started = Date.UTC(2024, 0, 15, 10, 23, 45);
  const local = fakeHost({ workers: [1, 2], stoppedWorkers: [3] });
  local.units[worker(2)] = runningUnit({ MainPID: 4242, NRestarts: 3, MemoryCurrent: 123456, CPUUsageNSec: 987, ActiveEnterTimestamp: started });
  const { fake, manager } = await setup({ state: fakeState({ local }) });

  const snapshot = await manager.list();

  assert.equal(snapshot.problem, null);
  assert.deepEqual(snapshot.units.map((u) => [u.name, u.role, u.instance, u.active]), [
    [producer, 'producer', null, 'active'],
    [worker(1), 'worker', '1', 'active'],
    [worker(2), 'worker', '2', 'active'],
    [worker(3), 'worker', '3', 'inactive'],
  ]);
  const w2 = snapshot.units[2]!;
  assert.deepEqual({ pid: w2.mainPid, restarts: w2.restarts, mem: w2.memoryBytes, cpu: w2.cpuNsec, since: w2.since, host: w2.host },
    { pid: 4242, restarts: 3, mem: 123456, cpu: 987, since: started, host: null });
  const w3 = snapshot.units[3]!;
  assert.deepEqual({ pid: w3.mainPid, mem: w3.memoryBytes, cpu: w3.cpuNsec }, { pid: null, mem: null, cpu: null });
  assert.deepEqual(await fake.commandLines(), [
    `systemctl list-units --all --output=json ${pattern} ${producer}`,
    `systemctl show -p ${props} ${producer} ${worker(1)} ${worker(2)} ${worker(3)}`,
  ]);
});

test('the producer is listed even when stopped or not installed, and worker@1 before systemd loaded it', async () => {
  const { manager } = await setup({ state: fakeState({ local: fakeHost({ producer: 'absent' }) }) });
  const snapshot = await manager.list();
  assert.equal(snapshot.problem, null);
  assert.deepEqual(snapshot.units.map((u) => [u.name, u.load, u.active]), [
    [producer, 'not-found', 'inactive'],
    [worker(1), 'loaded', 'inactive'],
  ]);
});

test('expectedInstances looks up more instances; ones whose template is missing are dropped', async () => {
  const local = fakeHost({ producer: 'stopped', workers: [2] });
  local.templates = [];
  const { manager } = await setup({ state: fakeState({ local }) }, {}, { expectedInstances: 3 });
  const snapshot = await manager.list();
  // @2 is known to systemd (listed); @1 and @3 do not exist here: no template to load them from.
  assert.deepEqual(snapshot.units.map((u) => [u.name, u.active]), [[producer, 'inactive'], [worker(2), 'active']]);
});

test('configured hosts are listed through systemctl -H, one list-units and one show per host', async () => {
  const state = fakeState({
    local: fakeHost({ workers: [1] }),
    'ops@w2': fakeHost({ producer: 'absent', workers: [1, 2, 3] }),
  });
  const { fake, manager } = await setup({ state }, { hosts: ['ops@w2'] });
  const snapshot = await manager.list();
  assert.equal(snapshot.problem, null);
  assert.deepEqual(snapshot.units.map((u) => `${u.host ?? 'local'} ${u.name}`), [
    `local ${producer}`, `local ${worker(1)}`,
    `ops@w2 ${worker(1)}`, `ops@w2 ${worker(2)}`, `ops@w2 ${worker(3)}`,
  ]);
  const lines = await fake.commandLines();
  assert.equal(lines.length, 4);
  assert.ok(lines.includes(`systemctl -H ops@w2 list-units --all --output=json ${pattern} ${producer}`));
  assert.ok(lines.includes(`systemctl -H ops@w2 show -p ${props} ${producer} ${worker(1)} ${worker(2)} ${worker(3)}`));
});

test('an unreachable host is a problem for that host only; the others are still listed', async () => {
  const state = fakeState({ local: fakeHost({ workers: [1] }), 'ops@w2': fakeHost({ workers: [1] }) }, { unreachable: ['ops@w9'] });
  const { manager } = await setup({ state }, { hosts: ['ops@w2', 'ops@w9'] });
  const snapshot = await manager.list();
  assert.deepEqual([...new Set(snapshot.units.map((u) => u.host))], [null, 'ops@w2']);
  assert.match(snapshot.problem ?? '', /^ops@w9: cannot reach ops@w9 through systemctl -H \(ssh\): ssh: Could not resolve hostname w9/);
  assert.match(snapshot.problem ?? '', /check that `ssh ops@w9` works/);
});

test('old systemd without JSON: the plain table is parsed, and the next refresh asks for plain directly', async () => {
  const state = fakeState({ local: fakeHost({ workers: [1, 2] }) });
  state.hosts.local!.units[worker(2)] = { ...stoppedUnit(), ActiveState: 'failed', SubState: 'failed' };
  const { fake, manager } = await setup({ state, mode: 'old-error' });
  const first = await manager.list();
  assert.equal(first.problem, null);
  assert.deepEqual(first.units.map((u) => [u.name, u.active]), [[producer, 'active'], [worker(1), 'active'], [worker(2), 'failed']]);
  await fake.clearLog();
  await manager.list();
  assert.deepEqual((await fake.commandLines())[0], `systemctl list-units --all --plain --no-legend ${pattern} ${producer}`);
});

test('old systemd that ignores --output=json and prints its table is read too', async () => {
  const { manager } = await setup({ state: fakeState({ local: fakeHost({ workers: [1, 2] }) }), mode: 'old' });
  const snapshot = await manager.list();
  assert.equal(snapshot.problem, null);
  assert.deepEqual(snapshot.units.map((u) => [u.name, u.restarts]), [[producer, null], [worker(1), null], [worker(2), null]]);
});

test('no systemctl on PATH: the snapshot says so and what to do; list() does not throw', async () => {
  const { manager } = await setup({ withSystemctl: false });
  const snapshot = await manager.list();
  assert.deepEqual(snapshot.units, []);
  assert.match(snapshot.problem ?? '', /^systemctl not found: is this a systemd host\? .*units\.localUnits/);
});

test('the same problem on several hosts is said once, naming them', async () => {
  const { manager } = await setup({ withSystemctl: false }, { hosts: ['ops@w2'] });
  const snapshot = await manager.list();
  assert.match(snapshot.problem ?? '', /^this host, ops@w2: systemctl not found/);
});

test('PID 1 is not systemd: the reason is named', async () => {
  const { manager } = await setup({ mode: 'no-systemd' });
  const snapshot = await manager.list();
  assert.match(snapshot.problem ?? '', /systemd is not running on this host \(PID 1 is not systemd\)/);
});

test('a hanging systemctl is cut off at the timeout', async () => {
  const { manager } = await setup({ mode: 'hang', hangMs: 20_000 }, {}, { timeoutMs: 300 });
  const started = Date.now();
  const snapshot = await manager.list();
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  assert.deepEqual(snapshot.units, []);
  assert.match(snapshot.problem ?? '', /^systemctl did not answer within 300 ms/);
});

test('a hanging host does not hold up the others', async () => {
  const state = fakeState({ local: fakeHost({ workers: [1] }), 'ops@w3': fakeHost({ workers: [1] }) }, { hang: ['ops@w3'] });
  const { manager } = await setup({ state, hangMs: 20_000 }, { hosts: ['ops@w3'] }, { timeoutMs: 500 });
  const snapshot = await manager.list();
  assert.deepEqual(snapshot.units.map((u) => u.host), [null, null]);
  assert.match(snapshot.problem ?? '', /^ops@w3: systemctl did not answer within 500 ms on ops@w3/);
});
