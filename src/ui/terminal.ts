// The alternate screen, and the promise that the operator's terminal comes back whatever
// happens: on quit, Ctrl-C (a key in raw mode, SIGINT before Ink switched raw mode on),
// SIGTERM, SIGHUP, an uncaught exception or an unhandled rejection
// the cursor is shown again, raw mode is switched off and the main screen returns. Restoring
// is idempotent, so every path may call it without caring who came first.
export const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
export const LEAVE_ALT_SCREEN = '\x1b[?1049l';
export const SHOW_CURSOR = '\x1b[?25h';

export interface TerminalStreams {
  stdout: { write(chunk: string): unknown };
  stdin: { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
}

/** The part of `process` the session hooks into (a fake in tests). */
export interface ProcessHooks {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code?: number): never | void;
}

export interface TerminalSession {
  /** Leaves the alternate screen; safe to call any number of times. */
  restore(): void;
  readonly restored: boolean;
}

export interface EnterOptions {
  /** SIGTERM/SIGHUP/SIGINT: after restoring, ask the app to quit (it closes the pool); exit code 128+n. */
  onSignal?: (signal: Signal, exitCode: number) => void;
  /** How a crash is reported after the screen is restored (default: stderr). */
  report?: (error: unknown) => void;
}

const signalNumbers = { SIGTERM: 15, SIGHUP: 1, SIGINT: 2 } as const;
type Signal = keyof typeof signalNumbers;

export function enterFullScreen(
  streams: TerminalStreams = { stdout: process.stdout, stdin: process.stdin },
  proc: ProcessHooks = process,
  options: EnterOptions = {},
): TerminalSession {
  let restored = false;
  const report = options.report ?? ((error: unknown) => {
    process.stderr.write(`absurd-top crashed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  });

  const handlers: [string, (...args: unknown[]) => void][] = [
    ['exit', () => restore()],
    ...(Object.keys(signalNumbers) as Signal[]).map((signal): [string, () => void] => [signal, () => {
      restore();
      if (options.onSignal) options.onSignal(signal, 128 + signalNumbers[signal]);
      else proc.exit(128 + signalNumbers[signal]);
    }]),
    ...['uncaughtException', 'unhandledRejection'].map((event): [string, (error: unknown) => void] => [event, (error) => {
      restore();
      report(error);
      proc.exit(1);
    }]),
  ];

  function restore(): void {
    if (restored) return;
    restored = true;
    for (const [event, handler] of handlers) proc.off(event, handler);
    try {
      if (streams.stdin.isTTY && streams.stdin.setRawMode) streams.stdin.setRawMode(false);
    } catch {
      // stdin already closed (SIGHUP after the ssh session died): nothing to switch off.
    }
    try {
      streams.stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
    } catch {
      // The terminal is gone; there is nothing left to restore.
    }
  }

  for (const [event, handler] of handlers) proc.on(event, handler);
  streams.stdout.write(ENTER_ALT_SCREEN);
  return { restore, get restored() { return restored; } };
}
