// A line's styled characters (what Ink's Output places in its grid), without Intl.Segmenter for
// plain text. ansi-tokenize splits every line into graphemes with Intl.Segmenter and gives each
// character its own copy of the styles in force; on a frame where tasks flow, the lines that
// changed are mostly ASCII, box drawing and colour codes, where every UTF-16 unit is one grapheme
// of one column. Those are split here by hand, each colour sequence tokenised by the library
// (and kept: a screen uses a few dozen), and characters in one run share one styles array (the
// arrays are only read: diffs and Output.get copy or filter them). Anything else — wide or
// combining characters, links, other escape codes — goes to the library whole. Same result.
import { reduceAnsiCodesIncremental, styledCharsFromTokens, tokenize, type AnsiCode, type StyledChar } from '@alcalzone/ansi-tokenize';
import { BoundedCache } from '../../text/bounded-cache.js';
import { colourCode, oneColumnEach } from '../../text/format/string-width.js';

/** Colour sequences, captured so that splitting keeps them between the text pieces. */
const sgrSequence = new RegExp(`(${colourCode.source})`);
const sgrTokens = new BoundedCache<AnsiCode[] | null>(500);

function codesOf(sequence: string): AnsiCode[] | null {
  let codes = sgrTokens.get(sequence);
  if (codes === undefined) {
    const tokens = tokenize(sequence);
    codes = tokens.every((t) => t.type === 'ansi') ? (tokens as AnsiCode[]) : null;
    sgrTokens.set(sequence, codes);
  }
  return codes;
}

/**
 * The styles in force after a colour sequence, one array per (styles, sequence) ever: lines that
 * reach the same style the same way share the array, so Output's style comparisons and its
 * transition cache (by array) hit across lines and frames instead of diffing four Sets anew.
 */
export const noStyles = Object.freeze([]) as unknown as AnsiCode[];
const nextStyles = new WeakMap<AnsiCode[], BoundedCache<AnsiCode[]>>();

function stylesAfter(styles: AnsiCode[], sequence: string, codes: AnsiCode[]): AnsiCode[] {
  let bySequence = nextStyles.get(styles);
  if (!bySequence) nextStyles.set(styles, bySequence = new BoundedCache<AnsiCode[]>(64));
  let next = bySequence.get(sequence);
  if (next === undefined) {
    next = reduceAnsiCodesIncremental(styles, codes);
    bySequence.set(sequence, next);
  }
  return next;
}

/**
 * A line as runs of one-column characters that share their styles, or null when any of it needs
 * the library (wide or combining characters, links, other escape codes). Runs are what Output
 * keeps per line: a few strings and shared style arrays, not an object per character that every
 * collection of the young generation would copy while the line stays cached.
 */
export interface StyledRuns { texts: string[]; styles: AnsiCode[][] }

export function styledRunsOf(line: string): StyledRuns | null {
  const pieces = line.split(sgrSequence); // text, sequence, text, …
  for (let i = 0; i < pieces.length; i += 2) {
    if (!oneColumnEach.test(pieces[i]!)) return null;
  }
  const runs: StyledRuns = { texts: [], styles: [] };
  let styles = noStyles;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (i % 2 === 1) {
      const codes = codesOf(piece);
      if (!codes) return null;
      styles = stylesAfter(styles, piece, codes);
    } else if (piece !== '') {
      runs.texts.push(piece);
      runs.styles.push(styles);
    }
  }
  return runs;
}

/** A line's styled characters, as ansi-tokenize gives them. */
export function styledCharsOf(line: string): StyledChar[] {
  const runs = styledRunsOf(line);
  if (!runs) return styledCharsFromTokens(tokenize(line));
  const chars: StyledChar[] = [];
  for (let r = 0; r < runs.texts.length; r++) {
    const text = runs.texts[r]!;
    const styles = runs.styles[r]!;
    for (let k = 0; k < text.length; k++) chars.push({ type: 'char', value: text[k]!, fullWidth: false, styles });
  }
  return chars;
}
