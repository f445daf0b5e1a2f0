// Tails the log files of units that do not log to the journal (config `logs.files`). One poll
// loop for all files, never overlapping: each round stats every file, reads what is new, and
// hands all new lines over in one batch.
import type { Config } from '../../config/schema.js';
import type { LogLine } from '../snapshot.js';
import type { LogSource } from '../sources.js';
import { ProblemSet } from './problem-set.js';
import { TailedFile } from './tailed-file.js';

export interface FileTailOptions {
  files: string[];
  /** Lines to show from each file when it is first opened. */
  backlog: number;
  /** Poll interval; 500 ms keeps the pane live at the cost of one stat per file. */
  pollMs?: number;
  maxLineChars?: number;
}

export function fileTailOptionsFromConfig(config: Config): FileTailOptions {
  return { files: config.logs.files, backlog: config.logs.backlog };
}

export class FileLogSource implements LogSource {
  constructor(private readonly opts: FileTailOptions) {}

  follow(onLines: (lines: LogLine[]) => void, onProblem: (problem: string | null) => void): () => void {
    const files = [...new Set(this.opts.files)].map((path) => new TailedFile(path, this.opts.backlog, this.opts.maxLineChars));
    const pollMs = this.opts.pollMs ?? 500;
    const problems = new ProblemSet((p) => { if (!stopped) onProblem(p); });
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;

    const round = async (): Promise<void> => {
      timer = null;
      const results = await Promise.all(files.map((f) => f.poll()));
      if (stopped) return;
      files.forEach((f) => problems.set(f.path, f.problem));
      const lines: LogLine[] = [];
      for (const batch of results) for (const line of batch) lines.push({ seq: 0, ...line });
      // Files are read one after another; order the batch by time so backlogs interleave.
      if (results.filter((r) => r.length > 0).length > 1) lines.sort((a, b) => a.time - b.time);
      if (lines.length > 0) onLines(lines);
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
