// Config precedence: flags > environment > config file > defaults. Any bad value stops the
// program before anything starts, with a message naming the field (exit code 2).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { configSchema, type Config, type ConfigInput } from './schema.js';
import { UsageError, type ParsedFlags } from './args.js';

export class ConfigError extends UsageError {}

export function xdgDir(kind: 'config' | 'state' | 'cache', env: NodeJS.ProcessEnv = process.env): string {
  const variable = { config: 'XDG_CONFIG_HOME', state: 'XDG_STATE_HOME', cache: 'XDG_CACHE_HOME' }[kind];
  const fallback = { config: '.config', state: '.local/state', cache: '.cache' }[kind];
  return join(env[variable] || join(env.HOME || homedir(), fallback), 'absurd-top');
}

function readConfigFile(path: string, explicit: boolean): ConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`config file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'}); pass an existing file to --config`);
  }
  try {
    return JSON.parse(text) as ConfigInput;
  } catch (error) {
    throw new ConfigError(`config file ${path}: not valid JSON (${(error as Error).message})`);
  }
}

function numberFrom(field: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new ConfigError(`${field}: expected a number, got "${raw}"`);
  }
  return value;
}

/** Deep merge of plain objects; later sources win, arrays are replaced whole. */
function merge(...layers: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const previous = out[key];
      out[key] = isPlainObject(value) && isPlainObject(previous) ? merge(previous, value) : value;
    }
  }
  return out;
}
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function formatZodError(error: z.ZodError, source: string): string {
  return error.issues.map((issue) => {
    const field = issue.path.join('.') || '(top level)';
    return `${source}: ${field}: ${issue.message}`;
  }).join('\n');
}

export function loadConfig(flags: ParsedFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const explicitFile = flags.config !== undefined;
  const file = readConfigFile(flags.config ?? join(xdgDir('config', env), 'config.json'), explicitFile);
  if (!isPlainObject(file)) throw new ConfigError('config file: expected a JSON object');

  const fromEnv: ConfigInput = {
    database: env.ABSURD_DATABASE_URL || undefined,
    queue: env.ABSURD_QUEUE_NAME || undefined,
    color: env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? false : undefined,
  };
  const fromFlags: ConfigInput = {
    database: flags.database,
    queue: flags.queue,
    flavour: flags.flavour as ConfigInput['flavour'],
    refreshSec: numberFrom('--refresh', flags.refresh),
    statementTimeoutMs: numberFrom('--statement-timeout', flags['statement-timeout']),
    readOnly: flags['read-only'] || undefined,
    sudo: flags.sudo || undefined,
    auditLog: flags['audit-log'],
    units: flags.host ? { hosts: flags.host } : undefined,
  };
  const merged = merge(file as Record<string, unknown>, fromEnv as Record<string, unknown>, fromFlags as Record<string, unknown>);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(formatZodError(parsed.error, 'config'));
  return parsed.data;
}

/** The database URL (or libpq key=value string) with any password replaced by ***, safe to show and log. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    // Not a URL (a libpq key=value string): hide any password=... part, quoted or not.
    return url.replace(/(password\s*=\s*)('[^']*'|\S+)/gi, '$1***');
  }
}
