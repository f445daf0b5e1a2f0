/** @jsxRuntime automatic */
// Rendering helpers for view tests: one frame as text, and the checks every frame must pass.
import assert from 'node:assert/strict';
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';

/** Ink's own styling (SGR) sequences. */
export const SGR = /\x1b\[[0-9;]*m/g;

export function stripSgr(text: string): string {
  return text.replace(SGR, '');
}

/** Render once and return the last frame (and its lines); the instance is unmounted. */
export function renderFrame(element: ReactElement): { frame: string; lines: string[] } {
  const instance = render(element);
  const frame = instance.lastFrame() ?? '';
  instance.unmount();
  return { frame, lines: frame === '' ? [] : frame.split('\n') };
}

/** Every line at most `columns` wide, at most `rows - 1` lines. */
export function assertFits(frame: string, size: { columns: number; rows: number }, label = ''): void {
  const lines = frame === '' ? [] : frame.split('\n');
  assert.ok(lines.length <= Math.max(0, size.rows - 1), `${label}: ${lines.length} lines for ${size.rows} rows`);
  lines.forEach((line, i) => {
    const w = stringWidth(stripSgr(line));
    assert.ok(w <= size.columns, `${label}: line ${i + 1} is ${w} columns wide (max ${size.columns}): ${JSON.stringify(line)}`);
  });
}

/** No control character except newline once Ink's SGR codes are removed. */
export function assertNoControl(frame: string, label = ''): void {
  const text = stripSgr(frame);
  const m = /[\x00-\x09\x0b-\x1f\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
  assert.equal(m, null, `${label}: control character ${JSON.stringify(m?.[0])} at ${m?.index}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
}
