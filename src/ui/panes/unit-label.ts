// Unit names that fit a narrow column without losing what tells them apart. The site's units
// share a prefix ("dsa110-") and the workers differ only in their instance ("@3"), so cutting
// from the left lost the producer's name ("…0-mosaic-daemon") and cutting from the right would
// lose the instance. Instead every label of a column takes the first of these forms in which all
// of them fit:
//   dsa110-mosaic-daemon   dsa110-absurd-worker@1   (".service" dropped)
//   mosaic-daemon          absurd-worker@1          (the prefix the configured units share dropped)
//   mosaic-daemon          worker@1                 (instances of the worker template by instance)
// and a label that still does not fit is cut in the middle, keeping its start and its end.
// The full name stays in the restart dialog's command line, the logs unit filter and wide panes.
import { displayWidth, sliceToWidth } from '../../text/format/width.js';

/** `dsa110-absurd-worker@3.service` → `dsa110-absurd-worker@3`. */
export function shortUnitName(name: string): string {
  return name.endsWith('.service') ? name.slice(0, -'.service'.length) : name;
}

/**
 * The prefix all the names share, cut back to just after its last `-`, `_` or `.` so no word is
 * split ("dsa110-"); empty for fewer than two distinct names.
 */
export function sharedPrefix(names: readonly string[]): string {
  const distinct = [...new Set(names)];
  if (distinct.length < 2) return '';
  let prefix = distinct[0]!;
  for (const name of distinct) {
    let i = 0;
    while (i < prefix.length && i < name.length && prefix[i] === name[i]) i += 1;
    prefix = prefix.slice(0, i);
  }
  const cut = Math.max(prefix.lastIndexOf('-'), prefix.lastIndexOf('_'), prefix.lastIndexOf('.'));
  return cut < 0 ? '' : prefix.slice(0, cut + 1);
}

/** `worker@3` for an instance of the template `dsa110-absurd-worker@.service`; null otherwise. */
export function instanceLabel(name: string, workerTemplate: string): string | null {
  const at = workerTemplate.indexOf('@.');
  if (at < 0) return null;
  const stem = workerTemplate.slice(0, at + 1);
  const base = shortUnitName(name);
  if (!base.startsWith(stem) || base.length === stem.length) return null;
  const word = stem.slice(0, -1).split(/[-_.]/).filter(Boolean).at(-1) ?? '';
  return `${word}@${base.slice(stem.length)}`;
}

/** Cut out the middle: `dsa110…daemon`. The start says what it is, the end which one. */
export function truncateMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return sliceToWidth('…', width);
  const chars = [...text];
  const tailWidth = Math.floor((width - 1) / 2);
  let tail = '';
  for (let i = chars.length - 1; i >= 0 && displayWidth(chars[i]! + tail) <= tailWidth; i -= 1) tail = chars[i]! + tail;
  return `${sliceToWidth(text, width - 1 - displayWidth(tail))}…${tail}`;
}

export interface UnitNaming {
  /** The worker template (config.units.workerTemplate), for the `worker@3` form. */
  workerTemplate: string;
  /**
   * Other configured units (config.units.producer). The prefix they share with the template is
   * the one dropped: taken from the configuration, not from the units on screen, so a stray unit
   * (absurd-top's own notes, a tailed file) never changes how the site's units read.
   */
  known: readonly string[];
}

/**
 * Labels for the units of one column `width` columns wide, keyed by unit name: one form for the
 * whole column, so the rows read alike.
 */
export function unitLabels(names: Iterable<string>, width: number, naming: UnitNaming): Map<string, string> {
  const units = [...new Set(names)];
  const stem = naming.workerTemplate.split('@')[0]!;
  const prefix = sharedPrefix([...naming.known, stem].map(shortUnitName));
  const forms = units.map((name) => {
    const full = shortUnitName(name);
    const bare = prefix && full.startsWith(prefix) && full.length > prefix.length ? full.slice(prefix.length) : full;
    return [full, bare, instanceLabel(name, naming.workerTemplate) ?? bare];
  });
  const level = [0, 1, 2].find((l) => forms.every((f) => displayWidth(f[l]!) <= width)) ?? 2;
  return new Map(units.map((name, i) => [name, truncateMiddle(forms[i]![level]!, width)]));
}
