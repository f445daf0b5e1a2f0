// A throwaway database per test file on the real PostgreSQL server, with one Absurd layout
// installed. Unique names let test files run in parallel; drop() uses WITH (FORCE) so a leaked
// connection never leaves a database behind.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Flavour } from '../../src/data/snapshot.js';
import { flavourSql } from '../../src/data/pg/flavour-sql.js';
import { embeddedTestDatabase, useEmbeddedDatabase } from './embedded-server.js';

export const adminUrl = process.env.ABSURD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  name: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** Same server and credentials as the admin URL, another database. */
export function urlForDatabase(name: string, base = adminUrl): string {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(opts: { flavour?: Flavour | null } = {}): Promise<TestDatabase> {
  // No ABSURD_TEST_DATABASE_URL and no server on 127.0.0.1:5432: a fresh embedded PGlite instead.
  if (await useEmbeddedDatabase()) return embeddedTestDatabase((pool) => (opts.flavour ? installFlavour(pool, opts.flavour) : Promise.resolve()));
  const name = `absurdtop_t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${c.escapeIdentifier(name)}`));
  const url = urlForDatabase(name);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => { /* a backend killed by drop(FORCE) must not crash the test run */ });
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await pool.end().catch(() => undefined);
    await admin((c) => c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`));
  };
  try {
    if (opts.flavour) await installFlavour(pool, opts.flavour);
  } catch (err) {
    await drop();
    throw err;
  }
  return { url, name, pool, drop };
}

/** Runs sql/<flavour>.sql in one simple-protocol round trip. */
export async function installFlavour(pool: pg.Pool, flavour: Flavour): Promise<void> {
  await pool.query(flavourSql(flavour));
}
