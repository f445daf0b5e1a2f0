// Fakes for the interactive shell's injected parts: a poller driven by hand, a task reader over a
// snapshot, and ConsoleActions that record what they were asked. Real LogBuffer for logs.
import type { ActionResult } from '../../src/actions/types.js';
import type { PollerState } from '../../src/data/poller.js';
import type { Snapshot, TaskSummary } from '../../src/data/snapshot.js';
import type { BrowseQuery, TaskDetail } from '../../src/data/sources.js';
import type { ActionRequest, ConsoleActions, PlanOutcome } from '../../src/ui/console-actions.js';
import type { TaskReader } from '../../src/ui/screens/task-detail.js';
import type { ConsolePoller } from '../../src/ui/use-feeds.js';

export class FakePoller implements ConsolePoller {
  state: PollerState;
  refreshes = 0;
  private listeners = new Set<(s: PollerState) => void>();
  constructor(snapshot: Snapshot) {
    this.state = { snapshot, history: [], paused: false, checkedAt: snapshot.takenAt };
  }
  subscribe(listener: (s: PollerState) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }
  emit(snapshot: Snapshot): void {
    this.state = { ...this.state, snapshot, checkedAt: snapshot.takenAt };
    for (const l of this.listeners) l(this.state);
  }
  async refreshNow(): Promise<void> { this.refreshes++; }
  setPaused(paused: boolean): void {
    this.state = { ...this.state, paused };
    for (const l of this.listeners) l(this.state);
  }
}

export function detailOf(t: TaskSummary): TaskDetail {
  return {
    ...t, timestamps: { created_at: t.createdAt, claimed_at: t.claimedAt, completed_at: t.completedAt },
    params: { group: '2026-12-01T11:55:00', subbands: 16 }, result: null, fullError: t.error, extra: {}, runs: [], checkpoints: [],
  };
}

export function fakeReader(snapshot: () => Snapshot): TaskReader & { browsed: BrowseQuery[] } {
  const all = () => {
    const db = snapshot().db!;
    return [...db.failures, ...db.stuck, ...db.inFlight, ...db.errorResults, ...db.recent];
  };
  const browsed: BrowseQuery[] = [];
  return {
    browsed,
    async taskDetail(_queue, id) {
      const t = all().find((x) => x.id === id);
      return t ? detailOf(t) : null;
    },
    async browse(query) {
      browsed.push(query);
      const tasks = all().filter((t, i, list) => list.findIndex((x) => x.id === t.id) === i)
        .filter((t) => !query.states || query.states.includes(t.state));
      return { tasks, next: null };
    },
  };
}

export class FakeActions implements ConsoleActions {
  planned: ActionRequest[] = [];
  ran: ActionRequest[] = [];
  result: ActionResult = { status: 'ok', action: 'retry', summary: 'retried 1 task', asked: 1, changed: 1, commands: [] };
  confirmWord: string | null = null;
  async plan(request: ActionRequest): Promise<PlanOutcome> {
    this.planned.push(request);
    const commands = 'tasks' in request
      ? request.tasks.map((t) => `SELECT absurd.${request.command}_task('${t.id}'::uuid)`)
      : [`systemctl ${request.command}`];
    const word = request.command === 'emergency-stop' ? 'STOP' : this.confirmWord;
    return { action: request.command, title: `${request.command} plan`, commands, confirmWord: word, warning: null };
  }
  async run(request: ActionRequest): Promise<ActionResult> {
    this.ran.push(request);
    return this.result;
  }
}
