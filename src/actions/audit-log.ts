// One JSON line per action in an append-only file that only the operator can read: who did
// what, to which targets, with the exact SQL or command lines, and how it ended. Secrets never
// reach it: anything URL-like goes through maskDatabaseUrl before it is written.
import { chmod, mkdir, open } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { maskDatabaseUrl, xdgDir } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import type { ActionResult } from './types.js';

export interface AuditEntry {
  action: string;
  targets: unknown;
  commands: string[];
  result: ActionResult;
}
/** The callback every action accepts; it resolves once the line is on disk. */
export type AuditFn = (entry: AuditEntry) => Promise<void>;

export function defaultAuditLogPath(config: Pick<Config, 'auditLog'>, env: NodeJS.ProcessEnv = process.env): string {
  return config.auditLog ?? join(xdgDir('state', env), 'audit.log');
}

const urlLike = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`]+/gi;
const keywordPassword = /\b(password\s*=\s*)('[^']*'|"[^"]*"|\S+)/gi;

/** Masks passwords in URLs and `password=` pairs, deep inside any JSON-able value. */
export function scrubSecrets<T>(value: T): T {
  if (typeof value === 'string') {
    return value.replace(urlLike, (url) => maskDatabaseUrl(url)).replace(keywordPassword, '$1***') as T;
  }
  if (Array.isArray(value)) return value.map((item) => scrubSecrets(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubSecrets(v)])) as T;
  }
  return value;
}

function resultFields(result: ActionResult): Record<string, unknown> {
  switch (result.status) {
    case 'ok': return { status: 'ok', summary: result.summary, asked: result.asked, changed: result.changed };
    case 'refused': return { status: 'refused', reason: result.reason };
    case 'failed': return { status: 'failed', error: result.error };
  }
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // A uid without a passwd entry (containers) has no name; the uid still identifies it.
    return String(process.getuid?.() ?? 'unknown');
  }
}

export function formatAuditLine(entry: AuditEntry, now: Date = new Date()): string {
  const line = {
    time: now.toISOString(),
    user: currentUser(),
    host: hostname(),
    action: entry.action,
    targets: entry.targets,
    commands: entry.commands,
    result: resultFields(entry.result),
  };
  return `${JSON.stringify(scrubSecrets(line))}\n`;
}

/** Returns the audit callback for one file; the directory and the file are created on first use. */
export function createAuditLog(path: string): AuditFn {
  return async (entry) => {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // 'a' = O_APPEND: one write per line keeps lines whole when two consoles share the file.
    const handle = await open(path, 'a', 0o600);
    try {
      // The mode only applies on creation; a file someone made wider is narrowed again.
      const { mode } = await handle.stat();
      if ((mode & 0o077) !== 0) await chmod(path, 0o600);
      await handle.write(formatAuditLine(entry));
    } finally {
      await handle.close();
    }
  };
}
