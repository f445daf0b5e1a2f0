// The shell's inputs other than keys: the terminal size, the poller and the log buffer.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';
import type { Poller } from '../data/poller.js';
import type { LogLine } from '../data/snapshot.js';
import type { TerminalSize } from './view-state.js';

/** What the shell needs of the poller (src/data/poller.ts's Poller fits). */
export type ConsolePoller = Pick<Poller, 'state' | 'subscribe' | 'refreshNow' | 'setPaused'>;

/** What the shell needs of the log buffer (src/data/logs/log-buffer.ts's LogBuffer fits). */
export interface LogFeed {
  /** Changes whenever lines arrive, so the shell re-reads only then. */
  readonly version: number;
  /** Called whenever `version` changes. */
  subscribe(listener: () => void): () => void;
  tail(n: number, filter?: { unit?: string | null; text?: string | null }): LogLine[];
  units(): string[];
}

/** Terminal size read once at the root and on `resize`; a fixed size (tests) wins. */
export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const read = (): TerminalSize => fixed ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return undefined;
    const onResize = () => setSize((old) => {
      const next = read();
      return next.columns === old.columns && next.rows === old.rows ? old : next;
    });
    stdout.on('resize', onResize);
    return () => { stdout.off('resize', onResize); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, fixed?.columns, fixed?.rows]);
  return fixed ?? size;
}
