// Mounts the interactive console: resolves the keymap (a bad rebinding stops here, before the
// screen changes), enters the alternate screen, renders at a capped frame rate with incremental
// rendering, starts the poller, and resolves once the operator quits — with the poller stopped
// and the terminal restored. Ctrl-C, SIGTERM and SIGHUP end it the same way; a crash restores
// the terminal before the error is printed (see terminal.ts).
import { hostname as osHostname } from 'node:os';
import { render } from 'ink';
import type { Config } from '../config/schema.js';
import type { Poller } from '../data/poller.js';
import { App } from './app.js';
import type { ConsoleActions } from './console-actions.js';
import { resolveKeymap } from './keymap.js';
import type { TaskReader } from './screens/task-detail.js';
import { enterFullScreen } from './terminal.js';
import type { ConsolePoller, LogFeed } from './use-feeds.js';

export interface RunConsoleOptions {
  config: Config;
  /** Started here if it is not running yet, and stopped before this resolves. */
  poller: ConsolePoller & Pick<Poller, 'start' | 'stop'>;
  /** The LogBuffer the log sources append to. */
  logs: LogFeed;
  actions: ConsoleActions;
  /** Task detail and the task browser (the DbReader, or an object that forwards to it). */
  reader: TaskReader;
  /** Database target with the password masked. */
  target: string;
  hostname?: string | null;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/**
 * Frames per second at most. A held key (repeat every 10 ms) waits for the next frame slot
 * plus one frame (10–30 ms at 120×40): at 10 fps its p95 was 168 ms, over the 150 ms target
 * (bench/keys.ts). Data cannot use the extra slots: the poller emits at most once a refresh
 * and the log follower hands lines over every 100 ms.
 */
const maxFps = 20;
/**
 * Ink 6.8's incremental renderer moves the cursor up one line too few before each frame that
 * ends in a newline (every frame shorter than the terminal, which ours must be): in tmux the
 * frame lands one row low, the first frame's top line stays behind and the screen scrolls
 * whenever the last line changes. Measured with a 12-row test app; the standard renderer
 * (erase the frame, write it again) places every frame correctly. Frames are rare anyway:
 * the poller emits only on change and the clock ticks every few seconds.
 */
const incrementalRendering = false;

export async function runConsole(options: RunConsoleOptions): Promise<void> {
  const keymap = resolveKeymap(options.config);
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => { quit = resolve; });
  const session = enterFullScreen({ stdout, stdin }, process, {
    onSignal: (_signal, exitCode) => { process.exitCode = exitCode; quit(); },
  });
  let instance: ReturnType<typeof render> | undefined;
  try {
    instance = render(
      <App config={options.config} keymap={keymap} poller={options.poller} logs={options.logs} actions={options.actions}
        reader={options.reader} target={options.target} hostname={options.hostname ?? safeHostname()} onQuit={quit} />,
      // Ctrl-C is a keymap command (force-quit), so the terminal is restored on that path too.
      { stdout, stdin, maxFps, incrementalRendering, exitOnCtrlC: false, patchConsole: false },
    );
    options.poller.start();
    await Promise.race([quitting, instance.waitUntilExit()]);
  } finally {
    instance?.unmount();
    session.restore();
    await options.poller.stop();
  }
}

function safeHostname(): string | null {
  try {
    return osHostname();
  } catch {
    return null;
  }
}
