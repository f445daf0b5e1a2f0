// The shell's state and its pure transitions. The app component holds one AppState, changes it
// only through these functions (plus a few side effects), and hands ViewState to the views.
import type { ActionPlan } from '../actions/types.js';
import type { Config } from '../config/schema.js';
import type { PollerState } from '../data/poller.js';
import type { LogLine, Snapshot, TaskSummary } from '../data/snapshot.js';
import type { CommandContext } from './command-availability.js';
import type { ActionRequest, TaskRef } from './console-actions.js';
import type { CommandId, Keymap, Layer } from './keymap.js';
import { findUnit, paneItems } from './pane-items.js';
import { moveIndex } from './scroll.js';
import { followSelection } from './selection.js';
import { paneIds, type PaneId, type PaneItem, type StatusMessage, type ViewState } from './view-state.js';

export type Screen = { kind: 'detail'; task: TaskRef } | { kind: 'browser'; queue: string };
export interface DialogState { id: number; request: ActionRequest; plan: ActionPlan | null }

export interface AppState {
  poll: PollerState;
  view: ViewState;
  /** Full-screen views, the last one on top (a detail opened from the browser returns to it). */
  screens: readonly Screen[];
  help: boolean;
  dialog: DialogState | null;
  /** The log text filter field is open. */
  logInput: boolean;
  status: StatusMessage | null;
  /** The task the top screen shows: the browser row under the cursor or the loaded detail. */
  screenTask: TaskSummary | null;
  /** Bumped by Space and after actions, so open screens reload. */
  reloadKey: number;
  now: number;
  /** The newest log lines (filtered by the buffer), oldest first. */
  logs: readonly LogLine[];
}

export function initialState(config: Pick<Config, 'queue'>, poll: PollerState, now: number): AppState {
  return {
    poll, now, logs: [], screens: [], help: false, dialog: null, logInput: false, status: null, screenTask: null, reloadKey: 0,
    view: { focus: 'queue', queue: config.queue, selectedId: null, logFilter: { unit: null, text: '' }, logScroll: 0, paused: poll.paused },
  };
}

export function layerOf(s: AppState): Layer {
  if (s.dialog) return s.dialog.plan?.confirmWord ? 'input' : 'dialog';
  if (s.logInput) return 'input';
  if (s.help) return 'help';
  return s.screens.at(-1)?.kind ?? 'dashboard';
}

// The logs pane scrolls instead of selecting, so it offers no items to move over.
export const itemsOf = (s: Pick<AppState, 'poll' | 'view' | 'logs'>, pane: PaneId = s.view.focus): PaneItem[] =>
  pane === 'logs' ? [] : paneItems(s.poll.snapshot, s.logs, s.view, pane);
const selectable = (items: PaneItem[]) => items.filter((i) => i.kind !== 'disk');

/** A new poll result: the selection follows its id (or keeps its position when the id left). */
export function withPoll(s: AppState, poll: PollerState, now: number): AppState {
  const before = itemsOf(s);
  const next = { ...s, poll, now, view: { ...s.view, paused: poll.paused } };
  const selectedId = followSelection(before, itemsOf(next), s.view.selectedId);
  return selectedId === s.view.selectedId ? next : { ...next, view: { ...next.view, selectedId } };
}

/** New log lines; while scrolled back the window stays on the same lines ("N new" grows). */
export function withLogs(s: AppState, logs: readonly LogLine[]): AppState {
  const lastSeq = s.logs.at(-1)?.seq ?? 0;
  const added = s.view.logScroll > 0 ? logs.filter((l) => l.seq > lastSeq).length : 0;
  return { ...s, logs, view: added > 0 ? { ...s.view, logScroll: s.view.logScroll + added } : s.view };
}

export function focusPane(s: AppState, pane: PaneId): AppState {
  const items = selectable(itemsOf(s, pane));
  const keep = items.some((i) => i.id === s.view.selectedId);
  return { ...s, view: { ...s.view, focus: pane, selectedId: keep ? s.view.selectedId : items[0]?.id ?? null } };
}

/** The panes drawn on the dashboard; pane 6 (tasks) is the task browser screen. */
const dashboardPanes: PaneId[] = paneIds.filter((p) => p !== 'tasks');

export function focusStep(s: AppState, step: 1 | -1): AppState {
  const at = Math.max(0, dashboardPanes.indexOf(s.view.focus));
  return focusPane(s, dashboardPanes[(at + step + dashboardPanes.length) % dashboardPanes.length]!);
}

/** j/k/g/G/PgUp/PgDn on the dashboard: move the selection, or scroll the logs pane back. */
export function moveSelection(s: AppState, command: CommandId, page: number): AppState {
  const logs = s.logs;
  if (s.view.focus === 'logs') {
    const deltas: Partial<Record<CommandId, number>> = { up: 1, down: -1, 'page-up': page, 'page-down': -page, top: logs.length, bottom: -logs.length };
    const logScroll = Math.min(Math.max(0, logs.length - 1), Math.max(0, s.view.logScroll + (deltas[command] ?? 0)));
    return { ...s, view: { ...s.view, logScroll } };
  }
  const items = selectable(itemsOf(s));
  const index = moveIndex(command, items.findIndex((i) => i.id === s.view.selectedId), items.length, page);
  return index === null ? s : { ...s, view: { ...s.view, selectedId: items[index]?.id ?? null } };
}

export function cycleQueue(s: AppState, step: 1 | -1): AppState {
  const names: (string | null)[] = [null, ...(s.poll.snapshot.db?.queues.map((q) => q.name) ?? [])];
  const at = Math.max(0, names.indexOf(s.view.queue));
  return { ...s, view: { ...s.view, queue: names[(at + step + names.length) % names.length] ?? null } };
}

export function taskById(snapshot: Snapshot, id: string | null): TaskSummary | null {
  const db = snapshot.db;
  if (!db || id === null) return null;
  for (const list of [db.failures, db.stuck, db.inFlight, db.errorResults, db.recent]) {
    const found = list.find((t) => t.id === id);
    if (found) return found;
  }
  return null;
}

export function selectedItem(s: AppState): PaneItem | null {
  return itemsOf(s).find((i) => i.id === s.view.selectedId) ?? null;
}

export function commandContext(s: AppState, keymap: Keymap, readOnly: boolean): CommandContext {
  const layer = layerOf(s);
  const snapshot = s.poll.snapshot;
  const inQueue = (t: TaskSummary) => s.view.queue === null || t.queue === s.view.queue;
  const item = layer === 'dashboard' ? selectedItem(s) : null;
  const onScreen = s.screens.length > 0;
  return {
    keymap, layer, readOnly, snapshot, focus: s.view.focus, queue: s.view.queue,
    task: onScreen ? s.screenTask : item?.kind === 'task' ? taskById(snapshot, item.id) : null,
    unit: !onScreen && s.view.focus === 'workers' ? findUnit(snapshot, s.view.selectedId) : null,
    failuresInView: (snapshot.db?.failures ?? []).filter(inQueue),
    stuckInView: (snapshot.db?.stuck ?? []).filter(inQueue),
  };
}

export const status = (level: StatusMessage['level'], text: string, at: number): StatusMessage => ({ level, text, at });
