// Every failure talking to Postgres becomes a DbProblem: a kind the UI and exit codes switch on,
// and one line an operator can act on. Messages name the host, user, database or object, and
// never contain a password (pg's own messages do not; URLs are never echoed).
import type { DbProblem } from '../snapshot.js';
import type { ConnectionTarget } from './connect.js';

type Kind = DbProblem['kind'];

/** An error that already knows what went wrong (detection, unknown queue, classified pg error). */
export class DbProblemError extends Error {
  readonly problem: DbProblem;
  constructor(kind: Kind, message: string, since = Date.now()) {
    super(message);
    this.name = 'DbProblemError';
    this.problem = { kind, message, since };
  }
}

export interface ClassifyContext {
  target?: ConnectionTarget;
  statementTimeoutMs?: number;
}

interface ErrorLike {
  code?: string;
  message?: string;
  errors?: ErrorLike[];
  address?: string;
  port?: number;
}

const networkCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH',
  'EAI_AGAIN', 'ECONNRESET', 'EPIPE']);

export function classifyDbError(error: unknown, ctx: ClassifyContext = {}): DbProblem {
  if (error instanceof DbProblemError) return error.problem;
  const problem = (kind: Kind, message: string): DbProblem => ({ kind, message: oneLine(message), since: Date.now() });
  const e = (error ?? {}) as ErrorLike;
  // Node 20 reports a refused dual-stack connect as an AggregateError whose parts carry the code.
  const code = e.code ?? e.errors?.find((x) => x.code)?.code;
  const msg = e.message || e.errors?.[0]?.message || String(error);
  const t = ctx.target;
  const where = t ? `${t.host}:${t.port}` : 'the database server';

  if (code && networkCodes.has(code)) {
    const why = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'host name not found'
      : code === 'ECONNREFUSED' ? 'connection refused (is PostgreSQL running and listening there?)'
        : code === 'ETIMEDOUT' ? 'connection timed out' : code === 'ECONNRESET' ? 'connection reset' : code;
    return problem('unreachable', `cannot reach PostgreSQL at ${where}: ${why}`);
  }
  if (/connection timeout|timeout expired|Connection terminated unexpectedly/i.test(msg) && !code) {
    return problem('unreachable', `cannot reach PostgreSQL at ${where}: ${msg}`);
  }
  if (code === '28P01') return problem('auth', `password authentication failed for user "${t?.user ?? '?'}" at ${where}`);
  if (code === '28000') return problem('auth', `${msg} (at ${where})`);
  if (/SASL|client password must be a string/i.test(msg)) {
    return problem('auth', `the server at ${where} asks for a password for user "${t?.user ?? '?'}" and none was given (set it in the URL or PGPASSWORD)`);
  }
  if (code === '3D000') {
    return problem('no-database', `${msg} on ${where}: check --database / PGDATABASE (the pipeline's database is usually dsa110_absurd)`);
  }
  if (code === '42501') {
    const object = /permission denied for (\w+) (.+)$/.exec(msg);
    const user = t?.user ?? 'the console role';
    const grant = object?.[1] === 'schema'
      ? `GRANT USAGE ON SCHEMA ${object[2]} TO ${user}`
      : object ? `GRANT SELECT ON ${object[1] === 'function' ? 'FUNCTION ' : ''}absurd.${object[2]} TO ${user}`
        : `GRANT USAGE ON SCHEMA absurd TO ${user}; GRANT SELECT ON ALL TABLES IN SCHEMA absurd TO ${user}`;
    return problem('permission', `${msg} (user "${user}"): ask an admin to run ${grant}`);
  }
  if (code === '57014' && /statement timeout/i.test(msg)) {
    return problem('timeout', `statement timeout after ${ctx.statementTimeoutMs ?? '?'} ms: the database is slow or a lock is held (raise --statement-timeout to wait longer)`);
  }
  if (/Query read timeout/i.test(msg)) {
    return problem('timeout', `no answer from ${where} within ${(ctx.statementTimeoutMs ?? 0) + 2000} ms`);
  }
  if (code === '42P01' || code === '3F000') {
    return problem('no-schema', `${msg}: the Absurd tables changed under the console (queue dropped or schema migrated?)`);
  }
  return problem('other', code ? `${msg} (SQLSTATE ${code})` : msg);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
