// Minimal ANSI colouring for the plain-text report; a no-op when colour is off (NO_COLOR, pipes).
import type { Color } from '../text/format/states.js';

const codes: Record<Color | 'bold' | 'dim', string> = {
  red: '31', green: '32', yellow: '33', blue: '34', magenta: '35', cyan: '36', white: '37',
  gray: '90', redBright: '91', blueBright: '94', bold: '1', dim: '2',
};

export type Paint = (style: keyof typeof codes | undefined, text: string) => string;

export function makePaint(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => (style ? `\x1b[${codes[style]}m${text}\x1b[0m` : text);
}
