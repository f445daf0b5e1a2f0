// The demo's database: PGlite (PostgreSQL compiled to WebAssembly) in this process, served on a
// loopback port so the console reaches it through the ordinary `pg` code path. The data
// directory lives under the XDG cache so only the first start pays for initdb (~3 s); later
// starts open it in ~0.4 s.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { xdgDir } from '../config/load-config.js';
import { flavourSql } from '../data/pg/flavour-sql.js';
import type { Flavour } from '../data/snapshot.js';
import { servePglite, type PgliteServer } from './pglite-server.js';

export interface EmbeddedPostgresOptions {
  flavour: Flavour;
  /** Data directory; default `xdgDir('cache')/demo-<flavour>`; null = in memory (tests). */
  dataDir?: string | null;
  /** Wipe the data directory first. */
  reset?: boolean;
  onProgress?: (text: string) => void;
  /** A fresh database starts from this data directory tarball instead of initdb (tests pass a cached one: ~0.3 s instead of ~3 s). */
  loadDataDir?: Blob;
  /** Runs once on a fresh database after the flavour is installed (e.g. seeding history). */
  prepare?: (url: string) => Promise<void>;
}

export interface EmbeddedPostgres {
  url: string;
  /** True when this start created the database (initdb + schema). */
  fresh: boolean;
  /** The directory in use; null when in memory. */
  dataDir: string | null;
  server: PgliteServer;
  stop(): Promise<void>;
}

/** Written last on a fresh directory: without it a half-initialised directory is started over. */
const READY_MARK = 'absurd-top-demo.json';

export function defaultDemoDataDir(flavour: Flavour, env: NodeJS.ProcessEnv = process.env): string {
  return join(xdgDir('cache', env), `demo-${flavour}`);
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const say = opts.onProgress ?? (() => undefined);
  let dataDir = opts.dataDir === undefined ? defaultDemoDataDir(opts.flavour) : opts.dataDir;
  let releaseLock = (): void => undefined;
  if (dataDir !== null) {
    const lock = takeLock(dataDir);
    if (lock.ok) releaseLock = lock.release;
    else {
      // A second demo on the same directory would corrupt it: run this one in memory instead.
      say(`demo database ${dataDir} is in use by pid ${lock.pid}: using a throwaway in-memory database`);
      dataDir = null;
    }
  }
  if (dataDir !== null && opts.reset) rmSync(dataDir, { recursive: true, force: true });

  let db: PGlite | null = null;
  let server: PgliteServer | null = null;
  const close = async (): Promise<void> => {
    await server?.close();
    await db?.close().catch(() => undefined);
    releaseLock();
  };
  try {
    const first = isFresh(dataDir);
    say(startLine(first));
    // Imported only now so the caller's first progress line is not held up by loading the
    // WebAssembly module.
    const { PGlite } = await import('@electric-sql/pglite');
    const opened = await open(PGlite, dataDir, opts.loadDataDir).catch(async (error: unknown) => {
      if (dataDir === null || first) throw error;
      // A cache left unusable (killed mid-write, another PGlite version): start it over.
      say(`cached demo database unusable (${(error as Error).message}): starting over…`);
      rmSync(dataDir, { recursive: true, force: true });
      say(startLine(true));
      return open(PGlite, dataDir, undefined);
    });
    db = opened.db;
    if (opened.fresh) {
      say(`installing ${opts.flavour} schema…`);
      await db.exec(flavourSql(opts.flavour));
    }
    server = await servePglite(db);
    if (opened.fresh) {
      await opts.prepare?.(server.url);
      if (dataDir !== null) writeFileSync(join(dataDir, READY_MARK), `${JSON.stringify({ flavour: opts.flavour, createdAt: new Date().toISOString() })}\n`);
    }
    let stopped: Promise<void> | null = null;
    return { url: server.url, fresh: opened.fresh, dataDir, server, stop: () => (stopped ??= close()) };
  } catch (error) {
    await close();
    throw error;
  }
}

const isFresh = (dataDir: string | null): boolean => dataDir === null || !existsSync(join(dataDir, READY_MARK));
const startLine = (fresh: boolean): string =>
  (fresh ? 'starting embedded Postgres (first start: initialising, ~4 s)…' : 'starting embedded Postgres…');

type PGliteClass = typeof import('@electric-sql/pglite').PGlite;

/** Opens (or initialises) the directory; one without the ready mark is half-made and starts over. */
async function open(PGliteCtor: PGliteClass, dataDir: string | null, loadDataDir: Blob | undefined): Promise<{ db: PGlite; fresh: boolean }> {
  const fresh = isFresh(dataDir);
  if (dataDir !== null && fresh) rmSync(dataDir, { recursive: true, force: true });
  const db = await PGliteCtor.create({
    ...(dataDir !== null ? { dataDir } : {}),
    ...(fresh && loadDataDir ? { loadDataDir } : {}),
  });
  return { db, fresh };
}

/** `<dataDir>.lock` holding our pid; a lock whose process is gone is taken over. */
function takeLock(dataDir: string): { ok: true; release(): void } | { ok: false; pid: number } {
  const path = `${dataDir}.lock`;
  mkdirSync(join(dataDir, '..'), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return { ok: true, release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (alive(pid)) return { ok: false, pid };
      rmSync(path, { force: true });
    }
  }
  return { ok: false, pid: Number.NaN };
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
