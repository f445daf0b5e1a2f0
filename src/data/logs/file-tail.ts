// Tails the log files of units that do not log to the journal (config `logs.files`). One poll
// loop for all files, never overlapping: each round stats every file, reads what is new, and
// hands all new lines over in one batch. A file on a hung mount must not stall the others, so
// each file has at most one read in flight and a round waits for it only so long.
import type { Config } from '../../config/schema.js';
import type { LogLine } from '../snapshot.js';
import type { LogSource } from '../sources.js';
import { ProblemSet } from './problem-set.js';
import { TailedFile, type RawLine } from './tailed-file.js';

export interface FileTailOptions {
  files: string[];
  /** Lines to show from each file when it is first opened. */
  backlog: number;
  /** Poll interval; 500 ms keeps the pane live at the cost of one stat per file. */
  pollMs?: number;
  /** How long a round waits for a slow file before reporting it and moving on. */
  pollTimeoutMs?: number;
  maxLineChars?: number;
}

export function fileTailOptionsFromConfig(config: Config): FileTailOptions {
  return { files: config.logs.files, backlog: config.logs.backlog };
}

/** Interleave per-file runs by time without reordering lines within a file (tracebacks stay whole). */
export function mergeByTime(runs: RawLine[][]): RawLine[] {
  const live = runs.filter((r) => r.length > 0);
  if (live.length <= 1) return live[0] ?? [];
  const at = live.map(() => 0);
  const out: RawLine[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < live.length; i++) {
      if (at[i]! < live[i]!.length && (best === -1 || live[i]![at[i]!]!.time < live[best]![at[best]!]!.time)) best = i;
    }
    if (best === -1) return out;
    out.push(live[best]![at[best]!++]!);
  }
}

export class FileLogSource implements LogSource {
  constructor(private readonly opts: FileTailOptions) {}

  follow(onLines: (lines: LogLine[]) => void, onProblem: (problem: string | null) => void): () => void {
    const files = [...new Set(this.opts.files)].map((path) => new TailedFile(path, this.opts.backlog, this.opts.maxLineChars));
    const pollMs = this.opts.pollMs ?? 500;
    const pollTimeoutMs = this.opts.pollTimeoutMs ?? 2000;
    const problems = new ProblemSet((p) => { if (!stopped) onProblem(p); });
    const busy = new Set<TailedFile>();
    // Lines read by polls that finished (possibly after their round gave up waiting).
    let ready: RawLine[][] = [];
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;

    const round = async (): Promise<void> => {
      timer = null;
      const started = files.filter((f) => !busy.has(f)).map((f) => {
        busy.add(f);
        return f.poll().then((lines) => {
          busy.delete(f);
          if (lines.length > 0) ready.push(lines);
        });
      });
      let waitTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(started),
        new Promise<void>((resolve) => { waitTimer = setTimeout(resolve, pollTimeoutMs); }),
      ]);
      clearTimeout(waitTimer);
      if (stopped) return;
      for (const f of files) problems.set(f.path, busy.has(f) ? `log file ${f.path} is not responding (hung mount?)` : f.problem);
      if (ready.length > 0) {
        const merged = mergeByTime(ready);
        ready = [];
        onLines(merged.map((line) => ({ seq: 0, ...line })));
      }
      timer = setTimeout(() => void round(), pollMs);
    };

    if (files.length > 0) void round();
    return () => {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const f of files) void f.close();
    };
  }
}
