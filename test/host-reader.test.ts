import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, statfs, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemHostReader, type HostReaderOptions } from '../src/data/host/system-host-reader.js';
import { diskLevel, mountFor } from '../src/data/host/disk-usage.js';
import { scanBacklog } from '../src/data/host/ingest-backlog.js';
import { GuardedCalls, withTimeout } from '../src/data/host/with-timeout.js';
import { hostSnapshotSchema } from '../src/data/snapshot.js';

const thresholds = { diskWarnPct: 80, diskCritPct: 90 };

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'absurd-top-host-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('mountFor picks the longest mount prefix on a path boundary; levels follow thresholds', () => {
  const mounts = [{ mount: '/' }, { mount: '/data' }, { mount: '/data/incoming' }, { mount: '/stage' }];
  assert.equal(mountFor('/data/incoming/x.uvh5', mounts)?.mount, '/data/incoming');
  assert.equal(mountFor('/data', mounts)?.mount, '/data');
  assert.equal(mountFor('/database', mounts)?.mount, '/', '/data is not a prefix of /database');
  assert.equal(mountFor('/stage/dsa110-contimg', mounts)?.mount, '/stage');
  assert.equal(mountFor('/x', []), null);
  assert.equal(diskLevel(79.9, thresholds), 'ok');
  assert.equal(diskLevel(80, thresholds), 'warning');
  assert.equal(diskLevel(95, thresholds), 'critical');
  assert.equal(diskLevel(null, thresholds), 'ok');
});

test('a temp directory maps to a real mount with numbers; a missing path is reported, not fatal', async (t) => {
  const dir = await tempDir(t);
  const reader = new SystemHostReader({ paths: [dir, join(dir, 'nope')], incoming: null, thresholds });
  const snap = hostSnapshotSchema.parse(await reader.snapshot());
  const [present, missing] = snap.disks;
  assert.equal(present!.exists, true);
  assert.ok(present!.mount && dir.startsWith(present!.mount), `${dir} on ${present!.mount}`);
  assert.ok(present!.sizeBytes! > 0 && present!.usedBytes! >= 0);
  assert.ok(present!.usedPct! >= 0 && present!.usedPct! <= 100);
  assert.ok(['ok', 'warning', 'critical'].includes(present!.level));
  assert.deepEqual(missing, { path: join(dir, 'nope'), mount: null, exists: false, sizeBytes: null, usedBytes: null, usedPct: null, level: 'missing' });
  assert.equal(snap.load.length, 3);
  assert.ok(snap.memUsedPct! > 0 && snap.memUsedPct! <= 100);
  assert.equal(snap.backlog, null);
  assert.equal(snap.problem, null);
});

test('paths are resolved through symlinks before the mount is chosen; usage is statfs of the path, levels use the thresholds', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'real'));
  await symlink(join(dir, 'real'), join(dir, 'link'));
  // df's figures are a minute old at worst: the numbers come from statfs, df only names the mount.
  const fsSize = async () => [
    { mount: '/', size: 1000, used: 100, available: 900, use: 10 },
    { mount: join(dir, 'real'), size: 1000, used: 950, available: 50, use: 95 },
  ];
  const s = await statfs(join(dir, 'real'));
  const used = (s.blocks - s.bfree) * s.bsize;
  const expectedPct = Math.round((10_000 * used) / (used + s.bavail * s.bsize)) / 100;
  // `real` shares the temp dir's device, so the table's row for it is trusted as is.
  const strict = { ...thresholds, diskWarnPct: 0, diskCritPct: Math.max(0, expectedPct - 0.5) };
  const reader = new SystemHostReader({ paths: [join(dir, 'link')], incoming: null, thresholds: strict, fsSize, mem: async () => ({ total: 100, available: 25 }), loadavg: () => [1, 2, 3] });
  // The first snapshot does not wait for df: the path is placed by walking up its parents.
  const first = await reader.snapshot();
  assert.notEqual(first.disks[0]!.mount, join(dir, 'real'), 'the walk finds the real filesystem\'s mount, not df\'s row');
  assert.equal(first.disks[0]!.usedPct, (await reader.snapshot()).disks[0]!.usedPct, 'same statfs figures either way');
  const snap = await reader.snapshot();
  assert.equal(snap.disks[0]!.mount, join(dir, 'real'));
  assert.ok(Math.abs(snap.disks[0]!.usedPct! - expectedPct) < 0.5, `${snap.disks[0]!.usedPct} vs statfs ${expectedPct}`);
  assert.equal(snap.disks[0]!.level, 'critical');
  assert.equal(snap.memUsedPct, 75);
  assert.deepEqual(snap.load, [1, 2, 3]);
});

test('df is asked every 10 minutes, not every refresh: mounts rarely change and df forks', async () => {
  let calls = 0;
  const fsSize = async () => { calls++; return [{ mount: '/', size: 1, used: 0, available: 1, use: 0 }]; };
  const reader = new SystemHostReader({ paths: ['/'], incoming: null, thresholds, fsSize });
  await reader.snapshot();
  assert.equal(calls, 0, 'the first snapshot (start-up) does not wait for df');
  for (let i = 0; i < 5; i++) await reader.snapshot();
  assert.equal(calls, 1);
});

test('a filesystem df does not list is measured with statfs instead of blaming /', async () => {
  // df (via systeminformation) leaves out pseudo and tmpfs filesystems; /proc is one. A prefix
  // match alone would call /proc/self part of a 100 % full /.
  const fsSize = async () => [{ mount: '/', size: 1, used: 1, available: 0, use: 100 }];
  const reader = new SystemHostReader({ paths: ['/proc/self'], incoming: null, thresholds, fsSize });
  await reader.snapshot();
  const snap = await reader.snapshot();
  assert.equal(snap.disks[0]!.mount, '/proc');
  assert.equal(snap.disks[0]!.level, 'ok');
  assert.equal(snap.problem, null);
});

test('a hung disk check times out with a problem, and the hung call is not repeated', async () => {
  let calls = 0;
  const reader = new SystemHostReader({
    paths: ['/'], incoming: null, thresholds, timeoutMs: 100,
    fsSize: () => { calls++; return new Promise(() => undefined); },
  });
  await reader.snapshot();
  const started = Date.now();
  const snap = await reader.snapshot();
  assert.ok(Date.now() - started < 2000);
  assert.match(snap.problem!, /disk check timed out/);
  // The path is still measured (statfs fallback), so the rest of the picture stays useful.
  assert.equal(snap.disks[0]!.mount, '/');
  await reader.snapshot();
  assert.equal(calls, 1, 'a second tick waits on the same hung call instead of starting another');
});

test('withTimeout and GuardedCalls: timeouts, caching and single flight', async () => {
  await assert.rejects(withTimeout(new Promise(() => undefined), 20, 'thing'), /thing timed out after 20 ms/);
  assert.equal(await withTimeout(Promise.resolve(7), 20, 'x'), 7);
  const calls = new GuardedCalls(1000);
  let n = 0;
  const fn = async () => ++n;
  const [a, b] = await Promise.all([calls.run('k', 10_000, fn), calls.run('k', 10_000, fn)]);
  assert.deepEqual([a, b, n], [1, 1, 1]);
  assert.equal(await calls.run('k', 10_000, fn), 1, 'cached');
  assert.equal(await calls.run('k', 0, fn), 2, 'expired');
  await assert.rejects(calls.run('bad', 0, async () => { throw new Error('nope'); }), /nope/);
  assert.equal(await calls.run('bad', 0, async () => 'recovered'), 'recovered', 'failures are not cached');
});

test('ingest backlog counts .uvh5/.hdf5 files and the age of the oldest', async (t) => {
  const dir = await tempDir(t);
  const incoming = join(dir, 'incoming');
  await mkdir(incoming);
  const now = Date.now();
  const files: [string, number][] = [['2024-01-15T10:00:00_sb00.hdf5', 3600], ['2024-01-15T10:05:00_sb01.uvh5', 600], ['b.HDF5', 60], ['notes.txt', 99_999], ['partial.hdf5.tmp', 99_999]];
  for (const [name, ageSec] of files) {
    const p = join(incoming, name);
    await writeFile(p, 'x');
    await utimes(p, (now - ageSec * 1000) / 1000, (now - ageSec * 1000) / 1000);
  }
  await mkdir(join(incoming, 'subdir.hdf5')); // a directory is not a waiting file
  const result = await scanBacklog(incoming, { now });
  assert.equal(result.files, 3);
  assert.ok(Math.abs(result.oldestAgeSec! - 3600) <= 1, String(result.oldestAgeSec));
  assert.equal(result.problem, null);

  const capped = await scanBacklog(incoming, { now, maxEntries: 2 });
  assert.ok(capped.files <= 2);
  assert.match(capped.problem!, /stopped counting after 2 entries/);

  assert.deepEqual(await scanBacklog(join(dir, 'absent')), { dir: join(dir, 'absent'), exists: false, files: 0, oldestAgeSec: null, problem: null });
  const empty = join(dir, 'empty');
  await mkdir(empty);
  assert.deepEqual(await scanBacklog(empty), { dir: empty, exists: true, files: 0, oldestAgeSec: null, problem: null });

  const reader = new SystemHostReader({ paths: [], incoming, thresholds });
  const snap = hostSnapshotSchema.parse(await reader.snapshot());
  assert.equal(snap.backlog?.files, 3);
  assert.equal(snap.backlog?.exists, true);
  const missingReader = new SystemHostReader({ paths: [], incoming: join(dir, 'absent'), thresholds } satisfies HostReaderOptions);
  assert.equal((await missingReader.snapshot()).backlog?.exists, false);
});
