// Several log sources seen as one (the journal plus tailed files). Each keeps its own problem;
// the merged problem names all current ones, and one source failing never stops the others.
import type { LogLine } from '../snapshot.js';
import type { LogSource } from '../sources.js';
import { ProblemSet } from './problem-set.js';

export class CombinedLogSource implements LogSource {
  constructor(private readonly sources: readonly LogSource[]) {}

  follow(onLines: (lines: LogLine[]) => void, onProblem: (problem: string | null) => void): () => void {
    let stopped = false;
    const problems = new ProblemSet((p) => { if (!stopped) onProblem(p); });
    const stops = this.sources.map((source, i) => {
      try {
        return source.follow(
          (lines) => { if (!stopped && lines.length > 0) onLines(lines); },
          (problem) => problems.set(i, problem),
        );
      } catch (error) {
        problems.set(i, `log source failed to start: ${(error as Error).message}`);
        return () => undefined;
      }
    });
    return () => {
      if (stopped) return;
      stopped = true;
      for (const stop of stops) {
        try { stop(); } catch { /* stopping is best effort */ }
      }
    };
  }
}
