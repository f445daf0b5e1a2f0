// Locates the SQL that creates each Absurd layout (sql/<flavour>.sql). Tests and the embedded
// demo install these files into an empty database; the console itself never runs them against a
// user's database.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Flavour } from '../snapshot.js';

/** Absolute path of sql/<flavour>.sql, found by walking up from this module (src/ or dist/src/). */
export function flavourSqlPath(flavour: Flavour): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'sql', `${flavour}.sql`);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`sql/${flavour}.sql not found above ${fileURLToPath(import.meta.url)}`);
}

/** The multi-statement SQL text; run it with one simple-protocol query (no parameters). */
export function flavourSql(flavour: Flavour): string {
  return readFileSync(flavourSqlPath(flavour), 'utf8');
}
