/** @jsxRuntime automatic */
// CPU per frame of the dashboard at 120x40, through Ink's real render path (React, layout, the
// output grid, the frame string) into a fake terminal: what one changed frame costs the console.
// Two runs side by side: Ink as published (this file under tsx), and Ink as the bin bundles it
// (scripts/ink-fixes.mjs: caches kept across frames), this same file bundled with esbuild.
//
//   node --import tsx bench/frame-cost.tsx [--frames 300] [--scene counts|flowing] [--bundled-only] [--alloc] [--cpu-prof dir]
//
// --alloc also samples every allocation of the measured frames (V8's sampling heap profiler,
// collected objects included): bytes allocated per frame, deterministic where CPU time is not
// on a shared machine, and the functions that allocate most. CPU then includes the sampling.
//
// --cpu-prof writes a V8 CPU profile of the bundled run into dir (whole run, warm-up included).
//
// Scenes: `counts` changes one number a frame (pending); `flowing` is a refresh while tasks flow:
// the clock moves 2 s a frame (ages under a minute change), a log line arrives (the logs pane
// scrolls) and the pending count changes.
import './lib/force-colour.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { useState } from 'react';
import { render } from 'ink';
import { Dashboard } from '../src/ui/panes/dashboard.js';
import { busySnapshot, dashboardProps, NOW, sampleLogs, testConfig } from '../test/helpers/snapshot-fixtures.js';

const framesAt = process.argv.indexOf('--frames');
const frames = framesAt > 0 ? Number(process.argv[framesAt + 1]) : 300;
const sceneAt = process.argv.indexOf('--scene');
const scene = sceneAt > 0 ? process.argv[sceneAt + 1]! : 'counts';
const label = process.env.FRAME_COST_LABEL ?? 'Ink as published (tsx)';
process.env.NODE_ENV = 'production';
let bytes = 0;
let writes = 0;
const stdout = Object.assign(new Writable({ write(chunk, _enc, done) { bytes += chunk.length; writes++; done(); } }), { columns: 120, rows: 40, isTTY: true });
const size = { columns: 120, rows: 40 };
const snapshotAt = (i: number) => {
  const s = busySnapshot(NOW);
  // Every frame changes something an operator sees: the pending count.
  return { ...s, db: { ...s.db!, queues: s.db!.queues.map((q, k) => (k === 0 ? { ...q, live: { ...q.live, pending: 100 + i } } : q)) } };
};
// The newest 40 lines after i arrivals: a line keeps its text as it scrolls up, as in a journal.
const kinds = sampleLogs(NOW, 7);
const logsAt = (i: number) => Array.from({ length: 40 }, (_, k) => {
  const seq = i + k;
  const kind = kinds[seq % kinds.length]!;
  return { ...kind, seq, time: NOW + seq * 2000, message: `${kind.message.replace(/ #\d+$/, '')} #${seq}` };
});
// In colour, as operators run it (NO_COLOR unset): styled segments are most of a frame's work.
const config = testConfig({ color: true });
const propsAt = (i: number) => (scene === 'flowing'
  ? dashboardProps({ hostname: 'lxd110h17', size, config, snapshot: snapshotAt(i), logs: logsAt(i), now: NOW + i * 2000 }, NOW + i * 2000)
  : dashboardProps({ hostname: 'lxd110h17', size, config, snapshot: snapshotAt(i) }));

// Frames come from a state update inside the tree, as in the console (src/ui/app.tsx), not from
// Ink's rerender(), which also gives every <Text> a new accessibility context and so re-renders
// all ~500 of them, memoised lines or not.
let show: (i: number) => void = () => {};
function Driver() {
  const [i, setI] = useState(0);
  show = setI;
  return <Dashboard {...propsAt(i)} />;
}

async function measure(): Promise<void> {
  const app = render(<Driver />, { stdout: stdout as unknown as NodeJS.WriteStream, patchConsole: false, exitOnCtrlC: false, maxFps: 100_000 });
  const tick = () => new Promise((r) => setImmediate(r));
  const drawn = async (i: number) => {
    const before = writes;
    show(i);
    // Ink may defer a frame to a timer (its throttle's trailing edge): wait by the clock.
    const giveUpAt = performance.now() + 2000;
    while (writes === before && performance.now() < giveUpAt) await tick();
    if (writes === before) throw new Error(`frame ${i} was not drawn`);
  };
  for (let i = 1; i <= 30; i++) await drawn(i);
  const sampler = process.argv.includes('--alloc') ? await startAllocationSampling() : null;
  const c0 = process.cpuUsage();
  const w0 = writes;
  const b0 = bytes;
  for (let i = 31; i < 31 + frames; i++) await drawn(i);
  const c = process.cpuUsage(c0);
  const allocation = sampler ? await sampler.stop(frames) : '';
  app.unmount();
  process.stdout.write(`${label}, scene ${scene}: ${frames} frames, ${((c.user + c.system) / frames / 1000).toFixed(2)} ms CPU per frame, ${Math.round((bytes - b0) / frames)} bytes per frame (${writes - w0} writes)\n${allocation}`);
}

interface SampledNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: SampledNode[] }

async function startAllocationSampling(): Promise<{ stop(frames: number): Promise<string> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async stop(frames: number) {
      const { profile } = await session.post('HeapProfiler.stopSampling') as unknown as { profile: { head: SampledNode } };
      session.disconnect();
      const bySite = new Map<string, number>();
      const byCaller = new Map<string, number>();
      let total = 0;
      const name = (node: SampledNode) => `${node.callFrame.functionName || '(anonymous)'} :${node.callFrame.lineNumber + 1}`;
      const walk = (node: SampledNode, caller: string): void => {
        const site = name(node);
        bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
        // Built-ins (an iterator's next, Array#push) say little alone: who called them.
        byCaller.set(`${site} < ${caller}`, (byCaller.get(`${site} < ${caller}`) ?? 0) + node.selfSize);
        total += node.selfSize;
        node.children.forEach((child) => walk(child, site));
      };
      walk(profile.head, '');
      const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([site, n]) => `${(n / frames / 1024).toFixed(0)} KB ${site}`);
      return `  allocated ${(total / frames / 1024).toFixed(0)} KB per frame; most by: ${top(bySite).join(', ')}\n  by caller: ${top(byCaller).join(', ')}\n`;
    },
  };
}

const bundledOnly = process.argv.includes('--bundled-only');
if (process.env.FRAME_COST_LABEL || !bundledOnly) await measure();

if (!process.env.FRAME_COST_LABEL) {
  const { build } = await import('esbuild');
  const { inkFixes } = await import('../scripts/ink-fixes.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'frame-cost-'));
  try {
    const outfile = join(dir, 'frame-cost.mjs');
    await build({
      entryPoints: [fileURLToPath(import.meta.url)], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20',
      external: ['esbuild'], plugins: [inkFixes], logLevel: 'error', define: { 'process.env.NODE_ENV': '"production"' },
      banner: { js: "import { createRequire as absurdTopCreateRequire } from 'node:module'; const require = absurdTopCreateRequire(import.meta.url);" },
    });
    const { shebangNodeFlags } = await import('./lib/shebang.js');
    // With the bin's node flags (today the baseline compiler, --max-opt=1), as operators run it.
    const profileDir = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1]! : null;
    const run = spawnSync(process.execPath, [...shebangNodeFlags(), ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), outfile, '--frames', String(frames), '--scene', scene, ...(process.argv.includes('--alloc') ? ['--alloc'] : [])], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', FRAME_COST_LABEL: 'Ink as the bin bundles it' } });
    process.stdout.write(run.stdout + run.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
