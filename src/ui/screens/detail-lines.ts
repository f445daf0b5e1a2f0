// Everything known about one task as display lines: ids, state, attempts, worker, every
// timestamp, the full error (sanitised), params and result as pretty JSON, and for flavour
// absurd its runs and checkpoints. Long lines wrap at the width, so nothing is cut off sideways;
// the screen scrolls instead. Pure: the same detail and width give the same lines.
import type { TaskDetail } from '../../data/sources.js';
import { formatAge } from '../../text/format/time.js';
import type { Seg } from '../panes/line.js';
import { sanitize, sanitizeLine } from '../../text/sanitize.js';
import { wrap } from '../wrap.js';

/** Big enough for any real traceback; a 1 MB error still costs the same to lay out. */
const maxBlock = 256 * 1024;

export function formatTime(ms: number | null, now: number): string {
  if (ms === null) return '-';
  if (!Number.isFinite(ms)) return ms > 0 ? 'infinity' : '-infinity';
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)}Z (${formatAge(ms, now)} ago)`;
}

export function prettyJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  } catch {
    text = String(value);
  }
  return sanitize(text, { multiline: true, maxLength: maxBlock });
}

export function detailLines(d: TaskDetail, width: number, now: number): Seg[][] {
  const lines: Seg[][] = [];
  const heading = (text: string) => { lines.push([], [{ text, bold: true, color: 'cyan' }]); };
  const field = (name: string, value: string, color?: Seg['color']) => {
    lines.push([{ text: `  ${name.padEnd(14)} `, dim: true }, { text: value, color }]);
  };
  const block = (text: string, color?: Seg['color']) => {
    for (const l of wrap(text, width - 4)) lines.push([{ text: `    ${l}`, color }]);
  };

  lines.push([{ text: sanitizeLine(d.name), bold: true }, { text: `  ${sanitizeLine(d.id)}`, dim: true }]);
  field('queue', sanitizeLine(d.queue));
  field('state', d.rawState === d.state ? d.state : `${d.state} (${sanitizeLine(d.rawState)})`, d.state === 'failed' ? 'red' : undefined);
  field('attempts', d.maxAttempts === null ? `${d.attempts} (unlimited)` : `${d.attempts} of ${d.maxAttempts}`);
  field('worker', sanitizeLine(d.workerId ?? '-'));
  for (const [key, value] of Object.entries(d.extra)) field(sanitizeLine(key, 40), sanitizeLine(value === null ? '-' : String(value)));

  heading('Timestamps');
  for (const [key, value] of Object.entries(d.timestamps)) field(sanitizeLine(key, 40), formatTime(value, now));

  heading('Error');
  const error = d.fullError ?? d.error;
  if (error) block(sanitize(error, { multiline: true, maxLength: maxBlock }), 'red');
  else lines.push([{ text: '    (none)', dim: true }]);

  heading('Params');
  block(prettyJson(d.params));
  heading('Result');
  block(prettyJson(d.result));

  if (d.runs.length > 0) {
    heading(`Runs (${d.runs.length})`);
    for (const r of d.runs) {
      lines.push([{ text: `  #${r.attempt} ${r.state.padEnd(10)}`, bold: true }, { text: ` run ${sanitizeLine(r.runId)}  by ${sanitizeLine(r.claimedBy ?? '-')}`, dim: true }]);
      field('started', formatTime(r.startedAt, now));
      if (r.completedAt !== null) field('completed', formatTime(r.completedAt, now));
      if (r.failedAt !== null) field('failed', formatTime(r.failedAt, now));
      if (r.claimExpiresAt !== null) field('lease ends', formatTime(r.claimExpiresAt, now));
      if (r.failureReason !== null && r.failureReason !== undefined) block(prettyJson(r.failureReason), 'red');
    }
  }
  if (d.checkpoints.length > 0) {
    heading(`Checkpoints (${d.checkpoints.length})`);
    for (const c of d.checkpoints) {
      lines.push([{ text: `  ${sanitizeLine(c.name)}`, bold: true }, { text: `  ${sanitizeLine(c.status ?? '-')}  ${formatTime(c.updatedAt, now)}`, dim: true }]);
      block(prettyJson(c.state));
    }
  }
  return lines;
}
