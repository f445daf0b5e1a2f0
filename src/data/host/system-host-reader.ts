// Disks, ingest backlog, load and memory of the machine the console runs on.
// How full a disk is comes from statfs every 10 s (a syscall); which mount a path is on
// comes from df via systeminformation, asked every 10 minutes from the second snapshot on: it
// forks three processes (one of them synchronously) and mounts rarely change; a path whose
// device does not match its listed mount (and every path in the first snapshot) is placed by
// walking up its parents. Every external call is bounded:
// df and each path's stat are single-flight with a timeout, so a hung NFS mount shows "disk
// check timed out" while the rest of the snapshot still arrives on time.
import { realpath, stat } from 'node:fs/promises';
import { freemem, loadavg, totalmem } from 'node:os';
import type { Config, Thresholds } from '../../config/schema.js';
import type { Disk, HostSnapshot } from '../snapshot.js';
import type { HostReader } from '../sources.js';
import { diskLevel, mountByWalk, mountFor, statfsUsage, type MountUsage } from './disk-usage.js';
import { scanBacklog, type BacklogResult } from './ingest-backlog.js';
import { GuardedCalls, TimeoutError } from './with-timeout.js';

export interface HostReaderOptions {
  paths: string[];
  incoming: string | null;
  thresholds: Pick<Thresholds, 'diskWarnPct' | 'diskCritPct'>;
  /** Bound on each call (df, a path's stat, the backlog walk). */
  timeoutMs?: number;
  /** df forks processes and stats every mount: reuse its list of mounts this long. */
  fsSizeTtlMs?: number;
  /** How often a disk's usage is re-read (statfs); it moves slowly and each read is a thread-pool hop. Default 10 s. */
  usageTtlMs?: number;
  /** Walking a big incoming directory is not free: refresh it at most this often. */
  backlogTtlMs?: number;
  backlogMaxEntries?: number;
  /** Seams for tests; default to systeminformation and os. */
  fsSize?: () => Promise<MountUsage[]>;
  mem?: () => Promise<{ total: number; available: number }>;
  loadavg?: () => number[];
}

export function hostReaderOptionsFromConfig(config: Config): HostReaderOptions {
  return { paths: config.disks.paths, incoming: config.disks.incoming, thresholds: config.thresholds };
}

interface PathInfo { real: string; dev: number }

export class SystemHostReader implements HostReader {
  private readonly calls: GuardedCalls;
  private snapshots = 0;

  constructor(private readonly opts: HostReaderOptions) {
    this.calls = new GuardedCalls(opts.timeoutMs ?? 3000);
  }

  async snapshot(): Promise<HostSnapshot> {
    const problems: string[] = [];
    const note = (error: unknown, what: string, subject = ''): void => {
      const on = subject ? ` (${subject})` : '';
      problems.push(error instanceof TimeoutError ? `${what} timed out${on}: hung mount?` : `${what} failed${on}: ${(error as Error).message}`);
    };
    // The first snapshot places each path by walking up its parents (a few stats): df, through
    // systeminformation (~750 KB of code to compile, a synchronous fork), would sit between
    // start-up and the first live frame. From the second snapshot on, df names the mounts.
    const mounts = this.snapshots++ === 0 ? Promise.resolve(null)
      : this.calls.run('df', this.opts.fsSizeTtlMs ?? 600_000, this.opts.fsSize ?? defaultFsSize)
        .catch((e: unknown) => { note(e, 'disk check'); return null; });
    // Paths resolve while df runs, so a hung mount costs one timeout per tick, not two.
    const [disks, memUsedPct, backlog] = await Promise.all([
      Promise.all(this.opts.paths.map((p) => this.disk(p, mounts).catch((e: unknown) => {
        note(e, 'disk check', p);
        const failed: Disk = { path: p, mount: null, exists: true, sizeBytes: null, usedBytes: null, usedPct: null, level: 'warning' };
        return failed;
      }))),
      this.memUsedPct().catch((e: unknown) => { note(e, 'memory check'); return null; }),
      this.backlog().catch((e: unknown) => { note(e, 'ingest backlog check'); return null; }),
    ]);
    if (backlog?.problem) problems.push(backlog.problem);
    let load: number[] = [];
    try { load = (this.opts.loadavg ?? loadavg)(); } catch { /* not on this platform */ }
    return {
      disks,
      backlog: backlog && { dir: backlog.dir, exists: backlog.exists, files: backlog.files, oldestAgeSec: backlog.oldestAgeSec },
      load,
      memUsedPct,
      problem: problems.length > 0 ? problems.join('; ') : null,
    };
  }

  private async disk(path: string, mountsP: Promise<MountUsage[] | null>): Promise<Disk> {
    // Cheap, but never more than one stat per path in flight (a hung mount would pile them up).
    const info = await this.calls.run(`path ${path}`, 10_000, () => resolvePath(path));
    if (!info) return { path, mount: null, exists: false, sizeBytes: null, usedBytes: null, usedPct: null, level: 'missing' };
    const usage = await this.calls.run(`statfs ${info.real}`, this.opts.usageTtlMs ?? 10_000, () => statfsUsage(info.real));
    return {
      path, mount: await this.mountOf(info, mountsP), exists: true,
      sizeBytes: usage.size, usedBytes: usage.used, usedPct: usage.use,
      level: diskLevel(usage.use, this.opts.thresholds),
    };
  }

  /** df's mount for the path when it is really the path's filesystem, else found by walking up. */
  private async mountOf(info: PathInfo, mountsP: Promise<MountUsage[] | null>): Promise<string> {
    const mounts = await mountsP;
    const listed = mounts ? mountFor(info.real, mounts) : null;
    if (listed && (await this.sameDevice(listed.mount, info.dev))) return listed.mount;
    return this.calls.run(`mount of ${info.real}`, 60_000, () => mountByWalk(info.real));
  }

  private async sameDevice(mount: string, dev: number): Promise<boolean> {
    const st = await this.calls.run(`stat ${mount}`, 60_000, () => stat(mount));
    return st.dev === dev;
  }

  private async memUsedPct(): Promise<number | null> {
    // os.freemem() is the kernel's MemAvailable, read in-line: no file open, nothing to guard.
    const m = this.opts.mem ? await this.opts.mem() : { total: totalmem(), available: freemem() };
    if (!m.total) return null;
    return Math.round((10_000 * (m.total - m.available)) / m.total) / 100;
  }

  private async backlog(): Promise<BacklogResult | null> {
    const dir = this.opts.incoming;
    if (!dir) return null;
    const max = this.opts.backlogMaxEntries;
    return this.calls.run('backlog', this.opts.backlogTtlMs ?? 10_000, () => scanBacklog(dir, max ? { maxEntries: max } : {}));
  }
}

async function resolvePath(path: string): Promise<PathInfo | null> {
  try {
    const real = await realpath(path);
    return { real, dev: (await stat(real)).dev };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
}

async function defaultFsSize(): Promise<MountUsage[]> {
  // Loaded on first use: ~750 KB of code that start-up would otherwise parse before the first frame.
  const { default: si } = await import('systeminformation');
  const rows = await si.fsSize();
  return rows.map((r) => ({ mount: r.mount, size: r.size, used: r.used, available: r.available, use: r.use }));
}
