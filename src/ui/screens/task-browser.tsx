// `t`: every task of one queue, newest first, through DbReader.browse — keyset pages, never a
// COUNT. `f` cycles the state filter, `n` filters by name, `/` searches id, name and error text.
// Moving past the last loaded row (or PgDn at the end) loads the next, older page.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { taskStateSchema, type TaskState, type TaskSummary } from '../../data/snapshot.js';
import type { BrowsePage } from '../../data/sources.js';
import { useKeyLayer, useKeymap } from '../input-router.js';
import { isGlobalCommand } from '../keymap.js';
import { windowStart } from '../panes/frame.js';
import { Line } from '../panes/line.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { isMoveCommand, moveIndex } from '../scroll.js';
import { TextField } from '../text-field.js';
import type { FooterHint, StatusMessage } from '../view-state.js';
import { browserHeader, browserRow, browserColumns } from './browser-rows.js';
import { bodyHeight, ScreenFrame } from './screen-frame.js';
import type { TaskReader } from './task-detail.js';

export interface TaskBrowserProps {
  reader: TaskReader;
  queue: string;
  reloadKey: number;
  width: number;
  height: number;
  color: boolean;
  now: number;
  active: boolean;
  status: StatusMessage | null;
  footer: readonly FooterHint[];
  onBack: () => void;
  onOpen: (task: TaskSummary) => void;
  /** The row under the cursor, so r/c act on it. */
  onSelect: (task: TaskSummary | null) => void;
}

const stateCycle: (TaskState | null)[] = [null, ...taskStateSchema.options];
interface Filter { state: TaskState | null; name: string; text: string }
interface Rows { tasks: TaskSummary[]; next: BrowsePage['next']; loading: boolean; error: string | null }
type Field = 'name' | 'text' | null;

export function TaskBrowserScreen(props: TaskBrowserProps) {
  const { reader, queue, width, height, color, now, active, onBack, onOpen, onSelect } = props;
  const keymap = useKeymap();
  const [filter, setFilter] = useState<Filter>({ state: null, name: '', text: '' });
  const [rows, setRows] = useState<Rows>({ tasks: [], next: null, loading: true, error: null });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [field, setField] = useState<Field>(null);
  const pageSize = Math.max(50, height * 2);
  // Answers to superseded requests (filter changed meanwhile) are dropped by generation.
  const generation = useRef(0);

  function load(after: BrowsePage['next'], append: boolean): void {
    const gen = ++generation.current;
    // A new filter empties the list at once: rows of the old filter must not stay selectable.
    setRows((r) => ({ ...r, tasks: append ? r.tasks : [], next: append ? r.next : null, loading: true, error: null }));
    reader.browse({
      queue, limit: pageSize, ...(filter.state ? { states: [filter.state] } : {}),
      ...(filter.name ? { name: filter.name } : {}), ...(filter.text ? { text: filter.text } : {}), ...(after ? { after } : {}),
    }).then(
      (page) => { if (gen === generation.current) setRows((r) => ({ tasks: append ? [...r.tasks, ...page.tasks] : page.tasks, next: page.next, loading: false, error: null })); },
      (error: unknown) => { if (gen === generation.current) setRows((r) => ({ ...r, loading: false, error: error instanceof Error ? error.message : String(error) })); },
    );
  }
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => load(null, false), [reader, queue, filter, props.reloadKey]);

  const index = rows.tasks.findIndex((t) => t.id === selectedId);
  const selected = rows.tasks[index] ?? rows.tasks[0] ?? null;
  // A layout effect: by the time the row shows as selected, r and c act on it (a passive
  // effect could still be pending when the next key arrives).
  useLayoutEffect(() => { if (active) onSelect(selected); }, [selected, active]); // eslint-disable-line react-hooks/exhaustive-deps

  const visible = Math.max(1, bodyHeight(height) - 2);
  useKeyLayer('screen', 'browser', (command) => {
    if (command === 'back') onBack();
    else if (command === 'open') { if (selected) onOpen(selected); }
    else if (command === 'browse-state') setFilter((f) => ({ ...f, state: stateCycle[(stateCycle.indexOf(f.state) + 1) % stateCycle.length] ?? null }));
    else if (command === 'browse-name') setField('name');
    else if (command === 'filter') setField('text');
    else if (isMoveCommand(command)) {
      const at = Math.max(0, index);
      const next = moveIndex(command, at, rows.tasks.length, visible);
      if (next !== null) setSelectedId(rows.tasks[next]?.id ?? null);
      const pastEnd = (command === 'down' || command === 'page-down' || command === 'bottom') && (next ?? 0) >= rows.tasks.length - 1;
      if (pastEnd && rows.next && !rows.loading) load(rows.next, true);
    } else return !isGlobalCommand(keymap, command);
    return true;
  }, active && field === null);

  const columns = browserColumns(width - 2);
  const cursor = Math.max(0, index);
  const start = windowStart(rows.tasks.length, cursor, visible);
  const filterText = [filter.state ? `state=${filter.state}` : 'all states', filter.name ? `name~${sanitizeLine(filter.name, 40)}` : null,
    filter.text ? `search "${sanitizeLine(filter.text, 40)}"` : null].filter(Boolean).join(' · ');
  const more = rows.loading ? 'loading…' : rows.next ? 'more below' : 'end';
  return (
    <ScreenFrame title={`Tasks in ${sanitizeLine(queue, 60)}`} info={`${filterText} · ${rows.tasks.length} loaded, ${more}`}
      width={width} height={height} color={color} now={now} status={props.status} footer={props.footer}>
      <Box height={1}>
        {field ? (
          <TextField label={field === 'name' ? 'Name contains' : 'Search id, name, error'} initial={filter[field]} width={width}
            onAccept={(value) => { setField(null); setFilter((f) => ({ ...f, [field]: value.trim() })); }}
            onCancel={() => setField(null)} />
        ) : <Line segs={[{ text: '  ' }, ...browserHeader(columns)]} width={width} color={color} />}
      </Box>
      {rows.error ? <Text color={color ? 'red' : undefined}>Could not load tasks: {sanitizeLine(rows.error)}</Text> : null}
      {!rows.loading && !rows.error && rows.tasks.length === 0 ? <Text dimColor>No tasks match.</Text> : null}
      {rows.tasks.slice(start, start + visible).map((t, i) => (
        <Line key={t.id} segs={[{ text: start + i === cursor ? '▸ ' : '  ', bold: true }, ...browserRow(columns, t, now)]} width={width} color={color} inverse={start + i === cursor} />
      ))}
    </ScreenFrame>
  );
}
