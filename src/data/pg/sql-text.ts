// Helpers for SQL text the readers build: identifiers and literals are always escaped by pg's
// own functions, and the only other inlined values are numbers and UUIDs checked here.
import pg from 'pg';

export const ident = (name: string): string => pg.escapeIdentifier(name);
export const lit = (value: string): string => pg.escapeLiteral(value);

/** absurd."t_<queue>" and friends, quoted whatever the queue name holds. */
export const queueTable = (prefix: 't' | 'r' | 'c' | 'e' | 'w', queue: string): string =>
  `absurd.${ident(`${prefix}_${queue}`)}`;

/** A finite number for inlining; anything else is a programming error, not user input. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
}

/**
 * A statement's rows as one JSON array of each row's own JSON text, with the database clock
 * (one row: rows, now_ms). The task lists are ~150 rows of 12 to 16 columns a refresh:
 * node-postgres reads each column's length, copies its text and runs its type parser (a regular
 * expression and a Date for every time), where one JSON.parse gives every row's text at once, and
 * a row whose text is the same as on the last refresh needs no parsing at all (row-reuse.ts).
 * Times arrive as ISO strings, which pgTime reads; ages are taken against now_ms, not computed in
 * the row, so that a row's text only changes when the row does.
 * `orderBy` restates the statement's own order over its output columns (as r.<column>): an
 * aggregate's input order is only guaranteed by its own ORDER BY.
 */
export function jsonRows(statement: string, orderBy: string): string {
  return `select coalesce(json_agg(row_to_json(r)::text order by ${orderBy}), '[]') as rows,
    (extract(epoch from now()) * 1000)::float8 as now_ms from (${statement}) r`;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (text: string): boolean => uuidPattern.test(text);

/**
 * The smallest UUIDv7 of a millisecond: `id >= uuidv7Floor(t)` selects rows created at or after
 * t through the primary key, which is what makes time windows cheap on flavour `absurd`.
 */
export function uuidv7Floor(epochMs: number): string {
  const hex = Math.max(0, Math.floor(epochMs)).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/** Creation time encoded in a UUIDv7, or null for other versions. */
export function uuidv7Time(id: string): number | null {
  if (!isUuid(id) || id[14] !== '7') return null;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
