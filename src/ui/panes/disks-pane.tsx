// Disks pane: usage bars coloured by the configured thresholds, the ingest backlog, load and memory.
// With one line of room it becomes a strip: "5 Disks /data 41% · /stage 93% · backlog 12 · load 2.3".
import { memo, useMemo } from 'react';
import type { Disk, HostSnapshot } from '../../data/snapshot.js';
import { fitColumns, type ColumnSpec } from '../../text/format/columns.js';
import { fit } from '../../text/format/width.js';
import { bar } from '../../text/format/graphs.js';
import { formatBytes, formatPct } from '../../text/format/numbers.js';
import { formatDuration } from '../../text/format/time.js';
import type { Color } from '../../text/format/states.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { Line, type BodyLine, type Seg } from './line.js';
import { PaneFrame, windowStart } from './frame.js';
import { diskRows, rowIndex } from './rows.js';

export interface DisksPaneProps {
  host: HostSnapshot;
  selectedId: string | null;
  width: number;
  height: number;
  focused: boolean;
  color: boolean;
  diskWarnPct: number;
  diskCritPct: number;
}

export function diskColor(d: Disk, warn: number, crit: number): Color {
  if (!d.exists || d.level === 'missing') return 'gray';
  if (d.usedPct === null) return d.level === 'critical' ? 'red' : d.level === 'warning' ? 'yellow' : 'green';
  return d.usedPct >= crit ? 'red' : d.usedPct >= warn ? 'yellow' : 'green';
}

type DCol = 'mark' | 'path' | 'bar' | 'pct' | 'used';

function diskSegs(d: Disk, width: number, warn: number, crit: number, selected: boolean): Seg[] {
  const specs: ColumnSpec<DCol>[] = [
    { key: 'mark', width: 1 },
    { key: 'path', width: 24, minWidth: 8 },
    { key: 'bar', width: 30, minWidth: 6, grow: true, drop: 2 },
    { key: 'pct', width: 4, align: 'right' },
    { key: 'used', width: 11, align: 'right', drop: 1 },
  ];
  const color = diskColor(d, warn, crit);
  const segs: Seg[] = [];
  fitColumns(specs, width).forEach((c, i) => {
    if (i > 0) segs.push({ text: ' ' });
    switch (c.key) {
      case 'mark': segs.push({ text: selected ? '▸' : ' ', bold: true }); break;
      case 'path': segs.push({ text: fit(sanitizeLine(d.path, 300), c.width) }); break;
      case 'bar': segs.push({ text: d.exists ? bar(d.usedPct, c.width) : fit('not found', c.width), color, dim: !d.exists }); break;
      case 'pct': segs.push({ text: fit(d.exists ? formatPct(d.usedPct) : '-', c.width, 'right'), color, bold: color === 'red' }); break;
      case 'used': segs.push({ text: fit(d.exists ? `${formatBytes(d.usedBytes)}/${formatBytes(d.sizeBytes)}` : '', c.width, 'right'), dim: true }); break;
    }
  });
  return segs;
}

function backlogText(host: HostSnapshot): string | null {
  const b = host.backlog;
  if (!b) return null;
  if (!b.exists) return `incoming ${sanitizeLine(b.dir, 200)}: not found`;
  const oldest = b.oldestAgeSec !== null && b.files > 0 ? `, oldest ${formatDuration(b.oldestAgeSec)}` : '';
  return `backlog ${b.files} ${b.files === 1 ? 'file' : 'files'} in ${sanitizeLine(b.dir, 200)}${oldest}`;
}

function systemText(host: HostSnapshot): string {
  const parts: string[] = [];
  if (host.load.length > 0) parts.push(`load ${host.load.map((n) => n.toFixed(1)).join(' ')}`);
  if (host.memUsedPct !== null) parts.push(`mem ${formatPct(host.memUsedPct)}`);
  if (host.problem) parts.push(sanitizeLine(host.problem, 200));
  return parts.join(' · ');
}

/** One line summary for the strip form. */
export function diskStripSegs(host: HostSnapshot, warn: number, crit: number): Seg[] {
  const segs: Seg[] = [];
  const seen = new Set<string>();
  for (const d of host.disks) {
    const mount = d.mount ?? d.path;
    if (!d.exists || seen.has(mount)) continue;
    seen.add(mount);
    if (segs.length > 0) segs.push({ text: ' · ', dim: true });
    segs.push({ text: `${sanitizeLine(d.path, 100)} ` }, { text: formatPct(d.usedPct), color: diskColor(d, warn, crit), bold: true });
  }
  const b = host.backlog;
  if (b && b.exists) segs.push({ text: ' · ', dim: true }, { text: `backlog ${b.files}${b.files > 0 && b.oldestAgeSec !== null ? ` (${formatDuration(b.oldestAgeSec)})` : ''}` });
  const sys = systemText(host);
  if (sys) segs.push({ text: ' · ', dim: true }, { text: sys, dim: true });
  if (segs.length === 0) segs.push({ text: noDisksText(host), dim: true });
  return segs;
}

/** No disk rows: none configured, or the first look at them has not answered yet. */
const noDisksText = (host: HostSnapshot): string => (host.asked === false ? 'reading disks…' : 'no disks configured');

export function disksBody(p: DisksPaneProps): BodyLine[] {
  const room = Math.max(0, p.height - 1);
  if (room === 0) return [];
  const rows = diskRows({ host: p.host });
  const extra: BodyLine[] = [];
  const backlog = backlogText(p.host);
  if (backlog) extra.push({ segs: [{ text: backlog, color: p.host.backlog?.exists ? undefined : 'gray' }] });
  const sys = systemText(p.host);
  if (sys) extra.push({ segs: [{ text: sys, dim: true }] });
  if (rows.length === 0) return [{ segs: [{ text: noDisksText(p.host), dim: true }] }, ...extra].slice(0, room);
  const diskRoom = Math.max(Math.min(rows.length, room), room - extra.length);
  const start = windowStart(rows.length, rowIndex(rows, p.selectedId), diskRoom);
  const lines: BodyLine[] = rows.slice(start, start + diskRoom).map((r) => {
    if (r.type !== 'disk') return { segs: [] };
    const selected = r.id === p.selectedId;
    return { segs: diskSegs(r.disk, p.width, p.diskWarnPct, p.diskCritPct, selected), selected };
  });
  return [...lines, ...extra].slice(0, room);
}

function DisksPaneImpl(p: DisksPaneProps) {
  const lines = useMemo(() => disksBody(p), [p]);
  if (p.height === 1) {
    return (
      <Line
        segs={[{ text: ' 5 Disks ', bold: true, inverse: p.focused, color: p.focused ? 'cyan' : undefined }, { text: ' ' }, ...diskStripSegs(p.host, p.diskWarnPct, p.diskCritPct)]}
        width={p.width}
        color={p.color}
      />
    );
  }
  return (
    <PaneFrame title="5 Disks" focused={p.focused} width={p.width} height={p.height} color={p.color} lines={lines} />
  );
}

export const DisksPane = memo(DisksPaneImpl);
