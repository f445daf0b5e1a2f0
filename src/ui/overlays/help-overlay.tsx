// `?`: every command from the keymap, grouped, with the keys as bound now (rebinding included).
// In read-only mode the actions are not listed at all. Scrolls when the terminal is short.
import { useState } from 'react';
import { useKeyLayer } from '../input-router.js';
import { helpRows, type HelpRow, type Keymap } from '../keymap.js';
import { Line, type Seg } from '../panes/line.js';
import { bodyHeight, ScreenFrame } from '../screens/screen-frame.js';
import type { FooterHint, StatusMessage } from '../view-state.js';
import { scrollBy } from '../scroll.js';

const groupTitles: Record<HelpRow['group'], string> = {
  app: 'Program', navigation: 'Moving around', view: 'What is shown', actions: 'Actions (each asks for confirmation)', dialog: 'Dialogs and text fields',
};

export function helpLines(keymap: Keymap, readOnly: boolean): Seg[][] {
  const rows = helpRows(keymap, readOnly);
  const lines: Seg[][] = [];
  for (const group of Object.keys(groupTitles) as HelpRow['group'][]) {
    const inGroup = rows.filter((r) => r.group === group);
    if (inGroup.length === 0) continue;
    if (lines.length > 0) lines.push([]);
    lines.push([{ text: groupTitles[group], bold: true, color: 'cyan' }]);
    const keyWidth = Math.max(...inGroup.map((r) => r.keys.length));
    for (const r of inGroup) lines.push([{ text: `  ${r.keys.padEnd(keyWidth)}  `, bold: true }, { text: r.description }]);
  }
  if (readOnly) lines.push([], [{ text: 'Read-only mode: the action keys are disabled.', color: 'yellow' }]);
  return lines;
}

export interface HelpOverlayProps {
  keymap: Keymap;
  readOnly: boolean;
  width: number;
  height: number;
  color: boolean;
  status: StatusMessage | null;
  footer: readonly FooterHint[];
  now: number;
  onClose: () => void;
}

export function HelpOverlay({ keymap, readOnly, width, height, color, status, footer, now, onClose }: HelpOverlayProps) {
  const [top, setTop] = useState(0);
  const lines = helpLines(keymap, readOnly);
  const visible = bodyHeight(height);
  useKeyLayer('overlay', 'help', (command) => {
    if (command === 'back' || command === 'help') onClose();
    else if (command) setTop((t) => scrollBy(command, t, lines.length, visible) ?? t);
    return true; // an overlay: nothing behind it reacts while it is open
  });
  const shown = lines.slice(top, top + visible);
  const info = lines.length > visible ? `lines ${top + 1}–${top + shown.length} of ${lines.length}` : undefined;
  return (
    <ScreenFrame title="Help" info={info} width={width} height={height} color={color} now={now} status={status} footer={footer}>
      {shown.map((segs, i) => <Line key={i} segs={segs} width={width} color={color} />)}
    </ScreenFrame>
  );
}
