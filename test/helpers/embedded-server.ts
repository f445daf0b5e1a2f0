// The integration suite's fallback when there is no PostgreSQL to test against: with
// ABSURD_TEST_DATABASE_URL unset and nothing answering on 127.0.0.1:5432, each test database is
// its own in-memory PGlite served on its own loopback port (PGlite has exactly one database, so
// CREATE DATABASE cannot give isolation), each in a worker thread of its own (embedded-worker.ts
// says why). initdb costs ~3 s, so its result is cached once as a tarball in the temp directory;
// every database after that loads in ~0.3 s.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';

export interface EmbeddedDatabase {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  stop(): Promise<void>;
}

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function serverAnswers(host = '127.0.0.1', port = 5432, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer: boolean): void => { socket.destroy(); resolve(answer); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

let decided: Promise<boolean> | null = null;
/**
 * Decided once per process: ABSURD_TEST_EMBEDDED=1 forces the embedded fallback (to test it on a
 * machine that has a server); else the URL wins, then a local server, then the fallback.
 */
export function useEmbeddedDatabase(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (env.ABSURD_TEST_EMBEDDED === '1') return Promise.resolve(true);
  if (env.ABSURD_TEST_DATABASE_URL) return Promise.resolve(false);
  return (decided ??= serverAnswers().then((answers) => !answers));
}

// A worker thread does not inherit the tsx loader of `node --import tsx`: register it, then load
// the TypeScript worker (absolute URLs: a data: module has no directory to resolve from).
const workerBoot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
register();
await import(${JSON.stringify(new URL('./embedded-worker.ts', import.meta.url).href)});`;

/** One fresh, empty PGlite database on its own port, served from its own worker thread. */
export async function createEmbeddedDatabase(): Promise<EmbeddedDatabase> {
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(workerBoot)}`), { workerData: { template: await templatePath() } });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (m: { url: string }) => resolve(m.url));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`embedded database worker exited with ${code}`)));
  });
  let stopped: Promise<void> | null = null;
  return {
    url,
    stop: () => (stopped ??= (async () => {
      const done = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      await done;
      await worker.terminate();
    })()),
  };
}

/**
 * createTestDatabase's embedded twin: same shape ({ url, name, pool, drop }), one PGlite per
 * call; `install` runs before it is handed out (the flavour SQL).
 */
export async function embeddedTestDatabase(install: (pool: pg.Pool) => Promise<void>): Promise<{ url: string; name: string; pool: pg.Pool; drop(): Promise<void> }> {
  const db = await createEmbeddedDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => { /* the server stopping under an idle client is expected at drop() */ });
  let dropped: Promise<void> | null = null;
  const drop = (): Promise<void> => (dropped ??= (async () => {
    await pool.end().catch(() => undefined);
    await db.stop();
  })());
  try {
    await install(pool);
  } catch (error) {
    await drop();
    throw error;
  }
  return { url: db.url, name: 'postgres', pool, drop };
}

let shared: Promise<EmbeddedDatabase> | null = null;
/** One embedded server for the whole test process (for tests that only need "a server"). */
export async function ensureTestServer(): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  const server = await (shared ??= createEmbeddedDatabase());
  return {
    adminUrl: server.url,
    stop: async () => {
      shared = null;
      await server.stop();
    },
  };
}

/** An empty initdb'd data directory for PGlite's loadDataDir (a fresh Blob per call). */
export async function pgliteTemplate(): Promise<Blob> {
  return new Blob([new Uint8Array(readFileSync(await templatePath()))]);
}

let templateFile: Promise<string> | null = null;
/** The initdb'd data directory as a tar in the temp directory, made once per PGlite version. */
function templatePath(): Promise<string> {
  return (templateFile ??= (async () => {
    const path = join(tmpdir(), `absurd-top-pglite-${pgliteVersion()}.tar`);
    if (existsSync(path)) return path;
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create();
    const dump = await db.dumpDataDir('none');
    await db.close();
    // Written under a private name and renamed: parallel test files never read half a file.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
    renameSync(partial, path);
    return path;
  })());
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  for (let i = 0; i < 4; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === '@electric-sql/pglite' && parsed.version) return parsed.version;
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
