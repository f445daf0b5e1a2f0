// Follows the producer's and the workers' journal with `journalctl -o json -f`.
//
// journalctl has no remote transport (systemctl has -H, journalctl only -M for local
// containers and -D/--file for copied journal files), so this follows the local journal only.
// Logs of units on `units.hosts` would need `ssh host journalctl …` or systemd-journal-upload
// to this machine; neither is done here.
//
// The follower is a long-lived child that can always be killed, never a shell. If it exits it
// is restarted with backoff, resuming after the last cursor so nothing is replayed twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Config } from '../../config/schema.js';
import type { LogLine } from '../snapshot.js';
import type { LogSource } from '../sources.js';
import { LineSplitter } from './line-splitter.js';
import { parseJournalLine } from './journal-parse.js';

export interface JournalOptions {
  /** Exact units (the producer) and templates (`dsa110-absurd-worker@.service`) to follow. */
  units: string[];
  templates: string[];
  backlog: number;
  command?: string;
  /** Environment for the child (PATH decides which journalctl runs). */
  env?: NodeJS.ProcessEnv;
  flushMs?: number;
  restartMinMs?: number;
  restartMaxMs?: number;
  maxLineChars?: number;
}

export function journalOptionsFromConfig(config: Config): JournalOptions {
  return { units: [config.units.producer], templates: [config.units.workerTemplate], backlog: config.logs.backlog };
}

/** `dsa110-absurd-worker@.service` → `dsa110-absurd-worker@*` (journalctl -u takes globs). */
export function templateGlob(template: string): string {
  const at = template.indexOf('@');
  return at === -1 ? template : `${template.slice(0, at)}@*`;
}

export function journalArgs(opts: JournalOptions, afterCursor: string | null): string[] {
  const args = ['-o', 'json', '-f'];
  // Resuming after a restart: everything after the last entry we saw, no backlog replay.
  if (afterCursor) args.push(`--after-cursor=${afterCursor}`);
  else args.push('-n', String(opts.backlog));
  for (const unit of opts.units) args.push('-u', unit);
  for (const template of opts.templates) args.push('-u', templateGlob(template));
  return args;
}

export const JOURNAL_GROUP_FIX = 'add the user to the systemd-journal group (sudo usermod -aG systemd-journal $USER, then log in again)';

/** Plain-language problem for journalctl's stderr, or null when it says nothing we know. */
export function explainJournalStderr(stderr: string): string | null {
  if (/insufficient permissions/i.test(stderr)) return `journal: no journal files could be opened (permission denied): ${JOURNAL_GROUP_FIX}`;
  if (/not seeing messages from other users and the system/i.test(stderr)) return `journal: only this user's own messages are visible: ${JOURNAL_GROUP_FIX}`;
  if (/no journal files were found/i.test(stderr)) return 'journal: no journal files were found on this machine (is systemd-journald running?)';
  return null;
}

export class JournalLogSource implements LogSource {
  constructor(private readonly opts: JournalOptions) {}

  follow(onLines: (lines: LogLine[]) => void, onProblem: (problem: string | null) => void): () => void {
    const opts = this.opts;
    const command = opts.command ?? 'journalctl';
    const flushMs = opts.flushMs ?? 100;
    const minDelay = opts.restartMinMs ?? 1000;
    const maxDelay = opts.restartMaxMs ?? 30_000;
    let stopped = false;
    let child: ChildProcess | null = null;
    let cursor: string | null = null;
    let delay = minDelay;
    let pending: LogLine[] = [];
    let flushTimer: NodeJS.Timeout | null = null;
    let restartTimer: NodeJS.Timeout | null = null;
    let problem: string | null = null;
    // The partial-visibility hint stays true for the life of the child even while lines flow.
    let stickyProblem: string | null = null;

    const report = (next: string | null): void => {
      if (stopped || next === problem) return;
      problem = next;
      onProblem(next);
    };
    const flush = (): void => {
      flushTimer = null;
      if (stopped || pending.length === 0) return;
      const batch = pending;
      pending = [];
      onLines(batch);
    };
    const queue = (line: LogLine): void => {
      pending.push(line);
      if (pending.length >= 5000) flush();
      else flushTimer ??= setTimeout(flush, flushMs);
    };

    const start = (): void => {
      restartTimer = null;
      if (stopped) return;
      const splitter = new LineSplitter(opts.maxLineChars ?? 64 * 1024);
      const decoder = new StringDecoder('utf8');
      let stderr = '';
      let sawLines = false;
      let spawnError: NodeJS.ErrnoException | null = null;
      stickyProblem = null;
      let proc: ChildProcess;
      try {
        proc = spawn(command, journalArgs(opts, cursor), { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
      } catch (error) {
        // spawn throws only for arguments it rejects outright; retry later rather than crash.
        report(`journalctl could not start (${(error as Error).message})`);
        restartTimer = setTimeout(start, maxDelay);
        return;
      }
      child = proc;

      const handle = (texts: { text: string; truncated: boolean }[]): void => {
        for (const { text, truncated } of texts) {
          const parsed = parseJournalLine(text, truncated);
          if (!parsed) continue;
          if (parsed.cursor) cursor = parsed.cursor;
          queue({ seq: 0, ...parsed.line });
          sawLines = true;
        }
        if (sawLines) {
          delay = minDelay;
          report(stickyProblem);
        }
      };
      proc.stdout!.on('data', (chunk: Buffer) => handle(splitter.push(decoder.write(chunk))));
      proc.stderr!.on('data', (chunk: Buffer) => {
        // Keep only the tail: journalctl's complaints are short, a chatty one must not grow us.
        stderr = (stderr + chunk.toString('utf8')).slice(-4096);
        const explained = explainJournalStderr(stderr);
        if (explained) {
          if (/only this user's own/.test(explained)) stickyProblem = explained;
          report(explained);
        }
      });
      proc.on('error', (error: NodeJS.ErrnoException) => { spawnError = error; });
      proc.on('close', (code, signal) => {
        if (child === proc) child = null;
        handle(splitter.push(decoder.end()));
        handle(splitter.flush());
        flush();
        if (stopped) return;
        const explained = explainJournalStderr(stderr);
        const lastErr = stderr.trim().split('\n').pop()?.trim();
        let why: string;
        if (spawnError?.code === 'ENOENT') why = `journalctl not found on PATH: journal logs are unavailable (install systemd's journalctl or set logs.journal to false)`;
        else if (spawnError) why = `journalctl could not start (${spawnError.code ?? spawnError.message})`;
        else if (explained) why = explained;
        else why = `journalctl exited (${signal ?? `code ${code}`})${lastErr ? `: ${lastErr}` : ''}`;
        // A cursor journald no longer knows (vacuumed journal) would fail forever: start afresh.
        if (/cursor/i.test(stderr)) cursor = null;
        report(`${why}; retrying in ${delay >= 1000 ? `${Math.round(delay / 1000)}s` : `${delay} ms`}`);
        restartTimer = setTimeout(start, delay);
        delay = Math.min(maxDelay, delay * 2);
      });
    };

    start();
    return () => {
      if (stopped) return;
      stopped = true;
      if (flushTimer) clearTimeout(flushTimer);
      if (restartTimer) clearTimeout(restartTimer);
      child?.kill('SIGTERM');
      child = null;
    };
  }
}
