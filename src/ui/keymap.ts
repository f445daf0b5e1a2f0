// The one table of commands. It drives input dispatch, the footer and the `?` help overlay;
// nothing else in the program compares raw keys (see keyOf and editText below).
import type { Key } from 'ink';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../config/load-config.js';
import type { PaneId } from './view-state.js';

/** Where a command is active. A layer (below) is the set of scopes live at one moment. */
export type Scope =
  | 'always' | 'global' | 'dashboard' | 'list' | 'back' | 'pane:logs' | 'browser' | 'dialog' | 'input';
export type Layer = 'dashboard' | 'detail' | 'browser' | 'help' | 'dialog' | 'input';

/** Scopes per layer, checked for conflicts: no key may mean two things within one layer. */
export const layerScopes: Record<Layer, readonly Scope[]> = {
  dashboard: ['always', 'global', 'dashboard', 'list', 'pane:logs'],
  detail: ['always', 'global', 'list', 'back'],
  browser: ['always', 'global', 'list', 'back', 'browser'],
  // The help overlay swallows global commands, but '?' must close it, so global is matched.
  help: ['always', 'global', 'list', 'back'],
  dialog: ['always', 'dialog', 'back'],
  // A text field takes every printable key, including q, y and n.
  input: ['always', 'input'],
};

export interface CommandSpec {
  id: string;
  keys: readonly string[];
  description: string;
  scope: Scope;
  group: 'app' | 'navigation' | 'view' | 'actions' | 'dialog';
  /** Changes the system: hidden from footer and help and never dispatched in read-only mode. */
  action?: true;
  /** Short label when the command belongs in the footer. */
  footer?: string;
  /** Layers where the command does nothing useful, so its footer hint would mislead. */
  noHintIn?: readonly Layer[];
}

// Esc has twins (q and Left) because tmux delays a bare Esc by 500 ms. q means "quit" only on
// the dashboard; everywhere else it is a `back` key.
export const commandTable = [
  { id: 'help', keys: ['?'], scope: 'global', group: 'app', description: 'Show or hide this help', footer: 'help' },
  { id: 'quit', keys: ['q'], scope: 'dashboard', group: 'app', description: 'Quit absurd-top (in a screen, dialog or overlay q goes back)', footer: 'quit' },
  { id: 'force-quit', keys: ['ctrl+c'], scope: 'always', group: 'app', description: 'Quit at once, from anywhere' },
  { id: 'pause', keys: ['p'], scope: 'global', group: 'app', description: 'Pause or resume refreshing', footer: 'pause' },
  { id: 'refresh', keys: ['space'], scope: 'global', group: 'app', description: 'Refresh now (also while paused)' },
  { id: 'focus-next', keys: ['tab'], scope: 'dashboard', group: 'navigation', description: 'Focus the next pane', footer: 'pane' },
  { id: 'focus-prev', keys: ['shift+tab'], scope: 'dashboard', group: 'navigation', description: 'Focus the previous pane' },
  { id: 'focus-queue', keys: ['1'], scope: 'dashboard', group: 'navigation', description: 'Focus pane 1: queue' },
  { id: 'focus-workers', keys: ['2'], scope: 'dashboard', group: 'navigation', description: 'Focus pane 2: workers' },
  { id: 'focus-failures', keys: ['3'], scope: 'dashboard', group: 'navigation', description: 'Focus pane 3: failures and stuck tasks' },
  { id: 'focus-logs', keys: ['4'], scope: 'dashboard', group: 'navigation', description: 'Focus pane 4: logs' },
  { id: 'focus-disks', keys: ['5'], scope: 'dashboard', group: 'navigation', description: 'Focus pane 5: disks' },
  { id: 'focus-tasks', keys: ['6'], scope: 'dashboard', group: 'navigation', description: 'Pane 6: the task browser of the selected queue (same as t)' },
  { id: 'up', keys: ['k', 'up'], scope: 'list', group: 'navigation', description: 'Move up (logs: scroll back)', footer: 'move' },
  { id: 'down', keys: ['j', 'down'], scope: 'list', group: 'navigation', description: 'Move down (logs: toward the newest line)' },
  { id: 'top', keys: ['g', 'home'], scope: 'list', group: 'navigation', description: 'Go to the first row' },
  { id: 'bottom', keys: ['G', 'end'], scope: 'list', group: 'navigation', description: 'Go to the last row (logs: follow again)' },
  { id: 'page-up', keys: ['pageup', 'ctrl+u'], scope: 'list', group: 'navigation', description: 'Page up one screen' },
  { id: 'page-down', keys: ['pagedown', 'ctrl+d'], scope: 'list', group: 'navigation', description: 'Page down (task browser: loads older tasks)' },
  { id: 'open', keys: ['enter'], scope: 'global', group: 'navigation', description: 'Open the selected task: ids, timestamps, error, params, result', footer: 'detail', noHintIn: ['detail', 'help'] },
  { id: 'back', keys: ['escape', 'left', 'q'], scope: 'back', group: 'navigation', description: 'Back: close the dialog, overlay or screen', footer: 'back' },
  { id: 'next-queue', keys: [']'], scope: 'dashboard', group: 'view', description: 'Select the next queue (after the last: all queues)', footer: 'queue' },
  { id: 'prev-queue', keys: ['['], scope: 'dashboard', group: 'view', description: 'Select the previous queue' },
  { id: 'browse', keys: ['t'], scope: 'dashboard', group: 'view', description: 'Browse every task of the selected queue, newest first', footer: 'tasks' },
  { id: 'filter', keys: ['/'], scope: 'global', group: 'view', description: 'Filter: log text in the logs pane, search in the task browser', footer: 'filter', noHintIn: ['detail', 'help'] },
  { id: 'log-unit', keys: ['u'], scope: 'pane:logs', group: 'view', description: 'Logs: cycle the unit filter', footer: 'unit' },
  { id: 'browse-state', keys: ['f'], scope: 'browser', group: 'view', description: 'Task browser: cycle the state filter', footer: 'state' },
  { id: 'browse-name', keys: ['n'], scope: 'browser', group: 'view', description: 'Task browser: filter by task name', footer: 'name' },
  { id: 'retry', keys: ['r'], scope: 'global', group: 'actions', action: true, description: 'Retry the selected failed task', footer: 'retry' },
  { id: 'retry-all', keys: ['R'], scope: 'global', group: 'actions', action: true, description: 'Retry every failed task in view' },
  { id: 'cancel', keys: ['c'], scope: 'global', group: 'actions', action: true, description: 'Cancel the selected pending or running task', footer: 'cancel' },
  { id: 'clear-queue', keys: ['C'], scope: 'global', group: 'actions', action: true, description: 'Clear the selected queue: cancel every pending task (asks for a typed word)' },
  { id: 'scale-up', keys: ['+', '='], scope: 'global', group: 'actions', action: true, description: 'Start one more worker instance', footer: 'scale' },
  { id: 'scale-down', keys: ['-'], scope: 'global', group: 'actions', action: true, description: 'Stop the highest worker instance' },
  { id: 'restart-unit', keys: ['s'], scope: 'global', group: 'actions', action: true, description: 'Restart the selected unit (workers pane)' },
  { id: 'emergency-stop', keys: ['E'], scope: 'global', group: 'actions', action: true, description: 'Emergency stop: the producer, then every worker (asks for a typed word)' },
  { id: 'reap', keys: ['x'], scope: 'global', group: 'actions', action: true, description: 'Reap stuck tasks: release tasks whose worker is gone' },
  { id: 'confirm-yes', keys: ['y'], scope: 'dialog', group: 'dialog', description: 'Dialog: yes, run it', footer: 'yes' },
  { id: 'confirm-no', keys: ['n'], scope: 'dialog', group: 'dialog', description: 'Dialog: no, run nothing', footer: 'no' },
  { id: 'confirm-choose', keys: ['enter'], scope: 'dialog', group: 'dialog', description: 'Dialog: press the highlighted button (No unless moved)' },
  { id: 'confirm-toggle', keys: ['tab', 'right', 'h', 'l'], scope: 'dialog', group: 'dialog', description: 'Dialog: move between No and Yes' },
  { id: 'input-accept', keys: ['enter'], scope: 'input', group: 'dialog', description: 'Text field: accept', footer: 'accept' },
  { id: 'input-cancel', keys: ['escape'], scope: 'input', group: 'dialog', description: 'Text field: cancel', footer: 'cancel' },
] as const satisfies readonly CommandSpec[];

export type CommandId = (typeof commandTable)[number]['id'];

export interface BoundCommand extends CommandSpec { id: CommandId }
export interface Keymap {
  readonly commands: readonly BoundCommand[];
  readonly byId: ReadonlyMap<CommandId, BoundCommand>;
}

const namedKeys = [
  'up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end',
  'tab', 'shift+tab', 'enter', 'escape', 'space', 'backspace',
] as const;

/** A key name from the config: one printable character, ctrl+<letter>, or a named key. */
export function isKeyName(name: string): boolean {
  return (namedKeys as readonly string[]).includes(name) || /^ctrl\+[a-z]$/.test(name)
    || ([...name].length === 1 && name > ' ' && name !== '\x7f');
}

/** Ink's (input, key) pair as one key name, or null for pastes and keys the table cannot name. */
export function keyOf(input: string, key: Key): string | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.backspace || key.delete) return 'backspace';
  if (input === ' ') return 'space';
  if (key.ctrl && /^[a-z]$/i.test(input)) return `ctrl+${input.toLowerCase()}`;
  if (key.meta) return null;
  return [...input].length === 1 ? input : null;
}

const noFlags: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

/**
 * Keys typed faster than a frame (a held j, tmux send-keys, a paste) reach Ink as one string,
 * "jj3\r"; each character is still one key. Escape sequences are already split by Ink.
 */
export function splitKeys(input: string, key: Key): [string, Key][] {
  const chars = [...input];
  if (chars.length < 2 || key.ctrl || key.meta || keyOf(input, key) !== null) return [[input, key]];
  return chars.map((c): [string, Key] => {
    if (c === '\r' || c === '\n') return ['\r', { ...noFlags, return: true }];
    if (c === '\t') return ['', { ...noFlags, tab: true }];
    if (c === '\x7f' || c === '\b') return ['', { ...noFlags, backspace: true }];
    if (c < ' ') return [String.fromCharCode(c.charCodeAt(0) + 96), { ...noFlags, ctrl: true }];
    return [c, { ...noFlags, shift: c !== c.toLowerCase() }];
  });
}

/** Text-field editing (filter, search, typed confirmation); null when the key is not an edit. */
export function editText(value: string, input: string, key: Key): string | null {
  const name = keyOf(input, key);
  if (name === 'backspace') return [...value].slice(0, -1).join('');
  if (name === 'ctrl+u') return '';
  if (key.ctrl || key.meta || key.tab || key.return || key.escape) return null;
  if (name !== null && (namedKeys as readonly string[]).includes(name) && name !== 'space') return null;
  // Pasted text arrives as one string; keep only printable characters of it.
  const printable = [...input].filter((ch) => ch >= ' ' && ch !== '\x7f').join('');
  return printable ? value + printable : null;
}

function layersOf(scope: Scope): Layer[] {
  return (Object.keys(layerScopes) as Layer[]).filter((layer) => layerScopes[layer].includes(scope));
}

function checkConflicts(commands: readonly BoundCommand[]): void {
  for (const layer of Object.keys(layerScopes) as Layer[]) {
    const owner = new Map<string, CommandId>();
    for (const command of commands) {
      if (!layersOf(command.scope).includes(layer)) continue;
      for (const key of command.keys) {
        const other = owner.get(key);
        if (other && other !== command.id) {
          throw new ConfigError(`config: keys: "${key}" is bound to both "${other}" and "${command.id}" (both active in the ${layer} layer); bind one of them to another key`);
        }
        owner.set(key, command.id);
      }
    }
  }
}

/** The command table with the config's rebindings applied; a bad rebinding is a ConfigError naming it. */
export function resolveKeymap(config: Pick<Config, 'keys'>): Keymap {
  const known = new Set<string>(commandTable.map((c) => c.id));
  for (const [id, keys] of Object.entries(config.keys)) {
    if (!known.has(id)) {
      throw new ConfigError(`config: keys.${id}: unknown command "${id}"; known commands: ${[...known].join(', ')}`);
    }
    if (keys.length === 0) throw new ConfigError(`config: keys.${id}: give at least one key`);
    for (const key of keys) {
      if (!isKeyName(key)) {
        throw new ConfigError(`config: keys.${id}: "${key}" is not a key; use one character, ctrl+<letter>, or one of ${namedKeys.join(', ')}`);
      }
    }
  }
  const commands: BoundCommand[] = commandTable.map((c) => ({ ...c, keys: [...(config.keys[c.id] ?? c.keys)] }));
  checkConflicts(commands);
  return { commands, byId: new Map(commands.map((c) => [c.id, c])) };
}

/** The command the key means in this layer, or null. */
export function matchCommand(keymap: Keymap, input: string, key: Key, layer: Layer): CommandId | null {
  const name = keyOf(input, key);
  if (name === null) return null;
  const scopes = layerScopes[layer];
  return keymap.commands.find((c) => scopes.includes(c.scope) && c.keys.includes(name))?.id ?? null;
}

/** Screens pass global commands (help, refresh, actions) down to the app and swallow the rest. */
export function isGlobalCommand(keymap: Keymap, id: CommandId | null): boolean {
  return id !== null && keymap.byId.get(id)?.scope === 'global';
}

const keyLabels: Record<string, string> = {
  up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home',
  end: 'End', tab: 'Tab', 'shift+tab': 'S-Tab', enter: 'Enter', escape: 'Esc', space: 'Space',
  backspace: 'Bksp',
};
export function keyLabel(name: string): string {
  return keyLabels[name] ?? (name.startsWith('ctrl+') ? `C-${name.slice(5)}` : name);
}
/** "j/↓" for a command, as bound now (rebinding included); used in hints and reasons. */
export function keysLabel(keymap: Keymap, id: CommandId, max = 2): string {
  return (keymap.byId.get(id)?.keys ?? []).slice(0, max).map(keyLabel).join('/');
}

export interface FooterContext { layer: Layer; readOnly: boolean; focus?: PaneId }

/** Short hints for the current layer: commands with a footer label, actions hidden in read-only. */
export function footerHints(keymap: Keymap, context: FooterContext): { keys: string; label: string }[] {
  const scopes = layerScopes[context.layer];
  return keymap.commands
    .filter((c) => c.footer && scopes.includes(c.scope) && !c.noHintIn?.includes(context.layer))
    .filter((c) => !(context.readOnly && c.action))
    .filter((c) => !c.scope.startsWith('pane:') || c.scope === `pane:${context.focus}`)
    .map((c) => ({ keys: keysLabel(keymap, c.id), label: c.footer as string }));
}

export interface HelpRow { group: CommandSpec['group']; id: CommandId; keys: string; description: string }

/** Every command once, grouped in table order; in read-only mode the actions are left out. */
export function helpRows(keymap: Keymap, readOnly: boolean): HelpRow[] {
  return keymap.commands
    .filter((c) => !(readOnly && c.action))
    .map((c) => ({ group: c.group, id: c.id, keys: c.keys.map(keyLabel).join(' '), description: c.description }));
}
