// Drill: input that looks like SQL or shell is data, never code.
//   - queue names and filters with quotes, semicolons, `$1`, LIKE wildcards work or are refused
//     cleanly, and the tables survive (checked by counting rows before and after);
//   - a queue really named `a;b$1"c` (flavour absurd: its tables are absurd."t_a;b$1""c") can be
//     shown, browsed, and acted on from the command line;
//   - unit and host names with shell metacharacters are refused before anything runs: the fake
//     systemctl's call log stays empty.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { parseFlags } from '../src/config/args.js';
import { loadConfig } from '../src/config/load-config.js';
import { configSchema } from '../src/config/schema.js';
import { runActionCommand } from '../src/actions/command-line.js';
import { SystemdUnitManager } from '../src/data/units/index.js';
import { createDbReader } from '../src/data/flavours/create-reader.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { quote, seedFlavour, type Seeded } from './helpers/seed.js';
import { setupFakeSystemd, type FakeSystemd } from './helpers/fake-systemd.js';
import { taskState } from './helpers/action-fixtures.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const hostileQueue = "x'; drop table absurd.tasks; --";
const weird = 'a;b$1"c';
const STACK = /^\s+at /m;

interface Run { code: number | null; stdout: string; stderr: string }

let fake: FakeSystemd;
before(async () => { fake = await setupFakeSystemd(); });
after(() => fake?.cleanup());

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...fake.env, NO_COLOR: '1', XDG_STATE_HOME: fake.dir, XDG_CONFIG_HOME: fake.dir, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`absurd-top ${args.join(' ')} hung`)); }, 40_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      assert.doesNotMatch(stderr + stdout, STACK, `stack trace from absurd-top ${args.join(' ')}:\n${stderr}`);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Row count of every table in schema absurd: the tables all survive, with their rows. */
async function census(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ t: string }>(`select quote_ident(schemaname) || '.' || quote_ident(tablename) as t
    from pg_tables where schemaname = 'absurd' order by 1`);
  const out: Record<string, number> = {};
  for (const { t } of rows) out[t] = (await pool.query<{ n: number }>(`select count(*)::int as n from ${t}`)).rows[0]!.n;
  return out;
}

describe('dsa110-v2: hostile queue names and filters', () => {
  let db: TestDatabase;
  let seeded: Seeded;
  before(async () => {
    db = await createTestDatabase({ flavour: 'dsa110-v2' });
    seeded = await seedFlavour(db.pool, 'dsa110-v2', 'dsa110-pipeline');
    await db.pool.query(`insert into absurd.tasks (queue_name, task_name, params, status)
      values ('dsa110-pipeline', $1, '{}', 'pending'), ('dsa110-pipeline', '100xxdone', '{}', 'pending')`, ["100%_done'; drop table absurd.tasks; --$1"]);
  });
  after(() => db?.drop());

  test(`--once -q "${hostileQueue}" is an unknown queue (exit 2); the tables survive`, async () => {
    const before = await census(db.pool);
    const run = await cli(['--once', '-d', db.url, '-q', hostileQueue]);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stdout, /queue "x'; drop table absurd\.tasks; --" not found/);
    assert.deepEqual(await census(db.pool), before);
  });

  test('scripted verbs with the hostile queue are refused or harmless; the tables survive', async () => {
    const before = await census(db.pool);
    const runs = [
      await cli(['clear', hostileQueue, '-d', db.url, '--yes']),
      await cli(['clear', hostileQueue, '-d', db.url, '--dry-run']),
      await cli(['prune', '-d', db.url, '-q', hostileQueue, '--days', '1', '--yes']),
      await cli(['reap', '-d', db.url, '-q', hostileQueue, '--yes']),
    ];
    for (const run of runs) assert.ok(run.code !== null && run.code <= 2, run.stdout + run.stderr);
    assert.deepEqual(await census(db.pool), before);
    assert.equal(await taskState(db.pool, 'dsa110-v2', 'dsa110-pipeline', seeded.ids.pending!), 'pending');
  });

  test('browse filters with quotes, semicolons, $1, % and _ match literally', async () => {
    const config = configSchema.parse({ database: db.url });
    const reader = await createDbReader(db.pool, config);
    const before = await census(db.pool);
    const names = async (q: { name?: string; text?: string }) => (await reader.browse({ queue: 'dsa110-pipeline', ...q })).tasks.map((t) => t.name);
    assert.deepEqual(await names({ name: '100%_' }), ["100%_done'; drop table absurd.tasks; --$1"], 'a % in the filter is a percent sign, not a wildcard');
    assert.deepEqual(await names({ text: "'; drop table absurd.tasks; --" }), ["100%_done'; drop table absurd.tasks; --$1"]);
    assert.deepEqual(await names({ name: '$1' }), ["100%_done'; drop table absurd.tasks; --$1"]);
    assert.deepEqual(await names({ name: "x' or '1'='1" }), []);
    assert.deepEqual(await names({ text: '\\' }), []);
    await assert.rejects(reader.browse({ queue: hostileQueue }), /queue "x'; drop table absurd\.tasks; --" not found/);
    assert.deepEqual(await census(db.pool), before);
  });
});

describe(`flavour absurd: a queue really named ${weird}`, () => {
  let db: TestDatabase;
  let seeded: Seeded;
  before(async () => {
    db = await createTestDatabase({ flavour: 'absurd' });
    seeded = await seedFlavour(db.pool, 'absurd', weird);
    await seedFlavour(db.pool, 'absurd', 'plain');
  });
  after(() => db?.drop());

  test('its tables exist under their quoted names', async () => {
    const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from absurd.${quote(`t_${weird}`)}`);
    assert.ok(rows[0]!.n > 0);
  });

  test('--once -q shows it; the JSON names it', async () => {
    const run = await cli(['--once', '--json', '-d', db.url, '-q', weird]);
    assert.ok(run.code === 0 || run.code === 1 || run.code === 2, `exit ${run.code}: ${run.stderr}`);
    const { snapshot } = JSON.parse(run.stdout) as { snapshot: { dbProblem: unknown; db: { queues: { name: string }[] } | null } };
    assert.equal(snapshot.dbProblem, null, JSON.stringify(snapshot.dbProblem));
    assert.deepEqual(snapshot.db?.queues.map((q) => q.name), [weird]);
  });

  test('the reader lists it among all queues and browses it', async () => {
    const reader = await createDbReader(db.pool, configSchema.parse({ database: db.url }));
    const snapshot = await reader.snapshot();
    assert.deepEqual(snapshot.queues.map((q) => q.name).sort(), ['a;b$1"c', 'plain']);
    const page = await reader.browse({ queue: weird, name: "'; --" });
    assert.deepEqual(page.tasks, []);
    assert.ok((await reader.browse({ queue: weird })).tasks.length > 0);
  });

  test('cancel, retry and clear --dry-run work on it from the command line; other queues untouched', async () => {
    const plainBefore = (await census(db.pool))['absurd.t_plain'];
    const cancel = await cli(['cancel', '-d', db.url, seeded.ids.pending!]);
    assert.equal(cancel.code, 0, cancel.stdout + cancel.stderr);
    assert.equal(await taskState(db.pool, 'absurd', weird, seeded.ids.pending!), 'cancelled');
    const retry = await cli(['retry', '-d', db.url, '-q', weird, seeded.ids.failed!]);
    assert.equal(retry.code, 0, retry.stdout + retry.stderr);
    assert.equal(await taskState(db.pool, 'absurd', weird, seeded.ids.failed!), 'pending');
    const dry = await cli(['clear', weird, '-d', db.url, '--dry-run']);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    // The plan quotes the name as a literal and as an identifier, never splices it raw.
    assert.match(dry.stdout, /absurd\."t_a;b\$1""c"|'a;b\$1"c'/);
    assert.equal((await census(db.pool))['absurd.t_plain'], plainBefore);
  });
});

describe('unit and host names with shell metacharacters', () => {
  const hostile = ['x;touch /tmp/absurd-top-pwned', '$(id)', '`reboot`', 'a b.service', 'w@1.service|cat', '../../etc/passwd', '-H', '--now', 'dsa110-absurd-worker@1.service\nreboot'];
  const hostileHosts = ['h;ls', '$(id)@w2', 'ops@w2 -i', '-oProxyCommand=sh'];

  /** The scripted verbs in-process, as the entry point runs them (loadConfig, then runActionCommand): many cases fast. */
  async function inProcess(argv: string[]): Promise<{ code: number; text: string }> {
    let parsed;
    let config;
    try {
      parsed = parseFlags(argv);
      config = loadConfig(parsed.flags, { XDG_CONFIG_HOME: fake.dir });
    } catch (error) {
      return { code: 2, text: (error as Error).message }; // the entry point's exit 2 for bad usage or configuration
    }
    const { flags, positionals } = parsed;
    const units = new SystemdUnitManager({ units: config.units, sudo: false, readOnly: false, env: fake.env });
    let text = '';
    const code = await runActionCommand(positionals, flags, {
      config, units, pool: { query: () => { throw new Error('no database in this drill'); }, connect: () => { throw new Error('no database'); } } as never,
      out: (t) => { text += `${t}\n`; }, err: (t) => { text += `${t}\n`; },
    });
    return { code, text };
  }

  test('start/stop/restart refuse them before systemctl is run (the real CLI, two of them)', async () => {
    await fake.clearLog();
    for (const [verb, name] of [['restart', hostile[0]!], ['stop', hostile[1]!]] as const) {
      const run = await cli([verb, '--', name]);
      assert.notEqual(run.code, 0, `${verb} ${name} must be refused: ${run.stdout}${run.stderr}`);
      assert.match(run.stdout + run.stderr, /unit/i, `${verb} ${name}: says why`);
    }
    const run = await cli(['restart', '-H', hostileHosts[0]!, 'dsa110-mosaic-daemon.service']);
    assert.notEqual(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(await fake.calls(), [], 'systemctl was never run');
  });

  test('every hostile unit and host name, every unit verb: refused, systemctl never run', async () => {
    await fake.clearLog();
    for (const name of hostile) {
      for (const verb of ['restart', 'stop', 'start']) {
        const { code, text } = await inProcess([verb, '--', name]);
        assert.notEqual(code, 0, `${verb} ${JSON.stringify(name)} must be refused: ${text}`);
        assert.match(text, /unit/i, `${verb} ${JSON.stringify(name)} says why: ${text}`);
      }
    }
    for (const host of hostileHosts) {
      for (const argv of [['restart', '-H', host, 'dsa110-mosaic-daemon.service'], ['scale', '3', '-H', host], ['emergency-stop', '--yes', '-H', host]]) {
        const { code, text } = await inProcess(argv);
        assert.notEqual(code, 0, `${argv.join(' ')}: ${text}`);
      }
    }
    assert.deepEqual(await fake.calls(), [], 'systemctl was never run');
  });

  test('hostile unit names in the config file stop absurd-top with exit 2 before anything runs', async () => {
    await fake.clearLog();
    const file = join(fake.dir, 'hostile.json');
    await writeFile(file, JSON.stringify({ units: { producer: 'daemon;reboot' } }));
    const run = await cli(['scale', '3', '-c', file]);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /config: units\.producer/);
    for (const units of [{ workerTemplate: 'w@.service $(id)' }, { hosts: ['h;ls'] }]) {
      assert.equal(configSchema.safeParse({ units }).success, false, JSON.stringify(units));
    }
    assert.deepEqual(await fake.calls(), []);
  });

  test('control: a good unit name does reach systemctl', async () => {
    await fake.clearLog();
    const run = await cli(['restart', 'dsa110-absurd-worker@1.service']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(await fake.actionLines(), ['systemctl restart dsa110-absurd-worker@1.service']);
  });
});
