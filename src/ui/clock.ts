// When the ages on screen next need redrawing. Ages are shown in seconds only while under a
// minute (formatElapsed), so the clock ticks every few seconds while something that young is
// on screen and otherwise once a minute, on the minute, so every age moves in the same frame:
// an idle console then draws about one frame a minute instead of one every tick.
import type { Snapshot } from '../data/snapshot.js';

const youngMs = 60_000;
export const fastTickMs = 5000;

/**
 * Stamps of when something was read, not times views show as ages. Counting the all-time totals'
 * stamp (renewed every minute) kept the clock ticking every 5 s forever: a whole render each
 * time, for a frame identical to the last.
 */
const readStamps = new Set(['fetchedAt', 'takenAt', 'terminalAsOf']);

/** Times of the snapshot that views show as ages: every `…At`/`…Since`/`since` but the read stamps. */
function eachShownTime(value: unknown, visit: (ms: number) => void): void {
  // An index loop: at the bin's baseline compiler (--max-opt=1) for…of allocates per step.
  if (Array.isArray(value)) { for (let i = 0; i < value.length; i++) eachShownTime(value[i], visit); return; }
  if (value === null || typeof value !== 'object') return;
  // for…in, not Object.entries: this walks the whole snapshot twice a refresh, and entries
  // allocated an array per property (~370 KB a refresh while tasks flowed).
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'number') {
      if (!readStamps.has(key) && (key.endsWith('At') || key.endsWith('Since') || key === 'since')) visit(v);
    } else if (v !== null && typeof v === 'object') {
      eachShownTime(v, visit);
    }
  }
}

/**
 * Each snapshot's newest shown time: a refresh asks twice (to draw its frame, then to plan the
 * next tick), and the walk covers every task of the snapshot.
 */
const newestBySnapshot = new WeakMap<Snapshot, number | null>();

/** The newest time shown as an age (epoch ms), or null when nothing is. */
export function newestShownTime(snapshot: Snapshot, extra: readonly (number | null | undefined)[] = []): number | null {
  let newest = newestBySnapshot.get(snapshot);
  if (newest === undefined) {
    let found: number | null = null;
    eachShownTime(snapshot, (ms) => { found = later(found, ms); });
    newestBySnapshot.set(snapshot, newest = found);
  }
  for (const ms of extra) if (typeof ms === 'number') newest = later(newest, ms);
  return newest;
}

function later(newest: number | null, ms: number): number | null {
  return Number.isFinite(ms) && (newest === null || ms > newest) ? ms : newest;
}

/** Ticks land just after the minute, so an age computed at the tick has crossed it. */
const tickOffsetMs = 20;

/** Milliseconds until the next clock tick: soon while a seconds-old age is shown, else the next minute. */
export function nextTickMs(newest: number | null, now: number): number {
  if (newest !== null && now - newest < youngMs) return fastTickMs;
  return youngMs - (now % youngMs) + tickOffsetMs;
}

/**
 * The time ages are drawn against. While only ages of a minute or more are on screen it is the
 * time of the last minute tick, also for a frame that new data brings between ticks: otherwise
 * that frame would move every age that crossed its own minute since the tick (each crosses at
 * its own second), and an idle screen would redraw whenever a disk figure or a unit changed,
 * not once a minute. With an age on screen that was under a minute at the last tick, now.
 */
export function agesNow(newest: number | null, now: number): number {
  const lastTick = now - ((now - tickOffsetMs) % youngMs);
  // Young as seen from the last tick: an age that passed a minute since then must not be drawn
  // against the tick, where it would still read in seconds (and the clock would step back).
  if (newest !== null && lastTick - newest < youngMs) return now;
  return lastTick;
}
