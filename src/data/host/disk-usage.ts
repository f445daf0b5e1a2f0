// Which mount a path lives on, and how full it is. Pure helpers plus one fs fallback.
import { stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Thresholds } from '../../config/schema.js';
import type { Disk } from '../snapshot.js';

export interface MountUsage {
  mount: string;
  size: number;
  used: number;
  available: number;
  /** used / (used + available) × 100, as df prints it (root's reserve counts as unavailable). */
  use: number;
}

/** Longest mount point that is `path` itself or a directory above it. */
export function mountFor<T extends { mount: string }>(path: string, mounts: readonly T[]): T | null {
  let best: T | null = null;
  for (const m of mounts) {
    const mp = m.mount;
    const inside = mp === '/' || path === mp || path.startsWith(mp.endsWith('/') ? mp : `${mp}/`);
    if (inside && (!best || mp.length > best.mount.length)) best = m;
  }
  return best;
}

export function diskLevel(usedPct: number | null, t: Pick<Thresholds, 'diskWarnPct' | 'diskCritPct'>): Disk['level'] {
  if (usedPct === null) return 'ok';
  if (usedPct >= t.diskCritPct) return 'critical';
  if (usedPct >= t.diskWarnPct) return 'warning';
  return 'ok';
}

/**
 * The mount point of `real`, found by walking up while the device stays the same. Used when df
 * (fsSize) does not list the filesystem, e.g. tmpfs, which systeminformation leaves out, and a
 * prefix match would wrongly blame `/`.
 */
export async function mountByWalk(real: string): Promise<string> {
  const dev = (await stat(real)).dev;
  let mount = real;
  while (mount !== '/') {
    const parent = dirname(mount);
    if ((await stat(parent)).dev !== dev) break;
    mount = parent;
  }
  return mount;
}

/** How full the filesystem holding `path` is: one statfs call, no process forked. */
export async function statfsUsage(path: string): Promise<Omit<MountUsage, 'mount'>> {
  const s = await statfs(path);
  const size = s.blocks * s.bsize;
  const used = (s.blocks - s.bfree) * s.bsize;
  const available = s.bavail * s.bsize;
  const use = used + available > 0 ? Math.round((10_000 * used) / (used + available)) / 100 : 0;
  return { size, used, available, use };
}
