// The confirmation every action passes through. It shows the plan made from the targets captured
// when the dialog opened — the exact SQL calls or command lines — and defaults to No: Enter on
// the untouched dialog runs nothing. The most destructive actions (emergency stop, clear queue)
// ask for a typed word instead of y. Modal: while open, no other key reaches the program.
import { useState } from 'react';
import { Box } from 'ink';
import type { ActionPlan } from '../../actions/types.js';
import { useKeyLayer } from '../input-router.js';
import { Line, type Seg } from '../panes/line.js';
import { sanitize, sanitizeLine } from '../../text/sanitize.js';
import { TextField } from '../text-field.js';
import { wrap } from '../wrap.js';

export interface ConfirmDialogProps {
  /** null while the plan is being made. */
  plan: ActionPlan | null;
  width: number;
  /** Rows the dialog may use, border included. */
  maxHeight: number;
  color: boolean;
  onYes: () => void;
  onNo: () => void;
}

/**
 * The plan's commands as display lines, wrapped to `width` rather than cut (the operator must
 * see the whole statement), at most `max` lines with a note saying how many more there are.
 */
export function commandLines(commands: readonly string[], max: number, width: number): string[] {
  const numbered = commands.length > 1;
  const lines = commands.flatMap((c, i) => {
    const indent = numbered ? ' '.repeat(String(commands.length).length + 2) : '';
    const text = wrap(sanitize(c, { multiline: true, maxLength: 4000 }), Math.max(10, width - indent.length));
    return text.map((l, j) => `${j === 0 && numbered ? `${i + 1}.`.padEnd(indent.length) : indent}${l.trimEnd()}`);
  });
  if (lines.length <= max) return lines;
  return [...lines.slice(0, Math.max(0, max - 1)), `… ${lines.length - max + 1} more lines (${commands.length} commands in all)`];
}

export function ConfirmDialog({ plan, width, maxHeight, color, onYes, onNo }: ConfirmDialogProps) {
  const [choice, setChoice] = useState<'no' | 'yes'>('no');
  const [mistyped, setMistyped] = useState(false);
  const word = plan?.confirmWord ?? null;
  useKeyLayer('modal', 'dialog', (command) => {
    if (command === 'back' || command === 'confirm-no') onNo();
    else if (command === 'confirm-yes' && plan) onYes();
    else if (command === 'confirm-toggle') setChoice((c) => (c === 'no' ? 'yes' : 'no'));
    else if (command === 'confirm-choose') (choice === 'yes' && plan ? onYes : onNo)();
    return true; // modal: swallow everything else
  }, word === null);

  // Every row is padded to the full inner width: the dialog is drawn over the dashboard, and an
  // unpainted cell would let the text behind it show through.
  const inner = Math.max(10, width - 2);
  const row = (segs: Seg[], key: string) => <Line key={key} segs={[{ text: ' ' }, ...segs]} width={inner} color={color} pad />;
  const fixed = 7 + (plan?.warning ? 1 : 0) + (word !== null ? 1 : 0);
  const rows = [
    row([{ text: plan ? sanitizeLine(plan.title) : 'Preparing…', bold: true }], 'title'),
    row([], 'gap1'),
    row([{ text: 'Will run:', dim: true }], 'will'),
    ...commandLines(plan?.commands ?? [], Math.max(1, maxHeight - fixed), inner - 3)
      .map((l, i) => row([{ text: `  ${l}`, color: 'cyan' }], `cmd${i}`)),
    ...(plan?.commands.length === 0 ? [row([{ text: '  (nothing)' }], 'none')] : []),
    ...(plan?.warning ? [row([{ text: `! ${sanitizeLine(plan.warning)}`, color: 'yellow' }], 'warn')] : []),
    row([], 'gap2'),
  ];
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color ? 'yellow' : undefined} width={inner + 2}>
      {rows}
      {word !== null ? (
        <Box flexDirection="column">
          <TextField label={` Type ${word} to confirm (Esc cancels)`} width={inner} color={color} onCancel={onNo}
            onAccept={(typed) => (typed === word ? onYes() : setMistyped(true))} />
          {row(mistyped ? [{ text: `That is not "${word}"; type it exactly or press Esc.`, color: 'red' }] : [], 'mistyped')}
        </Box>
      ) : (
        row([
          { text: ' No ', inverse: choice === 'no', bold: true },
          { text: '   ' },
          { text: ' Yes ', inverse: choice === 'yes', bold: true, color: 'red' },
          { text: '    y yes · n/Esc/q no · Tab moves · Enter presses', dim: true },
        ], 'buttons')
      )}
    </Box>
  );
}
