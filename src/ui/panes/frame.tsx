// A pane is a title rule plus at most `height - 1` body lines in a box of fixed size. No side
// borders: at 80 columns every column is worth more as data. The focused pane's title is
// inverse + bold on a heavy rule, so focus shows without colour too.
import { Box, Text } from 'ink';
import { lineText, type BodyLine, type Seg } from './line.js';
import { displayWidth } from '../../text/format/width.js';

export interface PaneFrameProps {
  /** The key that focuses the pane (1–6) and its name: "1 Queue". */
  title: string;
  /** Short facts after the title, e.g. "3 failed · 2 stuck". */
  info?: string | undefined;
  focused: boolean;
  width: number;
  height: number;
  color: boolean;
  /** The body, top first; lines past `height - 1` are not shown. */
  lines: readonly BodyLine[];
}

export function titleSegs(title: string, info: string | undefined, focused: boolean, width: number): Seg[] {
  const rule = focused ? '━' : '─';
  const ruleColor = focused ? 'cyan' : 'gray';
  const segs: Seg[] = [
    { text: `${rule} `, color: ruleColor },
    { text: ` ${title} `, bold: true, inverse: focused, color: focused ? 'cyan' : undefined },
  ];
  if (info) segs.push({ text: ' ' }, { text: info, dim: !focused });
  const used = segs.reduce((n, s) => n + displayWidth(s.text), 0);
  if (used + 1 < width) segs.push({ text: ` ${rule.repeat(width - used - 1)}`, color: ruleColor });
  return segs;
}

// Not memoised: its lines are built anew on every render of the pane that owns it.
export function PaneFrame({ title, info, focused, width, height, color, lines }: PaneFrameProps) {
  if (height <= 0 || width <= 0) return null;
  // The whole pane is one <Text>, its lines joined: a <Text> per line was a memo check, three
  // fibers, an Ink node, a layout node with a text measurement, and a write per line to render,
  // commit, lay out and draw on every refresh, when nearly every line changes anyway (ages
  // tick, logs scroll). Lines are fitted to `width` (lineText), so Ink never wraps them.
  let text = lineText(titleSegs(title, info, focused, width), width, color);
  const shown = Math.min(lines.length, height - 1);
  for (let i = 0; i < shown; i++) text += `\n${lineText(lines[i]!.segs, width, color, lines[i]!.selected === true)}`;
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden" flexShrink={0}>
      <Text>{text}</Text>
    </Box>
  );
}

/** First index of a `visible`-line window over `count` lines that keeps `selected` in view. */
export function windowStart(count: number, selected: number, visible: number): number {
  if (visible <= 0 || count <= visible) return 0;
  if (selected < 0) return 0;
  if (selected < visible) return 0;
  return Math.min(count - visible, selected - visible + 1);
}
