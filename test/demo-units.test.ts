// The demo unit manager behaves like systemd behind the same interface: the production scale
// action starts a real third simulated worker, stopping a worker mid-task leaves its task
// claimed, a worker that dies is restarted with a new id, and commands are marked as simulated.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { scaleWorkers } from '../src/actions/units/index.js';
import { configSchema } from '../src/config/schema.js';
import { DemoLogSource } from '../src/demo/demo-log-source.js';
import { DemoUnitManager } from '../src/demo/demo-unit-manager.js';
import { pipelineContext } from '../src/demo/simulated-pipeline.js';
import { startDemo, type Demo } from '../src/demo/start-demo.js';
import type { LogLine } from '../src/data/snapshot.js';
import { fastTimings } from './helpers/demo-fixtures.js';
import { pgliteTemplate } from './helpers/embedded-server.js';
import { waitUntil } from './helpers/wait-until.js';

const worker = (n: number) => ({ name: `dsa110-absurd-worker@${n}.service`, host: null });
const config = configSchema.parse({});

describe('demo unit manager', () => {
  let demo: Demo;
  let pool: pg.Pool;
  before(async () => {
    demo = await startDemo({ flavour: 'dsa110-v2', dataDir: null, loadDataDir: await pgliteTemplate(), timings: fastTimings, seed: false });
    pool = new pg.Pool({ connectionString: demo.url, max: 2 });
  });
  after(async () => {
    await pool?.end();
    await demo?.stop();
  });
  const claimedBy = async (workerId: string) =>
    (await pool.query(`SELECT task_id::text, status FROM absurd.tasks WHERE worker_id = $1`, [workerId])).rows;

  test('starts with the producer and two workers, under the production unit names', async () => {
    const { units, problem } = await demo.units.list();
    assert.equal(problem, null);
    assert.deepEqual(units.map((u) => [u.name, u.role, u.active, u.sub]), [
      ['dsa110-mosaic-daemon.service', 'producer', 'active', 'running'],
      ['dsa110-absurd-worker@1.service', 'worker', 'active', 'running'],
      ['dsa110-absurd-worker@2.service', 'worker', 'active', 'running'],
    ]);
    for (const u of units) {
      assert.ok(u.mainPid && u.since && u.memoryBytes && u.restarts === 0, JSON.stringify(u));
    }
  });

  test('commands are the systemctl lines production would run, marked as simulated', async () => {
    assert.equal(demo.units.describe('start', worker(3)), '(demo) systemctl start dsa110-absurd-worker@3.service');
    const refused = await demo.units.run('stop', { name: 'sshd.service', host: null });
    assert.equal(refused.ok, false);
    assert.match(refused.problem ?? '', /not a configured unit/);
    const readOnly = new DemoUnitManager({ ctx: pipelineContext('dsa110-v2', pool), logs: new DemoLogSource(), readOnly: true });
    const outcome = await readOnly.run('start', worker(1));
    assert.deepEqual(outcome, { ok: false, commandLine: '(demo) systemctl start dsa110-absurd-worker@1.service', problem: 'read-only mode: actions are disabled' });
  });

  test('scaling to 3 through the production action puts a third worker to work', async () => {
    const result = await scaleWorkers(3, undefined, { units: demo.units, config });
    assert.equal(result.status, 'ok', JSON.stringify(result));
    assert.deepEqual(result.commands, ['(demo) systemctl start dsa110-absurd-worker@3.service']);
    const unit = (await demo.units.list()).units.find((u) => u.name === worker(3).name);
    assert.equal(unit?.active, 'active');
    const id = unit!.workerId!;
    assert.ok(demo.logs.lines().some((l) => l.unit === worker(3).name && l.message.startsWith(`Worker ${id} starting`)));
    await waitUntil(async () => (await claimedBy(id)).length > 0, { timeoutMs: 10_000, what: `a task claimed by ${id}` });
  });

  test('stopping a worker mid-task leaves its task claimed', async () => {
    // Its own manager with slow tasks, so the worker cannot finish between the check and the stop.
    const slow = new DemoUnitManager({ ctx: pipelineContext('dsa110-v2', pool, { ...fastTimings, taskSec: [60, 60] }), logs: new DemoLogSource() });
    try {
      await slow.run('start', worker(8));
      const id = (await slow.list()).units.find((u) => u.name === worker(8).name)!.workerId!;
      await waitUntil(async () => (await claimedBy(id)).some((r) => r.status === 'claimed'), { timeoutMs: 10_000, what: 'worker 8 mid-task' });
      const outcome = await slow.run('stop', worker(8));
      assert.equal(outcome.ok, true);
      assert.deepEqual((await claimedBy(id)).map((r) => r.status), ['claimed'], 'the task stays claimed by the stopped worker');
      const after = (await slow.list()).units.find((u) => u.name === worker(8).name)!;
      assert.deepEqual([after.active, after.sub, after.mainPid, after.workerId], ['inactive', 'dead', null, null]);
    } finally {
      await slow.shutdown();
    }
  });

  test('quitting the demo hands the task in hand back, unlike a unit stop', async () => {
    const slow = new DemoUnitManager({ ctx: pipelineContext('dsa110-v2', pool, { ...fastTimings, taskSec: [60, 60] }), logs: new DemoLogSource() });
    await slow.run('start', worker(9));
    const id = (await slow.list()).units.find((u) => u.name === worker(9).name)!.workerId!;
    await waitUntil(async () => (await claimedBy(id)).some((r) => r.status === 'claimed'), { timeoutMs: 10_000, what: 'worker 9 mid-task' });
    await slow.shutdown();
    // Back to pending (the demo's own workers may well have claimed it again since).
    assert.deepEqual(await claimedBy(id), []);
    assert.equal((await slow.run('start', worker(9))).ok, false, 'nothing starts after shutdown');
  });

  test('a worker that dies leaves a stuck task and systemd restarts it with a new id', async () => {
    const lines: LogLine[] = [];
    const logs = new DemoLogSource({ flushMs: 10 });
    const stopFollowing = logs.follow((batch) => lines.push(...batch), () => undefined);
    const dying = new DemoUnitManager({ ctx: pipelineContext('dsa110-v2', pool, { ...fastTimings, dieChance: 1, restartSec: 0.2 }), logs });
    try {
      await dying.run('start', worker(7));
      const first = (await dying.list()).units.find((u) => u.name === worker(7).name)!.workerId!;
      await waitUntil(async () => {
        const u = (await dying.list()).units.find((x) => x.name === worker(7).name)!;
        return u.restarts === 1 && u.active === 'active' && u.workerId !== first;
      }, { timeoutMs: 10_000, what: 'the restart' });
      assert.ok((await claimedBy(first)).some((r) => r.status === 'claimed'), 'the dead worker\'s task stays claimed');
      await waitUntil(() => lines.some((l) => /Main process exited, code=killed, status=9\/KILL/.test(l.message))
        && lines.some((l) => /Scheduled restart job, restart counter is at 1\./.test(l.message)), { what: 'systemd lines' });
    } finally {
      stopFollowing();
      await dying.shutdown();
    }
  });
});
