// What the interactive shell (app, keymap, dialogs) and the pure views agree on.
// The shell owns ViewState and changes it from keys; the views only read it.
import type { Config } from '../config/schema.js';
import type { HistoryPoint } from '../data/poller.js';
import type { LogLine, Snapshot } from '../data/snapshot.js';

export const paneIds = ['queue', 'workers', 'failures', 'logs', 'disks', 'tasks'] as const;
export type PaneId = (typeof paneIds)[number];

export interface TerminalSize { columns: number; rows: number }

export interface ViewState {
  focus: PaneId;
  /** Selected queue; null = all queues. */
  queue: string | null;
  /** Selection by id (task id in queue/failures/tasks panes, unit name in workers pane), never by row index. */
  selectedId: string | null;
  logFilter: { unit: string | null; text: string };
  /** Lines scrolled back from the newest; 0 = following. */
  logScroll: number;
  paused: boolean;
}

export interface StatusMessage {
  level: 'info' | 'ok' | 'warning' | 'error';
  text: string;
  at: number;
}

export interface FooterHint { keys: string; label: string }

/** Everything the dashboard needs to draw one frame. */
export interface DashboardProps {
  snapshot: Snapshot;
  logs: readonly LogLine[];
  size: TerminalSize;
  view: ViewState;
  config: Config;
  status: StatusMessage | null;
  footer: readonly FooterHint[];
  /** Recent history for sparklines, oldest first (bounded by the poller). */
  history: readonly HistoryPoint[];
  /** Epoch ms used for ages, so frames are reproducible in tests. */
  now: number;
  /** Database target with the password masked. */
  target: string;
  /** This machine's host name for the header (os.hostname() in the shell); omitted = not shown. */
  hostname?: string | null;
}

/** One selectable row of a pane, in display order; the shell moves selection over these ids. */
export interface PaneItem {
  id: string;
  kind: 'task' | 'unit' | 'queue' | 'disk' | 'log';
  /** For tasks: the queue the task lives in (needed by actions and the detail view). */
  queue: string | null;
}
