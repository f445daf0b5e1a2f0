// Logs pane: the followed journal/file lines, oldest at the top, coloured by priority, filtered by
// unit and text, scrolled back by view.logScroll with a marker saying how many newer lines wait.
// Every line is one row, cut at the edge, except the newest report of a log source's problem:
// its fix is the point of it, so it wraps over as many rows as it needs. Older reports (a failing
// journalctl reports again at every retry) are history and keep one row each.
import { memo, useMemo } from 'react';
import type { LogLine } from '../../data/snapshot.js';
import type { ViewState } from '../view-state.js';
import { displayWidth, fit } from '../../text/format/width.js';
import { priorityColor, priorityLabel } from '../../text/format/states.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { BodyLine, Seg } from './line.js';
import { PaneFrame } from './frame.js';
import { filterLogs } from './rows.js';
import { truncateMiddle, unitLabels, type UnitNaming } from './unit-label.js';
import { wrapWords } from '../wrap.js';

export interface LogsPaneProps {
  logs: readonly LogLine[];
  filter: ViewState['logFilter'];
  /** Lines scrolled back from the newest; 0 = following. */
  scroll: number;
  paused: boolean;
  selectedId: string | null;
  width: number;
  height: number;
  focused: boolean;
  color: boolean;
  /** Configured unit names (config.units), for short unit labels in narrow panes. */
  producerUnit: string;
  workerTemplate: string;
}

function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const unitText = (l: LogLine): string => sanitizeLine(l.unit, 200);
const hostText = (l: LogLine): string => (l.host ? `${sanitizeLine(l.host, 60)}:` : '');

/**
 * The unit column's text per line: one label form for every unit of the filtered lines (not only
 * those in view, so scrolling never changes it), narrower where a host name comes first.
 */
function unitCells(filtered: readonly LogLine[], unitWidth: number, naming: UnitNaming): (l: LogLine) => string {
  const units = [...new Set(filtered.map((l) => l.unit))].map((u) => sanitizeLine(u, 200));
  const byHostWidth = new Map<number, Map<string, string>>();
  return (l) => {
    const host = hostText(l);
    const room = unitWidth - displayWidth(host);
    // A host so long that no label fits after it: cut the pair in the middle instead.
    if (room < 6) return truncateMiddle(host + unitText(l), unitWidth);
    let labels = byHostWidth.get(room);
    if (!labels) byHostWidth.set(room, labels = unitLabels(units, room, naming));
    return host + (labels.get(unitText(l)) ?? '');
  };
}

const unitWidthFor = (width: number): number => (width >= 100 ? 24 : width >= 60 ? 16 : 0);
const showClock = (width: number): boolean => width >= 70;
/** Columns before the message: mark, clock, unit, priority. */
const messageColumn = (width: number): number => 1 + (showClock(width) ? 9 : 0) + (unitWidthFor(width) > 0 ? unitWidthFor(width) + 1 : 0) + 6;

/** A source problem's message in rows that fit under the message column. */
function problemRows(l: LogLine, width: number): string[] {
  return wrapWords(sanitizeLine(l.message, 4000), Math.max(12, width - messageColumn(width)));
}

/** The newest problem report among the lines: what the sources say now. */
export function currentProblem(lines: readonly LogLine[]): LogLine | null {
  for (let i = lines.length - 1; i >= 0; i -= 1) if (lines[i]!.problem) return lines[i]!;
  return null;
}

/** Rows the current problem takes, wrapped whole, in a pane `width` wide. */
export function problemRowCount(l: LogLine, width: number): number {
  return problemRows(l, width).length;
}

function logRows(l: LogLine, width: number, unitCell: (l: LogLine) => string, selected: boolean, whole: boolean): Seg[][] {
  const color = priorityColor(l.priority);
  const unitWidth = unitWidthFor(width);
  const segs: Seg[] = [{ text: selected ? '▸' : ' ', bold: true }];
  if (showClock(width)) segs.push({ text: `${clock(l.time)} `, dim: true });
  if (unitWidth > 0) segs.push({ text: `${fit(unitCell(l), unitWidth)} `, color: 'cyan' });
  segs.push({ text: l.priority <= 4 ? `${fit(priorityLabel(l.priority), 5)} ` : '      ', color, bold: l.priority <= 3 });
  const messageColor = l.priority <= 4 || l.priority >= 7 ? color : undefined;
  if (whole) {
    // Continuation rows hang under the message, so the block reads as one entry.
    const [first = '', ...rest] = problemRows(l, width);
    const indent = ' '.repeat(messageColumn(width));
    return [[...segs, { text: first, color: messageColor }], ...rest.map((text) => [{ text: indent }, { text, color: messageColor }])];
  }
  // Only what can be shown is sanitised: a 1 MB line costs a few hundred characters here.
  segs.push({ text: sanitizeLine(l.message, Math.max(16, width * 2)), color: messageColor });
  return [segs];
}

/** The first line shown when the window ends before `end`: as many whole lines as fit `room` rows, at least one. */
function windowFrom(filtered: readonly LogLine[], end: number, room: number, rowsOf: (l: LogLine) => number): number {
  let start = end;
  let used = 0;
  while (start > 0) {
    const rows = rowsOf(filtered[start - 1]!);
    if (used + rows > room && start < end) break;
    used += rows;
    start -= 1;
    if (used >= room) break;
  }
  return start;
}

export function logsBody(p: LogsPaneProps, filtered: readonly LogLine[]): BodyLine[] {
  const body = Math.max(0, p.height - 1);
  if (body === 0) return [];
  if (filtered.length === 0) {
    const filtering = p.filter.unit !== null || p.filter.text.trim() !== '';
    return [{ segs: [{ text: filtering ? 'no log lines match the filter' : 'no log lines yet', dim: true }] }];
  }
  const scroll = Math.max(0, Math.min(p.scroll, filtered.length - 1));
  const current = currentProblem(filtered);
  const rowsOf = (l: LogLine): number => (l === current ? problemRowCount(l, p.width) : 1);
  const marker = scroll > 0 || p.paused;
  const room = Math.max(1, marker ? body - 1 : body);
  let end = filtered.length - scroll;
  // Scrolled back, the window also follows a selected line (following always shows the newest).
  if (scroll > 0 && p.selectedId !== null) {
    const sel = filtered.findIndex((l) => String(l.seq) === p.selectedId);
    if (sel >= 0 && sel >= end) end = sel + 1;
    else if (sel >= 0 && sel < end - room) end = Math.min(filtered.length, sel + room);
    // A wrapped problem in the window takes rows: pull the end back until the selection is in.
    while (sel >= 0 && sel < windowFrom(filtered, end, room, rowsOf) && end > sel + 1) end -= 1;
  }
  const start = windowFrom(filtered, end, room, rowsOf);
  const newer = filtered.length - end;
  const unitCell = unitCells(filtered, unitWidthFor(p.width), { workerTemplate: p.workerTemplate, known: [p.producerUnit] });
  const lines: BodyLine[] = filtered.slice(start, end).flatMap((l) => {
    const selected = String(l.seq) === p.selectedId;
    return logRows(l, p.width, unitCell, selected, l === current).map((segs) => ({ segs, selected }));
  }).slice(0, room); // one line taller than the pane: its start, which says what is wrong
  if (marker) {
    const parts = [p.paused ? 'paused' : '', scroll > 0 ? `scrolled back, ${newer} new` : ''].filter(Boolean).join(' · ');
    lines.push({ segs: [{ text: `── ${parts}${scroll > 0 ? ' · G to follow' : ''} ──`, color: 'yellow', bold: true }] });
  }
  return lines.slice(-body);
}

function LogsPaneImpl(p: LogsPaneProps) {
  const filtered = useMemo(() => filterLogs(p.logs, p.filter), [p.logs, p.filter]);
  const bits: string[] = [];
  if (p.filter.unit !== null) bits.push(`unit=${sanitizeLine(p.filter.unit, 80)}`);
  if (p.filter.text.trim() !== '') bits.push(`text="${sanitizeLine(p.filter.text, 80)}"`);
  bits.push(`${filtered.length} lines`);
  if (p.scroll > 0) bits.push('scrolled');
  const lines = logsBody(p, filtered);
  return (
    <PaneFrame title="4 Logs" info={bits.join(' · ')} focused={p.focused} width={p.width} height={p.height} color={p.color} lines={lines} />
  );
}

export const LogsPane = memo(LogsPaneImpl);
