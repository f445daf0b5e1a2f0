// State names and their colours, in one place. Colours follow the old monitor script operators
// know: completed green, failed red, running yellow, pending blue. Views drop every colour when
// config.color is false, so nothing here may carry meaning by colour alone.
import type { TaskState } from '../../data/snapshot.js';

export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'white' | 'blueBright' | 'redBright';
export type Level = 'ok' | 'info' | 'warning' | 'critical';
export type Health = 'ok' | 'warning' | 'critical' | 'stale' | 'disconnected';

const stateColors: Record<TaskState, Color> = {
  pending: 'blueBright',
  running: 'yellow',
  sleeping: 'cyan',
  retrying: 'magenta',
  completed: 'green',
  failed: 'red',
  cancelled: 'gray',
};

const stateShort: Record<TaskState, string> = {
  pending: 'pend',
  running: 'run',
  sleeping: 'sleep',
  retrying: 'retry',
  completed: 'done',
  failed: 'fail',
  cancelled: 'cancel',
};

export function stateColor(state: TaskState): Color {
  return stateColors[state];
}

/** The state name; `short` gives a 4–6 column form for narrow tables. */
export function stateLabel(state: TaskState, short = false): string {
  return short ? stateShort[state] : state;
}

/** systemd ActiveState colours: active green, failed red, (de)activating yellow, else gray. */
export function unitStateColor(active: string): Color {
  switch (active) {
    case 'active': return 'green';
    case 'failed': return 'red';
    case 'activating': case 'deactivating': case 'reloading': return 'yellow';
    default: return 'gray';
  }
}

/** syslog priority: 0–3 red, 4 yellow, 5 cyan (notice), 6 default, 7 gray (debug). */
export function priorityColor(priority: number): Color | undefined {
  if (priority <= 3) return 'red';
  if (priority === 4) return 'yellow';
  if (priority === 5) return 'cyan';
  if (priority >= 7) return 'gray';
  return undefined;
}

const priorityNames = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
export function priorityLabel(priority: number): string {
  return priorityNames[Math.min(7, Math.max(0, Math.trunc(priority)))] ?? 'info';
}

export function levelColor(level: Level | 'error'): Color {
  switch (level) {
    case 'critical': case 'error': return 'red';
    case 'warning': return 'yellow';
    case 'ok': return 'green';
    default: return 'cyan';
  }
}

export function healthColor(health: Health): Color {
  switch (health) {
    case 'ok': return 'green';
    case 'warning': return 'yellow';
    case 'critical': case 'disconnected': return 'red';
    case 'stale': return 'magenta';
  }
}

/** Badge text, readable without colour. */
export function healthLabel(health: Health): string {
  return health.toUpperCase();
}
