// Enter on any task: loads its detail through DbReader.taskDetail and shows it scrollable.
// Reloads when `reloadKey` changes (Space, or after an action), keeping the scroll position.
import { useEffect, useMemo, useState } from 'react';
import { Text } from 'ink';
import type { DbReader, TaskDetail } from '../../data/sources.js';
import type { TaskRef } from '../console-actions.js';
import { useKeyLayer, useKeymap } from '../input-router.js';
import { isGlobalCommand } from '../keymap.js';
import { Line } from '../panes/line.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { scrollBy } from '../scroll.js';
import type { FooterHint, StatusMessage } from '../view-state.js';
import { detailLines } from './detail-lines.js';
import { bodyHeight, ScreenFrame } from './screen-frame.js';

export type TaskReader = Pick<DbReader, 'taskDetail' | 'browse'>;

export interface TaskDetailProps {
  reader: TaskReader;
  task: TaskRef;
  reloadKey: number;
  width: number;
  height: number;
  color: boolean;
  now: number;
  active: boolean;
  status: StatusMessage | null;
  footer: readonly FooterHint[];
  onBack: () => void;
  /** The loaded task, so actions from this screen act on its current state. */
  onLoaded: (detail: TaskDetail | null) => void;
}

type Load = { kind: 'loading' } | { kind: 'ok'; detail: TaskDetail } | { kind: 'missing' } | { kind: 'error'; message: string };

export function TaskDetailScreen(props: TaskDetailProps) {
  const { reader, task, reloadKey, width, height, color, now, active, onBack, onLoaded } = props;
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [top, setTop] = useState(0);
  const keymap = useKeymap();

  useEffect(() => {
    let current = true;
    reader.taskDetail(task.queue, task.id).then(
      (detail) => {
        if (!current) return;
        setLoad(detail ? { kind: 'ok', detail } : { kind: 'missing' });
        onLoaded(detail);
      },
      (error: unknown) => { if (current) setLoad({ kind: 'error', message: error instanceof Error ? error.message : String(error) }); },
    );
    return () => { current = false; };
    // onLoaded is a fresh closure every render; reloading on it would loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reader, task.queue, task.id, reloadKey]);

  const lines = useMemo(() => (load.kind === 'ok' ? detailLines(load.detail, width, now) : []), [load, width, now]);
  const visible = bodyHeight(height);

  useKeyLayer('screen', 'detail', (command) => {
    if (command === 'back') { onBack(); return true; }
    const next = command ? scrollBy(command, top, lines.length, visible) : null;
    if (next !== null) { setTop(next); return true; }
    // Global commands (help, refresh, retry/cancel of this task) fall through to the app.
    return !isGlobalCommand(keymap, command);
  }, active);

  const shown = lines.slice(top, top + visible);
  const info = lines.length > visible ? `lines ${top + 1}–${top + shown.length} of ${lines.length}` : undefined;
  return (
    <ScreenFrame title={`Task ${task.id.slice(0, 8)}`} info={info} width={width} height={height} color={color} now={now} status={props.status} footer={props.footer}>
      {load.kind === 'loading' ? <Text dimColor>Loading task {sanitizeLine(task.id)}…</Text> : null}
      {load.kind === 'missing' ? <Text>Task {sanitizeLine(task.id)} is gone from queue {sanitizeLine(task.queue)} (pruned or never existed).</Text> : null}
      {load.kind === 'error' ? <Text color={color ? 'red' : undefined}>Could not load the task: {sanitizeLine(load.message)}</Text> : null}
      {shown.map((segs, i) => <Line key={i} segs={segs} width={width} color={color} />)}
    </ScreenFrame>
  );
}
