// A log source's problem (journalctl missing, no permission to read the journal) as a line of the
// logs pane itself, where the operator looks for the missing lines, with the fix the source
// suggests. Marked, so the pane shows it whole instead of cutting the fix off at the pane's edge.
import type { LogLine } from '../snapshot.js';

export function problemLogLine(problem: string, time: number): LogLine {
  return { seq: 0, time, unit: 'absurd-top', host: null, priority: 4, message: `logs: ${problem}`, problem: true };
}
