// One input router with layers (gemini-cli's KeypressContext): the only useInput in the
// program. Components register a handler at a priority — modal > overlay > screen > global —
// and the router offers each key to the handlers from the top down; a handler consumes the
// key by returning true. Each handler receives the command its layer maps the key to, so
// components never compare raw keys themselves.
import { createContext, useContext, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useInput, type Key } from 'ink';
import { matchCommand, splitKeys, type CommandId, type Keymap, type Layer } from './keymap.js';

export const priorities = { global: 0, screen: 2, overlay: 3, modal: 4 } as const;
export type Priority = keyof typeof priorities;

export type KeyHandler = (command: CommandId | null, input: string, key: Key) => boolean;

interface Registration { priority: number; order: number; layer: Layer; handler: { current: KeyHandler } }

interface RouterApi { keymap: Keymap; register(entry: Omit<Registration, 'order'>): () => void }
const RouterContext = createContext<RouterApi | null>(null);

export function InputRouter({ keymap, onForceQuit, children }: { keymap: Keymap; onForceQuit: () => void; children: ReactNode }) {
  const entries = useRef<Registration[]>([]);
  const counter = useRef(0);
  const api = useRef<RouterApi>({
    keymap,
    register(entry) {
      const registration = { ...entry, order: counter.current++ };
      entries.current = [...entries.current, registration]
        // Highest priority first; within one priority the newest registration (the top screen) first.
        .sort((a, b) => b.priority - a.priority || b.order - a.order);
      return () => { entries.current = entries.current.filter((e) => e !== registration); };
    },
  });
  const dispatch = (input: string, key: Key) => {
    // Ctrl-C quits from anywhere, even from inside a modal that swallows every other key.
    if (matchCommand(keymap, input, key, 'input') === 'force-quit') {
      onForceQuit();
      return;
    }
    for (const entry of entries.current) {
      if (entry.handler.current(matchCommand(keymap, input, key, entry.layer), input, key)) return;
    }
  };
  useInput((input, key) => {
    for (const [one, flags] of splitKeys(input, key)) dispatch(one, flags);
  });
  return <RouterContext.Provider value={api.current}>{children}</RouterContext.Provider>;
}

export function useKeymap(): Keymap {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useKeymap outside <InputRouter>');
  return router.keymap;
}

/** Registers `handler` while `active`; the latest handler is always the one called. */
export function useKeyLayer(priority: Priority, layer: Layer, handler: KeyHandler, active = true): void {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useKeyLayer outside <InputRouter>');
  const ref = useRef(handler);
  ref.current = handler;
  // A layout effect: a dialog must own the keys from the moment it is on screen, not from
  // whenever passive effects get flushed (that can be after the next key).
  useLayoutEffect(() => {
    if (!active) return undefined;
    return router.register({ priority: priorities[priority], layer, handler: ref });
  }, [router, priority, layer, active]);
}
