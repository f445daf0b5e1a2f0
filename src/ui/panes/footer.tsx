// Key hints fitted to the width: as many as fit, in the order given, and `?` (help) always kept
// when it is among them, so a narrow terminal still says where the rest are.
import { memo } from 'react';
import type { FooterHint } from '../view-state.js';
import { displayWidth } from '../../text/format/width.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { Line, type Seg } from './line.js';

export interface FooterProps {
  hints: readonly FooterHint[];
  width: number;
  color: boolean;
}

const gap = 2;

function hintWidth(h: FooterHint): number {
  return displayWidth(h.keys) + 1 + displayWidth(h.label);
}

/** The hints that fit in `width` columns (separated by two spaces), `?` kept if present. */
export function fitHints(hints: readonly FooterHint[], width: number): FooterHint[] {
  const clean = hints.map((h) => ({ keys: sanitizeLine(h.keys, 40), label: sanitizeLine(h.label, 80) }));
  const help = clean.find((h) => h.keys === '?');
  const total = (list: readonly FooterHint[]) => list.reduce((n, h, i) => n + hintWidth(h) + (i > 0 ? gap : 0), 0);
  if (total(clean) <= width) return clean;
  const reserve = help ? hintWidth(help) + gap : 0;
  const out: FooterHint[] = [];
  let used = 0;
  for (const h of clean) {
    if (h === help) continue;
    const w = hintWidth(h) + (out.length > 0 ? gap : 0);
    if (used + w + reserve > width) break;
    out.push(h);
    used += w;
  }
  if (help && used + reserve <= width) out.push(help);
  return out;
}

export function footerSegs(hints: readonly FooterHint[], width: number): Seg[] {
  const segs: Seg[] = [];
  for (const h of fitHints(hints, width)) {
    if (segs.length > 0) segs.push({ text: ' '.repeat(gap) });
    segs.push({ text: h.keys, bold: true, color: 'cyan' }, { text: ` ${h.label}`, dim: true });
  }
  return segs;
}

function FooterImpl({ hints, width, color }: FooterProps) {
  return <Line segs={footerSegs(hints, width)} width={width} color={color} />;
}

export const Footer = memo(FooterImpl);
