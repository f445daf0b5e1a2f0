// The one place runtime results land: "retried 3 tasks", "refused: read-only", with its age.
import { memo } from 'react';
import type { StatusMessage } from '../view-state.js';
import { levelColor } from '../../text/format/states.js';
import { formatAge } from '../../text/format/time.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { Line, type Seg } from './line.js';

export interface StatusLineProps {
  status: StatusMessage | null;
  width: number;
  color: boolean;
  now: number;
}

const tags: Record<StatusMessage['level'], string> = { info: 'info', ok: ' ok ', warning: 'WARN', error: 'FAIL' };

export function statusSegs(status: StatusMessage | null, now: number): Seg[] {
  if (!status) return [];
  const color = status.level === 'ok' ? 'green' : levelColor(status.level === 'info' ? 'info' : status.level);
  return [
    { text: `[${tags[status.level]}]`, color, bold: true },
    { text: ' ' },
    { text: sanitizeLine(status.text, 1000), color: status.level === 'error' ? 'red' : undefined },
    { text: `  ${formatAge(status.at, now)} ago`, dim: true },
  ];
}

function StatusLineImpl({ status, width, color, now }: StatusLineProps) {
  return <Line segs={statusSegs(status, now)} width={width} color={color} />;
}

export const StatusLine = memo(StatusLineImpl);
