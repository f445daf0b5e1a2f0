// The pure parts of the units source: systemctl output parsing (defensive: odd rows and
// unset values become nulls, never exceptions) and the unit name rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configSchema } from '../src/config/schema.js';
import { SystemdUnitManager, classifyUnit, checkUnitRef, type ExecFn } from '../src/data/units/index.js';
import { parseListUnitsJson, parseListUnitsPlain } from '../src/data/units/parse-list-units.js';
import { parseShowBlocks, showNumber, showTimestamp, toShownUnit } from '../src/data/units/parse-show.js';

const units = configSchema.parse({ units: { hosts: ['ops@w2'] } }).units;

test('show blocks: split on blank lines, values keep "=" and spaces', () => {
  const text = 'Id=a.service\nLoadState=loaded\nX=a=b c\n\n\nId=b.service\nLoadState=not-found\n';
  assert.deepEqual(parseShowBlocks(text), [
    { Id: 'a.service', LoadState: 'loaded', X: 'a=b c' },
    { Id: 'b.service', LoadState: 'not-found' },
  ]);
});

test('unset values are null: empty, [not set], infinity, 2^64-1; MainPID 0 is no process', () => {
  for (const v of ['', '[not set]', 'infinity', '18446744073709551615', undefined, 'abc', '-1']) assert.equal(showNumber(v), null, String(v));
  assert.equal(showNumber('52428800'), 52428800);
  const unit = toShownUnit({ Id: 'a.service', ActiveState: 'inactive', MainPID: '0', MemoryCurrent: '[not set]', CPUUsageNSec: '18446744073709551615' });
  assert.deepEqual(unit, { name: 'a.service', load: 'unknown', active: 'inactive', sub: 'unknown', since: null, mainPid: null, restarts: null, memoryBytes: null, cpuNsec: null });
});

test('timestamps: unix, UTC, offsets, micro seconds, unset', () => {
  const t = Date.UTC(2024, 0, 15, 10, 23, 45);
  assert.equal(showTimestamp('@1705314225'), t);
  assert.equal(showTimestamp('Mon 2024-01-15 10:23:45 UTC'), t);
  assert.equal(showTimestamp('Mon 2024-01-15 10:23:45.250000 UTC'), t + 250);
  assert.equal(showTimestamp('Mon 2024-01-15 11:23:45 +0100'), t);
  assert.equal(showTimestamp('Mon 2024-01-15 10:23:45'), new Date(2024, 0, 15, 10, 23, 45).getTime());
  for (const v of ['', 'n/a', '[not set]', 'yesterday']) assert.equal(showTimestamp(v), null);
});

test('since: when an active unit became active, else its last state change', () => {
  const active = toShownUnit({ Id: 'a', ActiveState: 'active', ActiveEnterTimestamp: '@100', StateChangeTimestamp: '@200' });
  const failed = toShownUnit({ Id: 'a', ActiveState: 'failed', ActiveEnterTimestamp: '@100', StateChangeTimestamp: '@200' });
  assert.deepEqual([active.since, failed.since], [100_000, 200_000]);
});

test('list-units JSON: odd rows are skipped, not fatal; non-JSON is null', () => {
  const text = JSON.stringify([{ unit: 'a@1.service', load: 'loaded', active: 'active', sub: 'running' }, { nope: 1 }, 'x', { unit: 'b.service', load: 3 }]);
  assert.deepEqual(parseListUnitsJson(text), [
    { name: 'a@1.service', load: 'loaded', active: 'active', sub: 'running' },
    { name: 'b.service', load: 'unknown', active: 'unknown', sub: 'unknown' },
  ]);
  assert.equal(parseListUnitsJson('UNIT LOAD'), null);
  assert.equal(parseListUnitsJson('{"unit":"a"}'), null);
});

test('list-units plain: failure marks, header and legend lines are handled', () => {
  const text = [
    '  UNIT                LOAD      ACTIVE SUB     DESCRIPTION',
    '● w@2.service         loaded    failed failed  Worker 2',
    '  w@1.service         loaded    active running Worker one of many',
    'w@3.service loaded inactive dead',
    '',
    'LOAD   = Reflects whether the unit definition was properly loaded.',
    '3 loaded units listed.',
  ].join('\n');
  assert.deepEqual(parseListUnitsPlain(text).map((u) => [u.name, u.active, u.sub]), [
    ['w@2.service', 'failed', 'failed'], ['w@1.service', 'active', 'running'], ['w@3.service', 'inactive', 'dead'],
  ]);
});

test('classifyUnit maps role and instance', () => {
  assert.deepEqual(classifyUnit('dsa110-mosaic-daemon.service', units), { role: 'producer', instance: null });
  assert.deepEqual(classifyUnit('dsa110-absurd-worker@12.service', units), { role: 'worker', instance: '12' });
  assert.deepEqual(classifyUnit('dsa110-absurd-worker@12.timer', units), { role: 'other', instance: null });
  assert.deepEqual(classifyUnit('dsa110-absurd-worker@abc.service', units), { role: 'other', instance: null });
  const custom = configSchema.parse({ units: { producer: 'absurd-scheduler.service', workerTemplate: 'contimg-absurd-worker@.service' } }).units;
  assert.deepEqual(classifyUnit('contimg-absurd-worker@2.service', custom), { role: 'worker', instance: '2' });
  assert.equal(checkUnitRef({ name: 'contimg-absurd-worker@2', host: null }, custom).ok, true);
  assert.equal(checkUnitRef({ name: 'dsa110-absurd-worker@2', host: null }, custom).ok, false);
});

test('a failed show after a good listing still shows the listed states, with the problem', async () => {
  const exec: ExecFn = async (_file, args) => {
    if (args.includes('list-units')) {
      return { stdout: JSON.stringify([{ unit: 'dsa110-absurd-worker@4.service', load: 'loaded', active: 'active', sub: 'running' }]), stderr: '' };
    }
    throw Object.assign(new Error('exit 1'), { code: 1, stderr: 'Failed to get properties: Connection reset by peer\n', stdout: '' });
  };
  const manager = new SystemdUnitManager({ units: configSchema.parse({}).units, sudo: false, readOnly: false, exec });
  const snapshot = await manager.list();
  assert.deepEqual(snapshot.units.map((u) => [u.name, u.active, u.mainPid]), [
    ['dsa110-mosaic-daemon.service', 'unknown', null], ['dsa110-absurd-worker@4.service', 'active', null],
  ]);
  assert.match(snapshot.problem ?? '', /^systemctl show failed: Failed to get properties/);
});

test('a manager whose exec throws synchronously still returns a snapshot', async () => {
  const exec: ExecFn = () => { throw new Error('boom'); };
  const manager = new SystemdUnitManager({ units: configSchema.parse({}).units, sudo: false, readOnly: false, exec });
  const snapshot = await manager.list();
  assert.deepEqual(snapshot.units, []);
  assert.match(snapshot.problem ?? '', /boom/);
});
