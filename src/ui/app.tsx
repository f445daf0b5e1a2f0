// The interactive shell: holds the AppState, feeds it from the poller, the log buffer and the
// clock, routes keys through the keymap (one router, layers modal > overlay > screen > global),
// and draws the dashboard, a screen, the help or a dialog. Views stay pure; actions go through
// the injected ConsoleActions, so nothing here touches pg or systemctl.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Box } from 'ink';
import type { ActionResult } from '../actions/types.js';
import type { Config } from '../config/schema.js';
import type { Snapshot, TaskSummary } from '../data/snapshot.js';
import type { PollerState } from '../data/poller.js';
import { captureRequest } from './action-requests.js';
import {
  commandContext, cycleQueue, focusPane, focusStep, initialState, layerOf, moveSelection, selectedItem, status,
  withLogs, withPoll, type AppState,
} from './app-state.js';
import { browseQueue, disabledReason } from './command-availability.js';
import { isRefusedPlan, type ConsoleActions, type PlanOutcome } from './console-actions.js';
import { ConfirmDialog, commandLines } from './dialogs/confirm-dialog.js';
import { InputRouter, useKeyLayer } from './input-router.js';
import { footerHints, isGlobalCommand, type CommandId, type Keymap } from './keymap.js';
import { HelpOverlay } from './overlays/help-overlay.js';
import { Dashboard } from './panes/dashboard.js';
import { isMoveCommand } from './scroll.js';
import { TaskBrowserScreen } from './screens/task-browser.js';
import { TaskDetailScreen, type TaskReader } from './screens/task-detail.js';
import { TextField } from './text-field.js';
import { useTerminalSize, type ConsolePoller, type LogFeed } from './use-feeds.js';
import { agesNow, newestShownTime, nextTickMs } from './clock.js';
import type { PaneId, TerminalSize } from './view-state.js';

export interface AppProps {
  config: Config;
  keymap: Keymap;
  poller: ConsolePoller;
  logs: LogFeed;
  actions: ConsoleActions;
  reader: TaskReader;
  /** Database target with the password masked. */
  target: string;
  hostname?: string | null;
  onQuit: () => void;
  /** Fixed size (tests); otherwise stdout's size and its resize event. */
  size?: TerminalSize;
  now?: () => number;
}

/** Log lines kept on screen for scrolling back; the buffer holds more. */
const logWindow = 2000;
const focusCommands: Partial<Record<CommandId, PaneId>> = {
  'focus-queue': 'queue', 'focus-workers': 'workers', 'focus-failures': 'failures', 'focus-logs': 'logs', 'focus-disks': 'disks',
};

function resultStatus(result: ActionResult, at: number) {
  if (result.status === 'ok') return status(result.changed > 0 ? 'ok' : 'warning', result.summary, at);
  if (result.status === 'refused') return status('warning', `refused: ${result.reason}`, at);
  return status('error', `failed: ${result.error}`, at);
}

/** The database data as fresh as the last refresh that found nothing new (for "updated 2s ago"). */
function freshSnapshot(poll: PollerState): Snapshot {
  const s = poll.snapshot;
  if (!s.db || s.dbProblem || poll.checkedAt === null || poll.checkedAt <= s.db.fetchedAt) return s;
  return { ...s, takenAt: poll.checkedAt, db: { ...s.db, fetchedAt: poll.checkedAt } };
}

export function App(props: AppProps) {
  return (
    <InputRouter keymap={props.keymap} onForceQuit={props.onQuit}>
      <Console {...props} />
    </InputRouter>
  );
}

function Console({ config, keymap, poller, logs: feed, actions, reader, target, hostname = null, onQuit, size: fixedSize, now = Date.now }: AppProps) {
  const size = useTerminalSize(fixedSize);
  const height = Math.max(1, size.rows - 1); // Ink 6 clears the screen on every frame of full height
  const [state, setState] = useState(() => initialState(config, poller.state, now()));
  const ref = useRef(state);
  // Handlers read `ref`, never a render's closure: two keys can arrive before React re-renders.
  const update = (change: (s: AppState) => AppState) => {
    const next = change(ref.current);
    if (next !== ref.current) { ref.current = next; setState(next); }
  };
  const say = (level: Parameters<typeof status>[0], text: string) => update((s) => ({ ...s, status: status(level, text, now()) }));
  // Every frame redraws the whole screen, so new log lines ride along with a refresh's frame
  // and get one of their own only when no refresh drew for a while (logFrameMs).
  const logsDrawn = useRef({ version: -1, at: 0 });
  const withNewLogs = (s: AppState, force = false): AppState => {
    if (!force && (s.view.paused || feed.version === logsDrawn.current.version)) return s;
    logsDrawn.current = { version: feed.version, at: now() };
    return withLogs(s, feed.tail(logWindow, s.view.logFilter));
  };
  const reloadLogs = () => update((s) => withNewLogs(s, true));
  const logFrameMs = Math.max(250, 1.5 * config.refreshSec * 1000);
  const dialogCounter = useRef(0);

  useEffect(() => {
    const clockOf = (poll: PollerState, s: AppState) => agesNow(newestShownTime(poll.snapshot, [s.status?.at]), now());
    const unsubscribe = poller.subscribe((poll) => update((s) => withNewLogs(withPoll(s, poll, clockOf(poll, s)))));
    // A refresh that landed between the first render and this subscription is not lost.
    update((s) => (s.poll === poller.state ? s : withPoll(s, poller.state, clockOf(poller.state, s))));
    return unsubscribe;
  }, [poller]); // eslint-disable-line react-hooks/exhaustive-deps
  // The clock moves ages forward: every few seconds while one under a minute is on screen,
  // else on the minute (clock.ts). Re-planned whenever the data or the status line changes.
  // A walk over the whole snapshot: once per new snapshot or status, not on every key's render.
  const newest = useMemo(() => newestShownTime(state.poll.snapshot, [state.status?.at]), [state.poll.snapshot, state.status]);
  useEffect(() => {
    const timer = setTimeout(() => update((s) => withPoll(s, poller.state, agesNow(newest, now()))), nextTickMs(newest, now()));
    return () => clearTimeout(timer);
  }, [poller, newest, state.now]); // eslint-disable-line react-hooks/exhaustive-deps
  // Woken by the lines themselves, not by a polling timer: a console with quiet logs sleeps.
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const drawLater = (): void => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (feed.version === logsDrawn.current.version) return; // a refresh's frame took them
        if (now() - logsDrawn.current.at >= logFrameMs) update((s) => withNewLogs(s));
        else drawLater();
      }, Math.max(0, logsDrawn.current.at + logFrameMs - now()));
    };
    const unsubscribe = feed.subscribe(drawLater);
    return () => { unsubscribe(); clearTimeout(timer); };
  }, [feed, logFrameMs]); // eslint-disable-line react-hooks/exhaustive-deps

  async function openDialog(command: CommandId): Promise<void> {
    const request = captureRequest(command, commandContext(ref.current, keymap, config.readOnly));
    if (!request) return;
    const id = ++dialogCounter.current;
    update((s) => ({ ...s, dialog: { id, request, plan: null } }));
    const outcome: PlanOutcome = await actions.plan(request).catch((error: unknown) => ({ refused: String((error as Error)?.message ?? error) }));
    if (ref.current.dialog?.id !== id) return; // closed while planning
    if (isRefusedPlan(outcome)) update((s) => ({ ...s, dialog: null, status: status('warning', `refused: ${outcome.refused}`, now()) }));
    else update((s) => ({ ...s, dialog: { id, request, plan: outcome } }));
  }

  function confirm(): void {
    const dialog = ref.current.dialog;
    if (!dialog?.plan) return;
    update((s) => ({ ...s, dialog: null, status: status('info', `running: ${dialog.plan!.title}…`, now()) }));
    actions.run(dialog.request)
      .catch((error: unknown): ActionResult => ({ status: 'failed', action: dialog.plan!.action, error: String((error as Error)?.message ?? error), commands: [] }))
      .then((result) => {
        update((s) => ({ ...s, status: resultStatus(result, now()), reloadKey: s.reloadKey + 1 }));
        void poller.refreshNow();
      });
  }

  function openSelected(): void {
    const s = ref.current;
    const item = s.screens.length === 0 ? selectedItem(s) : null;
    if (item?.kind === 'queue') { update((x) => ({ ...x, view: { ...x.view, queue: x.view.queue === item.id ? null : item.id } })); return; }
    const task = commandContext(s, keymap, config.readOnly).task;
    if (task) openDetail(task);
  }

  function openDetail(task: TaskSummary): void {
    update((s) => ({ ...s, screens: [...s.screens, { kind: 'detail', task: { id: task.id, queue: task.queue } }], screenTask: task }));
  }

  function cycleLogUnit(): void {
    const template = config.units.workerTemplate.replace(/@\.service$/, '@*');
    const units = [null, config.units.producer, template, ...feed.units()].filter((u, i, all) => all.indexOf(u) === i);
    update((s) => {
      const next = units[(units.indexOf(s.view.logFilter.unit) + 1) % units.length] ?? null;
      return { ...s, view: { ...s.view, logScroll: 0, logFilter: { ...s.view.logFilter, unit: next } } };
    });
    reloadLogs();
  }

  useKeyLayer('global', 'dashboard', (command) => {
    if (command === null) return false;
    // A key that reaches this layer while a dialog, overlay or screen is open arrived before
    // that layer was drawn (typed ahead in one chunk): "?q" must not quit, so drop it.
    const layer = layerOf(ref.current);
    if (layer !== 'dashboard' && !(isGlobalCommand(keymap, command) && (layer === 'detail' || layer === 'browser'))) return true;
    if (command === 'open' && ref.current.screens.length === 0 && selectedItem(ref.current)?.kind === 'queue') { openSelected(); return true; }
    if (command === 'focus-tasks') command = 'browse'; // pane 6 is the task browser screen
    const ctx = commandContext(ref.current, keymap, config.readOnly);
    const reason = disabledReason(command, ctx);
    if (reason) { say('warning', reason); return true; }
    if (keymap.byId.get(command)?.action) { void openDialog(command); return true; }
    const pane = focusCommands[command];
    if (pane) update((s) => focusPane(s, pane));
    else if (isMoveCommand(command)) update((s) => moveSelection(s, command, Math.max(1, Math.floor(height / 4))));
    else switch (command) {
      case 'quit': onQuit(); break;
      case 'help': update((s) => ({ ...s, help: !s.help })); break;
      case 'pause': { const wasPaused = ref.current.view.paused; poller.setPaused(!wasPaused); if (wasPaused) reloadLogs(); break; }
      case 'refresh': update((s) => ({ ...s, reloadKey: s.reloadKey + 1 })); void poller.refreshNow(); break;
      case 'focus-next': update((s) => focusStep(s, 1)); break;
      case 'focus-prev': update((s) => focusStep(s, -1)); break;
      case 'next-queue': update((s) => cycleQueue(s, 1)); break;
      case 'prev-queue': update((s) => cycleQueue(s, -1)); break;
      case 'open': openSelected(); break;
      case 'browse': { const queue = browseQueue(ctx); if (queue) update((s) => ({ ...s, screens: [...s.screens, { kind: 'browser', queue }], screenTask: null })); break; }
      case 'filter': update((s) => ({ ...s, logInput: true })); break;
      case 'log-unit': cycleLogUnit(); break;
      default: return false;
    }
    return true;
  });

  const shown = useMemo(() => freshSnapshot(state.poll), [state.poll]);
  const layer = layerOf(state);
  const footer = footerHints(keymap, { layer, readOnly: config.readOnly, focus: state.view.focus });
  const common = { width: size.columns, height, color: config.color, now: state.now, status: state.status, footer };
  const back = () => update((s) => ({ ...s, screens: s.screens.slice(0, -1), screenTask: null }));
  const top = state.screens.length - 1;
  const dialogWidth = Math.min(size.columns - 2, 110);
  const dialogLines = commandLines(state.dialog?.plan?.commands ?? [], height, dialogWidth - 5).length + 9;
  return (
    <Box flexDirection="column" width={size.columns} height={height} overflowY="hidden">
      <Box display={top < 0 && !state.help ? 'flex' : 'none'}>
        <Dashboard snapshot={shown} logs={state.logs} size={size} view={state.view} hostname={hostname}
          config={config} status={state.status} footer={footer} history={state.poll.history} now={state.now} target={target} />
      </Box>
      {state.screens.map((screen, i) => (
        <Box key={`${i}:${screen.kind}`} display={i === top && !state.help ? 'flex' : 'none'}>
          {screen.kind === 'detail' ? (
            <TaskDetailScreen {...common} reader={reader} task={screen.task} reloadKey={state.reloadKey} active={i === top}
              onBack={back} onLoaded={(detail) => { if (detail) update((s) => ({ ...s, screenTask: detail })); }} />
          ) : (
            <TaskBrowserScreen {...common} reader={reader} queue={screen.queue} reloadKey={state.reloadKey} active={i === top}
              onBack={back} onSelect={(task) => update((s) => (s.screenTask === task ? s : { ...s, screenTask: task }))}
              onOpen={openDetail} />
          )}
        </Box>
      ))}
      {state.help ? <HelpOverlay {...common} keymap={keymap} readOnly={config.readOnly} onClose={() => update((s) => ({ ...s, help: false }))} /> : null}
      {state.logInput ? (
        <Box position="absolute" marginTop={Math.max(0, height - 2)} width={size.columns}>
          <TextField label="Filter logs" initial={state.view.logFilter.text} width={size.columns}
            onCancel={() => update((s) => ({ ...s, logInput: false }))}
            onAccept={(text) => { update((s) => ({ ...s, logInput: false, view: { ...s.view, logScroll: 0, logFilter: { ...s.view.logFilter, text } } })); reloadLogs(); }} />
        </Box>
      ) : null}
      {state.dialog ? (
        <Box position="absolute" marginTop={Math.max(0, Math.floor((height - dialogLines) / 2))} marginLeft={Math.max(0, Math.floor((size.columns - dialogWidth) / 2))}>
          <ConfirmDialog key={state.dialog.id} plan={state.dialog.plan} width={dialogWidth} maxHeight={height} color={config.color}
            onYes={confirm} onNo={() => update((s) => ({ ...s, dialog: null, status: status('info', 'cancelled: nothing ran', now()) }))} />
        </Box>
      ) : null}
    </Box>
  );
}
