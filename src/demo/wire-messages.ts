// The few PostgreSQL wire-protocol messages the embedded server writes itself.
const message = (type: string, body: Buffer): Buffer => {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
};

/** Frontend Query ('Q'): one simple-protocol statement. */
export const simpleQuery = (sql: string): Uint8Array => new Uint8Array(message('Q', Buffer.from(`${sql}\0`, 'utf8')));

/** Frontend StartupMessage (protocol 3.0) for user and database postgres. */
export function startupMessage(): Uint8Array {
  const params = Buffer.from('user\0postgres\0database\0postgres\0\0', 'utf8');
  const out = Buffer.alloc(8 + params.length);
  out.writeInt32BE(out.length, 0);
  out.writeInt32BE(196608, 4);
  params.copy(out, 8);
  return new Uint8Array(out);
}

/** Frontend Sync ('S'). */
export const sync = (): Uint8Array => new Uint8Array(message('S', Buffer.alloc(0)));

/** Backend ErrorResponse ('E') with severity, SQLSTATE and message. */
export const errorResponse = (code: string, text: string, severity = 'ERROR'): Buffer =>
  message('E', Buffer.from(`S${severity}\0V${severity}\0C${code}\0M${text}\0\0`, 'utf8'));

/** Backend ReadyForQuery ('Z'), idle. */
export const readyForQuery = (): Buffer => message('Z', Buffer.from('I', 'latin1'));

/** statement_timeout as PostgreSQL reads it: milliseconds, or a number with ms/s/min/h/d; 0 = none. */
export function timeoutMs(value: string | undefined): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/.exec(value ?? '');
  if (!m) return 0;
  const unit = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms'] ?? 1;
  return Number(m[1]) * unit;
}
