import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlags, UsageError, helpText, flagSpecs } from '../src/config/args.js';
import { loadConfig, maskDatabaseUrl, ConfigError } from '../src/config/load-config.js';
import { configSchema, unitsPollSec } from '../src/config/schema.js';

const emptyHome = { HOME: mkdtempSync(join(tmpdir(), 'absurd-top-home-')) };

test('defaults come from the operations spec', () => {
  const config = loadConfig({}, emptyHome);
  assert.equal(config.database, null);
  assert.equal(config.queue, null);
  assert.equal(config.refreshSec, 2);
  assert.equal(config.thresholds.diskWarnPct, 80);
  assert.equal(config.thresholds.pendingCrit, 100);
  assert.equal(config.units.producer, 'dsa110-mosaic-daemon.service');
  assert.deepEqual(config.disks.paths, ['/data', '/data/incoming', '/stage', '/stage/dsa110-contimg']);
});

test('systemd is asked every 30 s when the journal reports every watched unit, else every 10 s', () => {
  const pollSec = (input: Record<string, unknown>) => unitsPollSec(configSchema.parse(input));
  assert.equal(pollSec({}), 30, 'local units, journal followed: journal lines trigger the asks');
  assert.equal(pollSec({ units: { hosts: ['node2'] } }), 10, 'units on another host are seen only by asking');
  assert.equal(pollSec({ logs: { journal: false } }), 10, 'no journal, nothing triggers an ask');
  assert.equal(pollSec({ units: { hosts: ['node2'], pollSec: 60 } }), 60, 'an explicit value wins');
  assert.equal(pollSec({ units: { pollSec: null } }), 30, 'null, as in the README example, is the default');
});

test('database precedence: --database, then ABSURD_DATABASE_URL, then PG* (null)', () => {
  const env = { ...emptyHome, ABSURD_DATABASE_URL: 'postgres://env@h/db' };
  assert.equal(loadConfig({ database: 'postgres://flag@h/db' }, env).database, 'postgres://flag@h/db');
  assert.equal(loadConfig({}, env).database, 'postgres://env@h/db');
  assert.equal(loadConfig({}, emptyHome).database, null);
});

test('queue precedence: --queue, then ABSURD_QUEUE_NAME, else all queues', () => {
  const env = { ...emptyHome, ABSURD_QUEUE_NAME: 'dsa110-pipeline' };
  assert.equal(loadConfig({ queue: 'maintenance' }, env).queue, 'maintenance');
  assert.equal(loadConfig({}, env).queue, 'dsa110-pipeline');
});

test('the config file is read from XDG_CONFIG_HOME and flags override it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'absurd-top-xdg-'));
  const file = join(dir, 'absurd-top', 'config.json');
  mkdirSync(join(dir, 'absurd-top'));
  writeFileSync(file, JSON.stringify({ refreshSec: 5, units: { producer: 'absurd-scheduler.service' }, thresholds: { pendingWarn: 7 } }));
  const config = loadConfig({}, { ...emptyHome, XDG_CONFIG_HOME: dir });
  assert.equal(config.refreshSec, 5);
  assert.equal(config.units.producer, 'absurd-scheduler.service');
  assert.equal(config.units.workerTemplate, 'dsa110-absurd-worker@.service');
  assert.equal(config.thresholds.pendingWarn, 7);
  assert.equal(config.thresholds.pendingCrit, 100);
  assert.equal(loadConfig({ refresh: '1.5' }, { ...emptyHome, XDG_CONFIG_HOME: dir }).refreshSec, 1.5);
});

test('bad values stop with a message naming the field and what was expected', () => {
  assert.throws(() => loadConfig({ refresh: 'fast' }, emptyHome), (e: Error) => e instanceof ConfigError && /--refresh: expected a number, got "fast"/.test(e.message));
  assert.throws(() => loadConfig({ refresh: '0' }, emptyHome), /config: refreshSec: .*0\.1/);
  assert.throws(() => loadConfig({ flavour: 'v3' }, emptyHome), /config: flavour: .*"absurd"/);
  const dir = mkdtempSync(join(tmpdir(), 'absurd-top-cfg-'));
  const bad = join(dir, 'c.json');
  writeFileSync(bad, JSON.stringify({ units: { workerTemplate: 'worker.service' }, thresholds: { diskWarnPct: 140 } }));
  assert.throws(() => loadConfig({ config: bad }, emptyHome), (e: Error) =>
    /units\.workerTemplate: a template unit/.test(e.message) && /thresholds\.diskWarnPct/.test(e.message));
  writeFileSync(bad, '{ not json');
  assert.throws(() => loadConfig({ config: bad }, emptyHome), /not valid JSON/);
  assert.throws(() => loadConfig({ config: join(dir, 'missing.json') }, emptyHome), /cannot read it \(ENOENT\)/);
  writeFileSync(bad, JSON.stringify({ units: { producer: 'x;rm -rf /' } }));
  assert.throws(() => loadConfig({ config: bad }, emptyHome), /units\.producer: a systemd unit name/);
});

test('unknown flags are usage errors that point to --help', () => {
  assert.throws(() => parseFlags(['--bogus']), (e: Error) => e instanceof UsageError && /bogus/.test(e.message) && /--help/.test(e.message));
  assert.deepEqual(parseFlags(['retry', 'abc', '--yes']).positionals, ['retry', 'abc']);
});

test('--help documents every flag', () => {
  const help = helpText();
  for (const name of Object.keys(flagSpecs)) assert.match(help, new RegExp(`--${name}\\b`));
});

test('passwords are masked wherever a database target is shown', () => {
  assert.equal(maskDatabaseUrl('postgres://ops:s3cret@db:5432/dsa110_absurd'), 'postgres://ops:***@db:5432/dsa110_absurd');
  assert.doesNotMatch(maskDatabaseUrl('postgres://db/x?password=s3cret'), /s3cret/);
  assert.doesNotMatch(maskDatabaseUrl('host=db password=s3cret'), /s3cret/);
  assert.doesNotMatch(maskDatabaseUrl("host=db password='s 3cret'"), /3cret/);
});
