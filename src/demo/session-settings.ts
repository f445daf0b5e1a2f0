// PostgreSQL applies a connection's startup parameters (application_name, statement_timeout,
// options=-c default_transaction_read_only=on, …) to its session; PGlite, one session for
// every connection, ignores them. The embedded server re-creates the effect: it remembers each
// connection's settings and, whenever the session passes to another connection, SETs what that
// one asked for and RESETs what the previous one left. So the console's read-only pool really
// is read-only while the simulated workers next to it can write. A login other than postgres
// becomes SET ROLE, so permissions apply as they would to that user.

/** Startup keys that are not session settings (or that PGlite fixes). */
const notSettings = new Set(['user', 'database', 'replication', 'client_encoding', 'options']);
const settingName = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** Every key/value a StartupMessage (length, protocol, then key\0value\0 … \0) carries. */
export function startupParameters(message: Uint8Array): Map<string, string> {
  const fields = Buffer.from(message).subarray(8).toString('utf8').split('\0');
  const params = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length && fields[i] !== ''; i += 2) params.set(fields[i]!, fields[i + 1]!);
  return params;
}

/** The session settings a StartupMessage asks for (its parameters and `options=-c …`). */
export function startupSettings(message: Uint8Array): Map<string, string> {
  const settings = new Map<string, string>();
  for (const [key, value] of startupParameters(message)) {
    if (key === 'user' && value !== 'postgres') settings.set('role', value);
    else if (key === 'options') for (const [k, v] of optionSettings(value)) settings.set(k, v);
    else if (!notSettings.has(key)) settings.set(key, value);
  }
  for (const key of settings.keys()) if (!settingName.test(key)) settings.delete(key);
  return settings;
}

/** `-c name=value` and `--name=value` from the options parameter (backslash escapes spaces). */
function optionSettings(options: string): [string, string][] {
  const words = options.match(/(?:\\.|\S)+/g)?.map((w) => w.replace(/\\(.)/g, '$1')) ?? [];
  const out: [string, string][] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const pair = word === '-c' ? words[++i] : word.startsWith('--') ? word.slice(2) : word.startsWith('-c') ? word.slice(2) : undefined;
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0) out.push([pair.slice(0, eq).replace(/-/g, '_'), pair.slice(eq + 1)]);
  }
  return out;
}

/** The statements that turn the `applied` settings into the `wanted` ones, or null when equal. */
export function settingsChange(applied: ReadonlyMap<string, string>, wanted: ReadonlyMap<string, string>): string | null {
  const statements: string[] = [];
  for (const key of applied.keys()) if (!wanted.has(key)) statements.push(`RESET ${key}`);
  for (const [key, value] of wanted) {
    if (applied.get(key) !== value) statements.push(`SET ${key} TO '${value.replace(/'/g, "''")}'`);
  }
  return statements.length > 0 ? `${statements.join('; ')};` : null;
}
