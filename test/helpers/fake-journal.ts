// A private journal for one test: a temp dir with the entries file, the call log and a bin dir
// holding only the fake journalctl (test/fake-bin/journalctl) and `node`, so the real
// journalctl on this machine is never reached. Pass `fake.env` to JournalLogSource (or spawn).
//
//   const fake = await setupFakeJournal({ entries: [journalEntry({ MESSAGE: 'hi' })] });
//   const source = new JournalLogSource({ units: [...], templates: [...], backlog: 10, env: fake.env });
//   await fake.append(journalEntry({ MESSAGE: 'later' }));   // followers see it
//   (await fake.calls())[0].argv → ['-o', 'json', '-f', ...]
//   await fake.cleanup();
import { appendFile, mkdtemp, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fakeJournalctl = fileURLToPath(new URL('../fake-bin/journalctl', import.meta.url));

export interface FakeJournal {
  dir: string;
  linesFile: string;
  logFile: string;
  env: NodeJS.ProcessEnv;
  /** Appends entries (objects become JSON lines; strings are written as they are). */
  append(...entries: (object | string)[]): Promise<void>;
  calls(): Promise<{ argv: string[]; pid: number; time: number }[]>;
  cleanup(): Promise<void>;
}

let clock = Date.UTC(2024, 0, 15, 10, 0, 0) * 1000;
/** A journal entry as journalctl -o json prints it, with a unit, priority and time filled in. */
export function journalEntry(fields: Record<string, unknown> = {}): Record<string, unknown> {
  clock += 1_000_000;
  return {
    __REALTIME_TIMESTAMP: String(clock), PRIORITY: '6', _SYSTEMD_UNIT: 'dsa110-absurd-worker@1.service',
    SYSLOG_IDENTIFIER: 'python3', _HOSTNAME: 'dsa110-node1', MESSAGE: 'hello', ...fields,
  };
}

function toText(entries: (object | string)[]): string {
  return entries.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)) + '\n').join('');
}

export async function setupFakeJournal(options: {
  entries?: (object | string)[];
  /** FAKE_JOURNALCTL_MODE: denied | exit | hang | hint. */
  mode?: string;
  /** false: PATH has no journalctl at all. */
  withJournalctl?: boolean;
  extraEnv?: NodeJS.ProcessEnv;
} = {}): Promise<FakeJournal> {
  const dir = await mkdtemp(join(tmpdir(), 'absurd-top-journal-'));
  const binDir = join(dir, 'bin');
  await mkdir(binDir);
  await symlink(process.execPath, join(binDir, 'node'));
  if (options.withJournalctl !== false) await symlink(fakeJournalctl, join(binDir, 'journalctl'));
  const linesFile = join(dir, 'journal.jsonl');
  const logFile = join(dir, 'calls.jsonl');
  await writeFile(linesFile, toText(options.entries ?? []));
  const env: NodeJS.ProcessEnv = {
    PATH: binDir, HOME: dir, FAKE_JOURNAL_LINES: linesFile, FAKE_JOURNAL_LOG: logFile, FAKE_JOURNAL_POLL_MS: '20',
    ...(options.mode ? { FAKE_JOURNALCTL_MODE: options.mode } : {}),
    ...options.extraEnv,
  };
  return {
    dir, linesFile, logFile, env,
    append: (...entries) => appendFile(linesFile, toText(entries)),
    calls: async () => {
      const text = await readFile(logFile, 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { argv: string[]; pid: number; time: number });
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
