// SystemdUnitManager.describe()/run(): the exact command lines, sudo, -H, name checks, and the
// plain-language problems for each way systemctl can fail.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { configSchema } from '../src/config/schema.js';
import { SystemdUnitManager, type ExecFn, type SystemdUnitManagerOptions } from '../src/data/units/index.js';
import { fakeHost, fakeState, setupFakeSystemd, type FakeSystemd, type FakeSystemdOptions } from './helpers/fake-systemd.js';

const producer = 'dsa110-mosaic-daemon.service';
const worker = (n: number) => `dsa110-absurd-worker@${n}.service`;

let fakes: FakeSystemd[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.cleanup()));
  fakes = [];
});

async function setup(options: FakeSystemdOptions = {}, manager: Partial<SystemdUnitManagerOptions> = {}) {
  const state = options.state ?? fakeState({ local: fakeHost({ workers: [1, 2] }), 'ops@w2': fakeHost({ producer: 'absent', workers: [1, 2, 3] }) });
  const fake = await setupFakeSystemd({ ...options, state });
  fakes.push(fake);
  // '-oProxyCommand' is configured on purpose: an option-like host must be refused even then.
  const config = configSchema.parse({ units: { hosts: ['ops@w2', '-oProxyCommand'] } });
  return { fake, manager: new SystemdUnitManager({ units: config.units, sudo: false, readOnly: false, env: fake.env, ...manager }) };
}

test('describe gives the exact command line, with sudo -n and -H when configured', async () => {
  const { manager } = await setup({}, { sudo: true });
  assert.equal(manager.describe('restart', { name: worker(3), host: 'ops@w2' }), `sudo -n systemctl -H ops@w2 restart ${worker(3)}`);
  assert.equal(manager.describe('stop', { name: producer, host: null }), `sudo -n systemctl stop ${producer}`);
  // A name without its suffix is completed, as systemctl itself would.
  assert.equal(manager.describe('start', { name: 'dsa110-absurd-worker@4', host: null }), `sudo -n systemctl start ${worker(4)}`);
});

test('run restarts one unit and records exactly that command', async () => {
  const { fake, manager } = await setup();
  const before = (await fake.readState()).hosts['ops@w2']!.units[worker(3)]!.MainPID;
  const outcome = await manager.run('restart', { name: worker(3), host: 'ops@w2' });
  assert.deepEqual(outcome, { ok: true, commandLine: `systemctl -H ops@w2 restart ${worker(3)}`, problem: null });
  assert.deepEqual(await fake.commandLines(), [`systemctl -H ops@w2 restart ${worker(3)}`]);
  assert.notEqual((await fake.readState()).hosts['ops@w2']!.units[worker(3)]!.MainPID, before);
});

test('--sudo runs sudo -n systemctl …, which gets past a polkit denial', async () => {
  const { fake, manager } = await setup({ mode: 'denied' }, { sudo: true });
  const outcome = await manager.run('stop', { name: worker(2), host: null });
  assert.equal(outcome.ok, true, outcome.problem ?? '');
  assert.deepEqual(await fake.commandLines(), [`sudo -n systemctl stop ${worker(2)}`]);
  assert.equal((await fake.readState()).hosts.local!.units[worker(2)]!.ActiveState, 'inactive');
});

test('permission denied names both fixes: --sudo or a polkit rule', async () => {
  const { manager } = await setup({ mode: 'denied' });
  const outcome = await manager.run('start', { name: worker(5), host: null });
  assert.equal(outcome.ok, false);
  assert.equal(outcome.commandLine, `systemctl start ${worker(5)}`);
  assert.match(outcome.problem ?? '', /^permission denied: .*Interactive authentication required.* run absurd-top with --sudo .* polkit rule/);
});

test('sudo asking for a password says to add a NOPASSWD rule', async () => {
  const { fake, manager } = await setup({ sudoNeedsPassword: true }, { sudo: true });
  const outcome = await manager.run('restart', { name: producer, host: null });
  assert.equal(outcome.ok, false);
  assert.equal(outcome.problem, 'sudo needs a password: add a NOPASSWD rule for systemctl or run absurd-top as a user that may manage the units');
  // sudo refused before systemctl ran.
  assert.deepEqual((await fake.calls()).map((c) => c.bin), ['sudo']);
});

test('the same message when systemctl itself reports sudo wanting a password', async () => {
  const { manager } = await setup({ mode: 'sudo-password' });
  const outcome = await manager.run('stop', { name: producer, host: null });
  assert.match(outcome.problem ?? '', /^sudo needs a password: add a NOPASSWD rule/);
});

test('missing systemctl, with and without sudo', async () => {
  const { manager } = await setup({ withSystemctl: false });
  assert.match((await manager.run('start', { name: worker(1), host: null })).problem ?? '', /^systemctl not found: is this a systemd host\?/);
  const { manager: viaSudo } = await setup({ withSystemctl: false }, { sudo: true });
  assert.match((await viaSudo.run('start', { name: worker(1), host: null })).problem ?? '', /^systemctl not found by sudo/);
  const { manager: noSudo } = await setup({ withSudo: false }, { sudo: true });
  assert.match((await noSudo.run('start', { name: worker(1), host: null })).problem ?? '', /^sudo not found/);
});

test('a hanging action is cut off and says the job may still be running', async () => {
  const { manager } = await setup({ mode: 'hang', hangMs: 20_000 }, { sudo: true, timeoutMs: 300 });
  const started = Date.now();
  const outcome = await manager.run('stop', { name: worker(1), host: null });
  assert.ok(Date.now() - started < 5000);
  assert.match(outcome.problem ?? '', /^systemctl did not answer within 300 ms; the stop job may still be running inside systemd/);
});

test('a unit that fails to stop reports systemd\'s message', async () => {
  const state = fakeState({ local: fakeHost({ workers: [1] }) });
  state.hosts.local!.units[worker(1)]!.fail = { stop: 'the control process exited with error code' };
  const { manager } = await setup({ state });
  const outcome = await manager.run('stop', { name: worker(1), host: null });
  assert.match(outcome.problem ?? '', /^systemctl stop failed: Job for dsa110-absurd-worker@1.service failed: the control process exited/);
});

for (const [name, host, why] of [
  ['foo;rm -rf /', null, /not a systemd unit name/],
  ['$(x)', null, /not a systemd unit name/],
  ['`reboot`', null, /not a systemd unit name/],
  ['sshd.service', null, /not a configured unit/],
  ['--force', null, /not a systemd unit name/],
  ['dsa110-absurd-worker@.service', null, /not a configured unit/],
  ['dsa110-absurd-worker@0.service', null, /not a configured unit/],
  ['dsa110-absurd-worker@03.service', null, /not a configured unit/],
  ['dsa110-absurd-worker@x.service', null, /not a configured unit/],
  [worker(1), 'ops@evil', /not in units.hosts/],
  [worker(1), 'ops@w2;id', /not a host for systemctl -H/],
  [worker(1), '-oProxyCommand=x', /not a host for systemctl -H/],
  [worker(1), 'ops@w3', /not in units.hosts/],
  [worker(1), '-oProxyCommand', /not a host for systemctl -H/],
] as const) {
  test(`refuses ${JSON.stringify(name)} on ${host ?? 'this host'} before anything runs`, async () => {
    const { fake, manager } = await setup();
    const outcome = await manager.run('stop', { name, host });
    assert.equal(outcome.ok, false);
    assert.match(outcome.problem ?? '', why);
    assert.throws(() => manager.describe('stop', { name, host }), why);
    assert.deepEqual(await fake.calls(), []);
  });
}

test('read-only: run refuses and runs nothing', async () => {
  const { fake, manager } = await setup({}, { readOnly: true });
  const outcome = await manager.run('stop', { name: producer, host: null });
  assert.deepEqual(outcome, { ok: false, commandLine: `systemctl stop ${producer}`, problem: 'read-only mode: actions are disabled' });
  assert.deepEqual(await fake.calls(), []);
});

test('every call carries a timeout and an output cap, as an argument array', async () => {
  const seen: { file: string; args: readonly string[]; timeout: number; maxBuffer: number }[] = [];
  const exec: ExecFn = async (file, args, options) => {
    seen.push({ file, args, timeout: options.timeout, maxBuffer: options.maxBuffer });
    return { stdout: args.includes('list-units') ? '[]' : '', stderr: '' };
  };
  const config = configSchema.parse({ units: { commandTimeoutMs: 1234 } });
  const manager = new SystemdUnitManager({ units: config.units, sudo: true, readOnly: false, exec });
  await manager.list();
  await manager.run('start', { name: worker(2), host: null });
  assert.deepEqual(seen.map((s) => [s.file, s.args[0], s.timeout]), [['systemctl', 'list-units', 1234], ['systemctl', 'show', 1234], ['sudo', '-n', 1234]]);
  assert.ok(seen.every((s) => s.maxBuffer > 0));
});
