// Several parts (files, sources) each with its own problem, reported as one line that changes
// only when some part's problem changes, so the status area is not re-rendered for nothing.
export class ProblemSet {
  private readonly problems = new Map<string | number, string>();
  private last: string | null = null;

  constructor(private readonly onProblem: (problem: string | null) => void) {}

  set(key: string | number, problem: string | null): void {
    if (problem) this.problems.set(key, problem);
    else this.problems.delete(key);
    const joined = this.problems.size > 0 ? [...this.problems.values()].join('; ') : null;
    if (joined === this.last) return;
    this.last = joined;
    this.onProblem(joined);
  }
}
