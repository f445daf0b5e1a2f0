// One line: health badge, where we are (host, database, flavour, queue) and how fresh the data is.
// Columns drop in a fixed order when narrow; the badge, the queue and the pause mark never do.
import { memo } from 'react';
import type { Flavour } from '../../data/snapshot.js';
import type { OverallHealth } from '../../data/diagnose.js';
import { fitColumns, type ColumnSpec } from '../../text/format/columns.js';
import { fit, displayWidth } from '../../text/format/width.js';
import { healthColor, healthLabel } from '../../text/format/states.js';
import { formatAge } from '../../text/format/time.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { Line, type Seg } from './line.js';

export interface HeaderProps {
  width: number;
  color: boolean;
  health: OverallHealth;
  /** This machine's name; null when unknown. */
  hostname: string | null;
  /** Database target, password already masked. */
  target: string;
  flavour: Flavour | null;
  schemaVersion: string | null;
  /** Selected queue, null = all. */
  queue: string | null;
  queueCount: number;
  refreshSec: number;
  /** When the database last answered (epoch ms), null = never. */
  refreshedAt: number | null;
  now: number;
  paused: boolean;
  readOnly: boolean;
}

type Key = 'badge' | 'paused' | 'app' | 'host' | 'target' | 'flavour' | 'queue' | 'refresh' | 'age' | 'ro';

export function headerSegs(p: HeaderProps): Seg[] {
  const badge = ` ${healthLabel(p.health)} `;
  const queueText = p.queue === null
    ? `queue: all${p.queueCount > 1 ? ` (${p.queueCount})` : ''}`
    : `queue: ${sanitizeLine(p.queue, 200)}`;
  const flavour = p.flavour ? `${p.flavour}${p.schemaVersion ? ` ${sanitizeLine(p.schemaVersion, 40)}` : ''}` : '';
  // "live" while refreshes succeed: a ticking "updated 1s ago" would redraw an idle screen on
  // every refresh. The age appears when it matters, once the data goes stale.
  const stale = p.health === 'stale' || p.health === 'disconnected';
  const age = p.refreshedAt === null ? 'no data yet' : stale ? `updated ${formatAge(p.refreshedAt, p.now)} ago` : 'live';
  const cells: Record<Key, string> = {
    badge,
    paused: p.paused ? 'PAUSED' : '',
    app: 'absurd-top',
    host: p.hostname ? sanitizeLine(p.hostname, 100) : '',
    target: sanitizeLine(p.target, 300),
    flavour,
    queue: queueText,
    refresh: `every ${p.refreshSec}s`,
    age,
    ro: p.readOnly ? 'read-only' : '',
  };
  const w = (k: Key) => displayWidth(cells[k]);
  const specs: ColumnSpec<Key>[] = [
    { key: 'badge', width: w('badge') },
    ...(p.paused ? [{ key: 'paused' as const, width: w('paused') }] : []),
    { key: 'app', width: w('app'), drop: 9 },
    ...(cells.host ? [{ key: 'host' as const, width: Math.min(24, w('host')), drop: 7 }] : []),
    { key: 'target', width: w('target'), minWidth: Math.min(16, w('target')), maxWidth: w('target'), grow: true, drop: 4 },
    ...(flavour ? [{ key: 'flavour' as const, width: Math.min(20, w('flavour')), drop: 6 }] : []),
    { key: 'queue', width: Math.min(40, w('queue')) },
    { key: 'refresh', width: w('refresh'), drop: 8 },
    // A stale age is news and stays; "live" is what the badge already says, so it goes first.
    { key: 'age', width: w('age'), drop: stale ? 3 : 1 },
    ...(p.readOnly ? [{ key: 'ro' as const, width: w('ro'), drop: 5 }] : []),
  ];
  const cols = fitColumns(specs, p.width, 2);
  const segs: Seg[] = [];
  cols.forEach((c, i) => {
    if (i > 0) segs.push({ text: '  ' });
    const text = fit(cells[c.key], c.width);
    switch (c.key) {
      case 'badge': segs.push({ text, color: healthColor(p.health), inverse: true, bold: true }); break;
      case 'paused': segs.push({ text, color: 'yellow', bold: true, inverse: true }); break;
      case 'app': segs.push({ text, bold: true }); break;
      case 'host': segs.push({ text, color: 'cyan' }); break;
      case 'flavour': segs.push({ text, color: 'magenta' }); break;
      case 'queue': segs.push({ text, bold: true }); break;
      case 'age': segs.push({ text, color: stale ? 'yellow' : undefined, dim: !stale }); break;
      case 'ro': segs.push({ text, color: 'yellow' }); break;
      default: segs.push({ text, dim: true });
    }
  });
  return segs;
}

function HeaderImpl(props: HeaderProps) {
  return <Line segs={headerSegs(props)} width={props.width} color={props.color} />;
}

export const Header = memo(HeaderImpl);
