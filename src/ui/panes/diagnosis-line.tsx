// The few sentences an operator would say, most severe first, one per line; the last line says how
// many more there are. Nothing to say reads "all clear".
import { memo } from 'react';
import { Box } from 'ink';
import type { Diagnosis } from '../../data/diagnose.js';
import { levelColor } from '../../text/format/states.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { truncate } from '../../text/format/width.js';
import { Line, type Seg } from './line.js';

export interface DiagnosisLineProps {
  diagnoses: readonly Diagnosis[];
  /** Lines available (at least 1). */
  lines: number;
  width: number;
  color: boolean;
  /** Said when there is nothing to diagnose, after "all clear". */
  calm?: string | undefined;
}

const tags: Record<Diagnosis['level'], string> = { critical: 'CRIT', warning: 'WARN', info: 'info' };

export function diagnosisLines(p: DiagnosisLineProps): Seg[][] {
  const n = Math.max(0, p.lines);
  if (n === 0) return [];
  if (p.diagnoses.length === 0) {
    return [[{ text: ' OK ', color: 'green', bold: true }, { text: ' all clear' }, ...(p.calm ? [{ text: ` · ${p.calm}`, dim: true }] : [])]];
  }
  const shown = p.diagnoses.slice(0, n);
  const more = p.diagnoses.length - shown.length;
  return shown.map((d, i) => {
    const segs: Seg[] = [
      { text: ` ${tags[d.level]} `, color: levelColor(d.level), bold: true, inverse: d.level === 'critical' },
      { text: ' ' },
    ];
    const moreText = i === shown.length - 1 && more > 0 ? `  (+${more} more)` : '';
    segs.push({ text: sanitizeLine(d.message, 500), color: d.level === 'critical' ? 'red' : d.level === 'warning' ? 'yellow' : undefined });
    if (moreText) {
      // Keep "(+N more)" visible: cut the sentence, not the count.
      const budget = Math.max(0, p.width - 7 - moreText.length);
      segs[2] = { ...segs[2]!, text: truncate(segs[2]!.text, budget) };
      segs.push({ text: moreText, dim: true });
    }
    return segs;
  });
}

function DiagnosisLineImpl(p: DiagnosisLineProps) {
  const lines = diagnosisLines(p);
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column" width={p.width} height={Math.max(1, p.lines)} flexShrink={0} overflowY="hidden">
      {lines.map((segs, i) => <Line key={i} segs={segs} width={p.width} color={p.color} />)}
    </Box>
  );
}

export const DiagnosisLine = memo(DiagnosisLineImpl);
