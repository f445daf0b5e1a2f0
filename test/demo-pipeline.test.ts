// The simulated pipeline on the embedded database: seeded history, workers that move tasks
// through each flavour's own functions with the flavour's worker ids, an emergency stop that
// freezes everything and leaves claimed tasks claimed, and a retry through the production
// action that a restarted worker then picks up.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import pg from 'pg';
import { retryTasks } from '../src/actions/db/index.js';
import { emergencyStop } from '../src/actions/units/index.js';
import { configSchema } from '../src/config/schema.js';
import type { Flavour } from '../src/data/snapshot.js';
import { flavourOps } from '../src/demo/flavour-ops.js';
import { startDemo, type Demo } from '../src/demo/start-demo.js';
import { fastTimings } from './helpers/demo-fixtures.js';
import { pgliteTemplate } from './helpers/embedded-server.js';
import { waitUntil } from './helpers/wait-until.js';

const host = hostname().split('.')[0];
const config = configSchema.parse({});

const countsSql: Record<Flavour, string> = {
  'dsa110-v2': `SELECT status, count(*)::int AS n FROM absurd.tasks WHERE queue_name = 'dsa110-pipeline' GROUP BY 1`,
  'dsa110-v1': `SELECT status, count(*)::int AS n FROM absurd.t_tasks WHERE queue_name = 'dsa110-pipeline' GROUP BY 1`,
  absurd: `SELECT state AS status, count(*)::int AS n FROM absurd."t_dsa110-pipeline" GROUP BY 1`,
};
const workersSql: Record<Flavour, string> = {
  'dsa110-v2': 'SELECT DISTINCT worker_id AS w FROM absurd.tasks WHERE worker_id IS NOT NULL',
  'dsa110-v1': 'SELECT DISTINCT worker_id AS w FROM absurd.t_tasks WHERE worker_id IS NOT NULL',
  absurd: 'SELECT DISTINCT claimed_by AS w FROM absurd."r_dsa110-pipeline" WHERE claimed_by IS NOT NULL',
};

async function counts(pool: pg.Pool, flavour: Flavour): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(countsSql[flavour]);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

describe('simulated pipeline on dsa110-v2', () => {
  let demo: Demo;
  let pool: pg.Pool;
  before(async () => {
    demo = await startDemo({ flavour: 'dsa110-v2', dataDir: null, loadDataDir: await pgliteTemplate(), timings: fastTimings });
    pool = new pg.Pool({ connectionString: demo.url, max: 2 });
  });
  after(async () => {
    await pool?.end();
    await demo?.stop();
  });

  test('a fresh demo has an hour of history and a queue nobody consumes', async () => {
    const { rows } = await pool.query<{ queue_name: string; status: string; oldest_min: number }>(
      `SELECT queue_name, status, (extract(epoch FROM now() - min(created_at)) / 60)::int AS oldest_min
         FROM absurd.tasks WHERE created_at < now() - interval '5 minutes' GROUP BY 1, 2`);
    const seen = new Map(rows.map((r) => [`${r.queue_name}/${r.status}`, r.oldest_min]));
    assert.ok((seen.get('dsa110-pipeline/completed') ?? 0) >= 50, JSON.stringify(rows));
    assert.ok(seen.has('dsa110-pipeline/failed'), JSON.stringify(rows));
    assert.ok((seen.get('dsa110-monitoring/pending') ?? 0) >= 50, JSON.stringify(rows));
  });

  test('workers claim and finish tasks, with realistic errors and their own worker ids', async () => {
    const before = await counts(pool, 'dsa110-v2');
    await waitUntil(async () => {
      const now = await counts(pool, 'dsa110-v2');
      return (now.completed ?? 0) > (before.completed ?? 0) + 5 && (now.failed ?? 0) > (before.failed ?? 0);
    }, { timeoutMs: 15_000, what: 'completions and a failure' });
    const { rows } = await pool.query<{ error: string }>(`SELECT error FROM absurd.tasks WHERE status = 'failed' AND created_at > now() - interval '1 minute'`);
    assert.ok(rows.every((r) => /^(Missing calibrator registration for 3C286 at \d{4}-|OSError: \[Errno 28\] No space left on device: '\/stage\/dsa110-contimg\/raw\/ms\/|TimeoutError: imaging exceeded 3600 s|RuntimeError: )/.test(r.error)), JSON.stringify(rows));
    const units = (await demo.units.list()).units.filter((u) => u.role === 'worker');
    assert.equal(units.length, 2);
    for (const unit of units) {
      assert.match(unit.workerId ?? '', new RegExp(`^${host}-[0-9a-f]{8}$`));
      assert.ok(demo.logs.lines().some((l) => l.unit === unit.name && l.message.startsWith(`Worker ${unit.workerId} starting`)));
    }
  });

  test('an emergency stop through the production action freezes the pipeline', async () => {
    const result = await emergencyStop({ units: demo.units, config });
    assert.equal(result.status, 'ok', JSON.stringify(result));
    assert.deepEqual(result.commands, [
      '(demo) systemctl stop dsa110-mosaic-daemon.service',
      '(demo) systemctl stop dsa110-absurd-worker@2.service',
      '(demo) systemctl stop dsa110-absurd-worker@1.service',
    ]);
    const claimed = `SELECT task_id FROM absurd.tasks WHERE status = 'claimed' ORDER BY 1`;
    const frozen = [await counts(pool, 'dsa110-v2'), (await pool.query(claimed)).rows];
    // Nothing is left running that could change a row (tasks in hand stay claimed); give a
    // stray timer a moment to prove it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual([await counts(pool, 'dsa110-v2'), (await pool.query(claimed)).rows], frozen);
    assert.ok((await demo.units.list()).units.every((u) => u.active === 'inactive' && u.mainPid === null));
  });

  test('retry through the production action, then a started worker picks the task up', async () => {
    const { rows } = await pool.query<{ task_id: string }>(`SELECT task_id::text FROM absurd.tasks WHERE status = 'failed' AND attempt < max_retries LIMIT 1`);
    const taskId = rows[0]!.task_id;
    const result = await retryTasks({ pool, flavour: 'dsa110-v2', config }, { queue: 'dsa110-pipeline', taskIds: [taskId] });
    assert.equal(result.status, 'ok', JSON.stringify(result));
    const status = async () => (await pool.query(`SELECT status, attempt FROM absurd.tasks WHERE task_id = $1`, [taskId])).rows[0];
    assert.equal((await status()).status, 'retrying');
    const outcome = await demo.units.run('start', { name: 'dsa110-absurd-worker@1.service', host: null });
    assert.equal(outcome.ok, true);
    await waitUntil(async () => (await status()).attempt === 2, { timeoutMs: 10_000, what: 'the retried task claimed again' });
  });
});

test('demo retention deletes old finished tasks only, with each flavour\'s means', async (t) => {
  for (const flavour of ['dsa110-v2', 'absurd'] as const) {
    const demo = await startDemo({ flavour, dataDir: null, loadDataDir: await pgliteTemplate(), timings: fastTimings, workers: 0 });
    const pool = new pg.Pool({ connectionString: demo.url, max: 2 });
    t.after(async () => { await pool.end(); await demo.stop(); });
    await demo.units.shutdown();  // nothing moves while we count
    const before = await counts(pool, flavour);
    await flavourOps(flavour).prune(pool, 'dsa110-pipeline', 30 * 60);
    const after = await counts(pool, flavour);
    assert.ok((after.completed ?? 0) < (before.completed ?? 0), `${flavour}: ${JSON.stringify([before, after])}`);
    assert.equal(after.pending ?? 0, before.pending ?? 0);
  }
});

for (const flavour of ['absurd', 'dsa110-v1'] as const) {
  describe(`simulated pipeline on ${flavour}`, () => {
    let demo: Demo;
    let pool: pg.Pool;
    before(async () => {
      demo = await startDemo({ flavour, dataDir: null, loadDataDir: await pgliteTemplate(), timings: fastTimings, seed: false });
      pool = new pg.Pool({ connectionString: demo.url, max: 2 });
    });
    after(async () => {
      await pool?.end();
      await demo?.stop();
    });

    test('workers move tasks under the flavour\'s worker ids', async () => {
      await waitUntil(async () => ((await counts(pool, flavour)).completed ?? 0) >= 5, { timeoutMs: 15_000, what: 'completions' });
      const ids = (await pool.query<{ w: string }>(workersSql[flavour])).rows.map((r) => r.w);
      const units = (await demo.units.list()).units.filter((u) => u.role === 'worker');
      for (const unit of units) {
        // absurd workers are host:pid, and the pid is the unit's MainPID; dsa110 ones host-<8 hex>.
        const expected = flavour === 'absurd' ? `${host}:${unit.mainPid}` : unit.workerId;
        assert.equal(unit.workerId, expected);
        if (flavour !== 'absurd') assert.match(unit.workerId ?? '', new RegExp(`^${host}-[0-9a-f]{8}$`));
      }
      assert.ok(ids.some((id) => units.some((u) => u.workerId === id)), `${ids} vs ${units.map((u) => u.workerId)}`);
    });
  });
}
