// A one-line text field (log filter, browser search, typed confirmation). While it is mounted
// and active it is modal: every printable key is text, Enter accepts, Esc cancels. The value
// lives in a ref as well as in state, so keys that arrive before React re-renders are not lost.
import { useRef, useState } from 'react';
import { editText } from './keymap.js';
import { useKeyLayer } from './input-router.js';
import { displayWidth, sliceToWidth } from '../text/format/width.js';
import { Line } from './panes/line.js';

export interface TextFieldProps {
  label: string;
  initial?: string;
  width: number;
  color?: boolean;
  active?: boolean;
  onChange?: (value: string) => void;
  onAccept: (value: string) => void;
  onCancel: () => void;
}

/** The tail of `value` that fits after the label, so the caret end is always visible. */
export function visibleTail(value: string, width: number): string {
  if (displayWidth(value) <= width) return value;
  // Only the last 2×width characters can ever show; never walk a pasted megabyte.
  const chars = [...value.slice(-width * 4)].slice(-width * 2);
  let start = 0;
  while (start < chars.length && displayWidth(chars.slice(start).join('')) > width) start++;
  return sliceToWidth(chars.slice(start).join(''), width);
}

export function TextField({ label, initial = '', width, color = true, active = true, onChange, onAccept, onCancel }: TextFieldProps) {
  const value = useRef(initial);
  const [shown, setShown] = useState(initial);
  useKeyLayer('modal', 'input', (command, input, key) => {
    if (command === 'input-accept') onAccept(value.current);
    else if (command === 'input-cancel') onCancel();
    else {
      const next = editText(value.current, input, key);
      if (next !== null) {
        value.current = next;
        setShown(next);
        onChange?.(next);
      }
    }
    return true;
  }, active);
  const room = Math.max(1, width - displayWidth(label) - 3);
  // Padded to the full width: the field is often drawn over other text (status line, dialog).
  return <Line segs={[{ text: `${label}: `, bold: true }, { text: visibleTail(shown, room) }, { text: ' ', inverse: true }]} width={width} color={color} pad />;
}
