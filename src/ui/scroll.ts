// Scrolling and list movement for the list commands (up, down, top, bottom, page-up/down),
// shared by the panes, the task browser, the task detail and the help overlay.
import type { CommandId } from './keymap.js';

/** New first visible line of a text of `count` lines shown `visible` at a time; null = not a scroll command. */
export function scrollBy(command: CommandId, top: number, count: number, visible: number): number | null {
  const last = Math.max(0, count - visible);
  const page = Math.max(1, visible - 1);
  const clamp = (n: number) => Math.min(last, Math.max(0, n));
  switch (command) {
    case 'up': return clamp(top - 1);
    case 'down': return clamp(top + 1);
    case 'page-up': return clamp(top - page);
    case 'page-down': return clamp(top + page);
    case 'top': return 0;
    case 'bottom': return last;
    default: return null;
  }
}

const moveCommands = new Set<CommandId>(['up', 'down', 'top', 'bottom', 'page-up', 'page-down']);
export const isMoveCommand = (command: CommandId | null): command is CommandId => command !== null && moveCommands.has(command);

/** New selected index in a list of `count` rows; null = not a movement command. */
export function moveIndex(command: CommandId, index: number, count: number, page: number): number | null {
  if (count === 0) return null;
  const clamp = (n: number) => Math.min(count - 1, Math.max(0, n));
  const from = index < 0 ? -1 : index;
  switch (command) {
    case 'up': return clamp(from - 1);
    case 'down': return clamp(from + 1);
    case 'page-up': return clamp(from - Math.max(1, page));
    case 'page-down': return clamp(from + Math.max(1, page));
    case 'top': return 0;
    case 'bottom': return count - 1;
    default: return null;
  }
}
