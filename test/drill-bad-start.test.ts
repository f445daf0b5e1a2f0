// Drill: everything that can be wrong with the database at start (and mid-run) gives a distinct,
// clear one-line message and the documented exit code, never a stack trace.
//   `absurd-top --once` (run from source through tsx, so a stale dist/ cannot fool the drill):
//     unreachable, wrong password, no password, missing database, no Absurd schema,
//     statement timeout (a lock held by another session) → exit 3; unknown queue → exit 2.
//   the poller over the real reader (what the console runs): the absurd schema dropped between
//     two refreshes, a queue dropped mid-run (flavour absurd) → a clear problem, stale data kept.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { configSchema, type ConfigInput } from '../src/config/schema.js';
import { createPool } from '../src/data/pg/connect.js';
import { createDbReader } from '../src/data/flavours/create-reader.js';
import { Poller } from '../src/data/poller.js';
import type { HostSnapshot, UnitsSnapshot } from '../src/data/snapshot.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { seedFlavour } from './helpers/seed.js';
import { setupFakeSystemd, type FakeSystemd } from './helpers/fake-systemd.js';
import { waitUntil } from './helpers/wait-until.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const STACK = /^\s+at /m;

interface Run { args: string[]; code: number | null; stdout: string; stderr: string }

let fake: FakeSystemd;
before(async () => { fake = await setupFakeSystemd(); });
after(() => fake?.cleanup());

function cli(args: string[], timeoutMs = 40_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: root, env: { ...fake.env, NO_COLOR: '1', XDG_STATE_HOME: fake.dir, XDG_CONFIG_HOME: fake.dir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`absurd-top ${args.join(' ')} did not exit within ${timeoutMs} ms`)); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ args, code, stdout, stderr }); });
  });
}

/** Problem line per case, to check at the end that no two cases read the same. */
const seen = new Map<string, string>();

/** The problem line of the --once report ("database: …"). */
function problemLine(run: Run, name = run.args.join(' ')): string {
  const line = run.stdout.split('\n').find((l) => l.startsWith('database: ')) ?? `(no database line) stdout=${run.stdout} stderr=${run.stderr}`;
  seen.set(name, line);
  return line;
}

function assertClean(run: Run): void {
  assert.doesNotMatch(run.stderr, STACK, `stack trace on stderr:\n${run.stderr}`);
  assert.doesNotMatch(run.stdout, STACK, `stack trace on stdout:\n${run.stdout}`);
  assert.doesNotMatch(run.stdout + run.stderr, /unexpected error/i);
}

/** A listener on a free port that nobody serves (taken, then closed). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A minimal PostgreSQL front door that asks for a SCRAM password and refuses whatever the client
 * sends first, as a real server does for a wrong password (the real test server trusts everyone).
 */
async function passwordServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    let started = false;
    let continued = false;
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (!started) {
        if (buf.length < 8) return;
        const len = buf.readInt32BE(0);
        const code = buf.readInt32BE(4);
        if (buf.length < len) return;
        buf = buf.subarray(len);
        if (code === 80877103) { socket.write('N'); return; } // SSLRequest: no
        started = true;
        // AuthenticationSASL offering SCRAM-SHA-256 (PostgreSQL 14+'s default password method).
        const mechanisms = Buffer.from('SCRAM-SHA-256\0\0');
        const ask = Buffer.alloc(9);
        ask.write('R', 0); ask.writeInt32BE(8 + mechanisms.length, 1); ask.writeInt32BE(10, 5);
        socket.write(Buffer.concat([ask, mechanisms]));
        return;
      }
      if (buf[0] !== 0x70 /* p */ || buf.length < 5 || buf.length < 1 + buf.readInt32BE(1)) return;
      const message = buf.subarray(0, 1 + buf.readInt32BE(1));
      buf = buf.subarray(message.length);
      const nonce = /r=([^,]+)/.exec(message.toString('latin1'))?.[1];
      if (nonce && !continued) {
        // SASLInitialResponse: answer with a server-first-message (a client without a password
        // gives up here); the client's proof that follows is refused.
        continued = true;
        const first = Buffer.from(`r=${nonce}srv0nce,s=${Buffer.from('saltsalt').toString('base64')},i=4096`);
        const head = Buffer.alloc(9);
        head.write('R', 0); head.writeInt32BE(8 + first.length, 1); head.writeInt32BE(11, 5);
        socket.write(Buffer.concat([head, first]));
      } else {
        const fields = ['SFATAL', 'VFATAL', 'C28P01', 'Mpassword authentication failed for user "absurd"'];
        const body = Buffer.concat([...fields.map((f) => Buffer.from(`${f}\0`)), Buffer.from([0])]);
        const head = Buffer.alloc(5);
        head.write('E', 0); head.writeInt32BE(body.length + 4, 1);
        socket.end(Buffer.concat([head, body]));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => { for (const s of sockets) s.destroy(); return new Promise<void>((resolve) => server.close(() => resolve())); },
  };
}

describe('--once at start', () => {
  let db: TestDatabase;
  let empty: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ flavour: 'dsa110-v2' });
    await seedFlavour(db.pool, 'dsa110-v2', 'dsa110-pipeline');
    empty = await createTestDatabase({ flavour: null });
  });
  after(async () => {
    await db?.drop();
    await empty?.drop();
  });

  test('unreachable database: exit 3, "cannot reach … connection refused"', async () => {
    const port = await deadPort();
    const run = await cli(['--once', '-d', `postgres://absurd@127.0.0.1:${port}/dsa110_absurd`]);
    assertClean(run);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(problemLine(run), new RegExp(`cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}: connection refused`));
  });

  test('wrong password: exit 3, names the user, never echoes the password', async () => {
    const server = await passwordServer();
    try {
      const run = await cli(['--once', '-d', `postgres://absurd:s3cret-pw@127.0.0.1:${server.port}/dsa110_absurd`]);
      assertClean(run);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(problemLine(run), /password authentication failed for user "absurd"/);
      assert.doesNotMatch(run.stdout + run.stderr, /s3cret-pw/);
    } finally {
      await server.close();
    }
  });

  test('password required but none given: exit 3, says how to give one', async () => {
    const server = await passwordServer();
    try {
      const run = await cli(['--once', '-d', `postgres://absurd@127.0.0.1:${server.port}/dsa110_absurd`]);
      assertClean(run);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(problemLine(run), /asks for a password for user "absurd" and none was given/);
    } finally {
      await server.close();
    }
  });

  test('missing database: exit 3, names it and lists the ones there', async () => {
    const url = new URL(db.url);
    url.pathname = '/no_such_db_for_drill';
    const run = await cli(['--once', '-d', url.toString()]);
    assertClean(run);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(problemLine(run), /database "no_such_db_for_drill" does not exist on 127\.0\.0\.1:\d+/);
  });

  test('a database without the absurd schema: exit 3, "no absurd schema"', async () => {
    const run = await cli(['--once', '-d', empty.url]);
    assertClean(run);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(problemLine(run), new RegExp(`no absurd schema in database "${empty.name}"`));
  });

  test('statement timeout (a lock held by another session): exit 3, says timeout and how to wait longer', async () => {
    const locker = await db.pool.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table absurd.tasks in access exclusive mode');
      const run = await cli(['--once', '-d', db.url, '--statement-timeout', '100']);
      assertClean(run);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(problemLine(run), /statement timeout after 100 ms: the database is slow or a lock is held \(raise --statement-timeout/);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      locker.release();
    }
  });

  test('unknown queue: exit 2, lists the known queues', async () => {
    const run = await cli(['--once', '-d', db.url, '-q', 'no-such-queue']);
    assertClean(run);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(problemLine(run), /queue "no-such-queue" not found/);
    assert.match(problemLine(run), /dsa110-pipeline/);
  });

  test('--once --json with an unreachable database: exit 3, JSON on stdout, no stack', async () => {
    const port = await deadPort();
    const run = await cli(['--once', '--json', '-d', `postgres://absurd@127.0.0.1:${port}/x`]);
    assertClean(run);
    assert.equal(run.code, 3);
    const json = JSON.parse(run.stdout) as { dbProblem?: { kind: string } };
    assert.equal(JSON.stringify(json).includes('"unreachable"'), true, run.stdout.slice(0, 400));
  });

  test('the messages are distinct', () => {
    assert.ok(seen.size >= 7, `cases seen: ${[...seen.keys()].join(', ')}`);
    const lines = [...seen.values()].map((l) => l.replace(/\d+/g, 'N'));
    assert.equal(new Set(lines).size, lines.length, lines.join('\n'));
  });
});

const units = { list: async (): Promise<UnitsSnapshot> => ({ units: [], problem: null }) };
const host = { snapshot: async (): Promise<HostSnapshot> => ({ disks: [], backlog: null, load: [], memUsedPct: null, problem: null }) };

async function pollerOn(db: TestDatabase, input: ConfigInput = {}) {
  const config = configSchema.parse({ database: db.url, refreshSec: 0.2, statementTimeoutMs: 2000, ...input });
  const pool = createPool(config);
  const poller = new Poller({ db: () => createDbReader(pool, config), units, host }, { intervalMs: 200 });
  return { poller, close: async () => { await poller.stop(); await pool.end(); } };
}

describe('mid-run (the poller the console uses)', () => {
  test('the absurd schema dropped between two refreshes: a clear no-schema problem, last data kept', async () => {
    const db = await createTestDatabase({ flavour: 'dsa110-v2' });
    await seedFlavour(db.pool, 'dsa110-v2', 'dsa110-pipeline');
    const { poller, close } = await pollerOn(db);
    try {
      await poller.refreshNow();
      const lastGood = poller.state.snapshot.db;
      assert.ok(lastGood, JSON.stringify(poller.state.snapshot.dbProblem));
      await db.pool.query('drop schema absurd cascade');
      await poller.refreshNow();
      const problem = poller.state.snapshot.dbProblem;
      assert.equal(problem?.kind, 'no-schema', JSON.stringify(problem));
      assert.match(problem!.message, /relation "absurd\.tasks" does not exist: the Absurd tables changed under the console/);
      assert.doesNotMatch(problem!.message, STACK);
      assert.equal(poller.state.snapshot.db, lastGood, 'stale data kept');
    } finally {
      await close();
      await db.drop();
    }
  });

  test('flavour absurd: the shown queue dropped mid-run → "queue … not found" (exit-2 kind); its tables dropped under a listed queue → no-schema naming the table', async () => {
    const db = await createTestDatabase({ flavour: 'absurd' });
    await seedFlavour(db.pool, 'absurd', 'keep');
    await seedFlavour(db.pool, 'absurd', 'doomed');
    const shown = await pollerOn(db, { queue: 'doomed' });
    const all = await pollerOn(db);
    try {
      await shown.poller.refreshNow();
      await all.poller.refreshNow();
      assert.ok(shown.poller.state.snapshot.db && all.poller.state.snapshot.db);

      // Half-dropped: the tables go first (as a hand-run DROP would), the queue row stays.
      await db.pool.query('drop table absurd."w_doomed", absurd."c_doomed", absurd."e_doomed", absurd."r_doomed", absurd."t_doomed" cascade');
      await all.poller.refreshNow();
      const half = all.poller.state.snapshot.dbProblem;
      assert.equal(half?.kind, 'no-schema', JSON.stringify(half));
      assert.match(half!.message, /relation "absurd\.(t|r|c|w|e)_doomed" does not exist: .*queue dropped/);

      // Fully dropped: the queue row goes too.
      await db.pool.query("delete from absurd.queues where queue_name = 'doomed'");
      await shown.poller.refreshNow();
      const gone = shown.poller.state.snapshot.dbProblem;
      assert.equal(gone?.kind, 'unknown-queue', JSON.stringify(gone));
      assert.match(gone!.message, /queue "doomed" not found/);
      assert.match(gone!.message, /keep/);
      // The all-queues view simply recovers without the dropped queue.
      await waitUntil(async () => {
        await all.poller.refreshNow();
        return all.poller.state.snapshot.dbProblem === null;
      }, { what: 'the all-queues view recovers' });
      assert.deepEqual(all.poller.state.snapshot.db?.queues.map((q) => q.name), ['keep']);
    } finally {
      await shown.close();
      await all.close();
      await db.drop();
    }
  });
});
