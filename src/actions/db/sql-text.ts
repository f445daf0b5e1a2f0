// Statements are built once and used twice: executed with parameters ($1, never string
// interpolation), and rendered with literals for the plan, the result and the audit log, so
// what the operator confirmed is exactly what ran.
import pg from 'pg';
import type { Queryable } from './context.js';

export interface Statement {
  text: string;
  params: unknown[];
}

export const sql = (text: string, ...params: unknown[]): Statement => ({ text, params });

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]`;
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (typeof value === 'object') return pg.escapeLiteral(JSON.stringify(value));
  return pg.escapeLiteral(String(value));
}

/** The statement as a psql-ready line: parameters replaced by quoted literals, whitespace folded. */
export function renderSql(statement: Statement): string {
  return statement.text
    .replace(/\$(\d+)/g, (_, n: string) => literal(statement.params[Number(n) - 1]))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Runs a mutating statement and records its rendered form (before running, so failures show it). */
export async function execRecorded<R extends pg.QueryResultRow>(
  db: Queryable,
  commands: string[],
  statement: Statement,
): Promise<pg.QueryResult<R>> {
  commands.push(renderSql(statement));
  return db.query<R>(statement.text, statement.params);
}
