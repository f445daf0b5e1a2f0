// The ingest backlog: how many .uvh5/.hdf5 files wait in the incoming directory, and how old
// the oldest is. The directory can hold tens of thousands of entries, so it is streamed
// (opendir), only matching files are stat'ed, and the walk stops after `maxEntries`.
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface BacklogResult {
  dir: string;
  exists: boolean;
  files: number;
  oldestAgeSec: number | null;
  problem: string | null;
}

const DATA_FILE = /\.(uvh5|hdf5)$/i;

export async function scanBacklog(dir: string, opts: { maxEntries?: number; now?: number } = {}): Promise<BacklogResult> {
  const maxEntries = opts.maxEntries ?? 100_000;
  let handle;
  try {
    handle = await opendir(dir, { bufferSize: 256 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { dir, exists: false, files: 0, oldestAgeSec: null, problem: null };
    return { dir, exists: true, files: 0, oldestAgeSec: null, problem: `incoming ${dir}: ${code ?? String(error)}` };
  }
  let seen = 0;
  let files = 0;
  let oldest = Infinity;
  let capped = false;
  let batch: string[] = [];
  // Stat in small parallel batches: fast on local disks without flooding the thread pool.
  const flush = async (): Promise<void> => {
    const times = await Promise.all(batch.map((name) => stat(join(dir, name)).then((s) => (s.isFile() ? s.mtimeMs : null), () => null)));
    for (const t of times) {
      if (t === null) continue; // vanished between readdir and stat: it was just ingested
      files++;
      if (t < oldest) oldest = t;
    }
    batch = [];
  };
  try {
    for await (const entry of handle) {
      if (++seen > maxEntries) { capped = true; break; }
      if ((entry.isFile() || entry.isSymbolicLink()) && DATA_FILE.test(entry.name)) {
        batch.push(entry.name);
        if (batch.length >= 64) await flush();
      }
    }
    await flush();
  } catch (error) {
    return { dir, exists: true, files, oldestAgeSec: null, problem: `incoming ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const now = opts.now ?? Date.now();
  return {
    dir,
    exists: true,
    files,
    oldestAgeSec: files > 0 ? Math.max(0, Math.round((now - oldest) / 1000)) : null,
    problem: capped ? `incoming ${dir}: stopped counting after ${maxEntries} entries (backlog is at least ${files} files)` : null,
  };
}
