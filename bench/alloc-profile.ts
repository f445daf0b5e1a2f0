// What the running console allocates, by function: V8's sampling heap profiler (collected objects
// included) attached to the built console through its inspector while it sits in a pane. Garbage
// is most of what a flowing console costs (V8's collector and its worker threads), and bytes
// allocated, unlike CPU time, do not move with the machine's load.
//
//   node --experimental-websocket --import tsx bench/alloc-profile.ts [--seconds 60] [--tasks 100000] [--flow 3] [--phase flowing|idle] [--save file.heapprofile] [--survivors]
//
// The console runs as in bench/idle-cost.ts (120x40 tmux pane, refresh 2 s, fake systemctl and
// journalctl). After warm-up it is sent SIGUSR1, which opens its inspector on 127.0.0.1:9229
// (nothing else may use that port); the bench samples every allocation for --seconds and prints
// bytes per refresh, by package and by function.
import { writeFileSync } from 'node:fs';
import { benchDatabase, benchQueue, builtCli, consoleWorld, ensureBuilt, machineLine, numberArg, poll, sleep, startFlow, table, Tmux } from './lib/harness.js';

interface SampledNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: SampledNode[] }

const argv = process.argv.slice(2);
const seconds = numberArg(argv, 'seconds', 60);
const tasks = numberArg(argv, 'tasks', 100_000);
const flowPerSec = numberArg(argv, 'flow', 3);
const phase = argv.includes('--phase') ? argv[argv.indexOf('--phase') + 1] : 'flowing';
const refreshSec = 2;
// --save <file>: also write the raw sampled profile (DevTools' .heapprofile) for a closer look.
const saveTo = argv.includes('--save') ? argv[argv.indexOf('--save') + 1] : null;
// --survivors: only what outlived a young-generation collection (copied, then promoted or kept):
// what the scavenger pays for, and what fills the old generation for the mark-compactor.
const survivorsOnly = argv.includes('--survivors');

/** One inspector session over the DevTools protocol. */
async function inspect(): Promise<{ post(method: string, params?: object): Promise<any>; close(): void }> {
  let targets: { webSocketDebuggerUrl: string }[] | null = null;
  for (let tries = 0; !targets; tries++) {
    try { targets = (await (await fetch('http://127.0.0.1:9229/json/list')).json()) as { webSocketDebuggerUrl: string }[]; } catch (error) {
      if (tries > 100) throw new Error(`the console's inspector did not open on 127.0.0.1:9229: ${String(error)}`);
      await sleep(100);
    }
  }
  const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  };
  return {
    post: (method, params = {}) => new Promise((resolve) => { const n = ++id; waiting.set(n, resolve); socket.send(JSON.stringify({ id: n, method, params })); }),
    close: () => socket.close(),
  };
}

function bucket(url: string): string {
  if (!url) return '(native)';
  if (url.includes('/dist/bin/')) return 'absurd-top bundle';
  if (url.startsWith('node:')) return 'node core';
  return url;
}

async function main(): Promise<void> {
  if (typeof WebSocket === 'undefined') throw new Error('run with node --experimental-websocket (Node 20)');
  ensureBuilt();
  process.stdout.write(`allocation profile: phase ${phase}, ${seconds} s, ${tasks} tasks, flow ${flowPerSec}/s; ${machineLine()}\n`);
  const db = await benchDatabase(tasks);
  const world = await consoleWorld();
  const tmux = new Tmux();
  try {
    const pid = tmux.start('absurd', [builtCli, '-d', db.url, '--refresh', String(refreshSec), '-c', world.configFile], world.env, 120, 40);
    await poll(() => tmux.capture('absurd').includes(benchQueue), 60_000, 100, 'live data');
    await sleep(60_000); // past start-up and the seed's newest tasks' first minute
    const flow = phase === 'flowing' ? startFlow(db.pool, flowPerSec, world.journal) : null;
    if (flow) await sleep(3000);
    process.kill(pid, 'SIGUSR1');
    const session = await inspect();
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !survivorsOnly });
    await sleep(seconds * 1000);
    const { profile } = await session.post('HeapProfiler.stopSampling') as { profile: { head: SampledNode } };
    session.close();
    await flow?.stop();
    if (saveTo) writeFileSync(saveTo, JSON.stringify(profile));
    const refreshes = seconds / refreshSec;
    const byBucket = new Map<string, number>();
    const byFunction = new Map<string, number>();
    const byCallers = new Map<string, number>();
    let total = 0;
    const name = (node: SampledNode) => `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop() ?? ''}:${node.callFrame.lineNumber + 1}`;
    const walk = (node: SampledNode, callers: string[]): void => {
      const fn = name(node);
      byBucket.set(bucket(node.callFrame.url), (byBucket.get(bucket(node.callFrame.url)) ?? 0) + node.selfSize);
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + node.selfSize);
      // Built-ins (Map#set, Object.entries, …) say little alone: who called them, two levels up.
      const site = [fn, ...callers.slice(-2).reverse()].join(' < ');
      byCallers.set(site, (byCallers.get(site) ?? 0) + node.selfSize);
      total += node.selfSize;
      node.children.forEach((child) => walk(child, [...callers, fn]));
    };
    walk(profile.head, []);
    const rows = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
      .map(([k, bytes]) => [k, (bytes / refreshes / 1024).toFixed(1)]);
    process.stdout.write(`${survivorsOnly ? 'survived a scavenge:' : 'allocated'} ${(total / refreshes / 1024).toFixed(0)} KB per refresh (${(total / seconds / 1024).toFixed(0)} KB/s)\n\n`);
    process.stdout.write(`${table(['where', 'KB per refresh'], rows(byBucket, 10))}\n\n`);
    process.stdout.write(`${table(['function', 'KB per refresh'], rows(byFunction, 30))}\n\n`);
    process.stdout.write(`${table(['function < caller < its caller', 'KB per refresh'], rows(byCallers, 30))}\n`);
  } finally {
    tmux.kill();
    await world.cleanup();
    await db.drop();
  }
}

await main();
