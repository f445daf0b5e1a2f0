/** @jsxRuntime automatic */
// The demo driven through the console itself: the production App, poller, reader and actions on
// the embedded database and the demo unit manager. `+` and `y` start a third simulated worker
// that claims tasks; `3`, `r` and `y` on a failure retry that row in the embedded database.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { createConsoleActions } from '../src/actions/console-actions-adapter.js';
import { configSchema } from '../src/config/schema.js';
import { createDbReader } from '../src/data/flavours/create-reader.js';
import { LogBuffer } from '../src/data/logs/log-buffer.js';
import { Poller } from '../src/data/poller.js';
import type { DbReader } from '../src/data/sources.js';
import { demoConfig } from '../src/demo/demo-runtime.js';
import { startDemo, type Demo } from '../src/demo/start-demo.js';
import { buildRuntime, type Runtime } from '../src/runtime/production-runtime.js';
import { App } from '../src/ui/app.js';
import { resolveKeymap } from '../src/ui/keymap.js';
import { fastTimings } from './helpers/demo-fixtures.js';
import { pgliteTemplate } from './helpers/embedded-server.js';
import { waitUntil } from './helpers/wait-until.js';

let demo: Demo;
let runtime: Runtime;
let poller: Poller;
let ui: ReturnType<typeof render>;
const frame = () => ui.lastFrame() ?? '';
const see = (what: RegExp) => waitUntil(() => what.test(frame()), { timeoutMs: 15_000, what: `${what} on screen; last frame:\n${frame()}` });
const press = (key: string) => { ui.stdin.write(key); };

before(async () => {
  // No new failures: the seeded ones stay put, so the selection cannot move under the keys.
  demo = await startDemo({ flavour: 'dsa110-v2', dataDir: null, loadDataDir: await pgliteTemplate(), timings: { ...fastTimings, failureScale: 0 } });
  const config = demoConfig(configSchema.parse({ color: false, refreshSec: 0.3 }), demo.url, demo.flavour);
  runtime = buildRuntime(config, { units: demo.units, logs: demo.logs, onClose: demo.stop });
  let reader: DbReader | null = null;
  const connect = async (): Promise<DbReader> => (reader ??= await createDbReader(runtime.pool, config));
  poller = new Poller({ db: connect, units: runtime.units, host: runtime.host }, { intervalMs: 300 });
  const logs = new LogBuffer(2000);
  runtime.logs.follow((lines) => logs.append(lines), () => undefined);
  const actions = createConsoleActions({ config, pool: runtime.pool, units: runtime.units, flavour: () => reader?.flavour ?? null });
  ui = render(
    <App config={config} keymap={resolveKeymap(config)} poller={poller} logs={logs} actions={actions}
      reader={{ taskDetail: async (q, id) => (await connect()).taskDetail(q, id), browse: async (q) => (await connect()).browse(q) }}
      target={demo.url} onQuit={() => undefined} size={{ columns: 160, rows: 50 }} />,
  );
  poller.start();
});

after(async () => {
  ui?.unmount();
  await poller?.stop();
  await runtime?.close();
});

test('+ then y starts worker 3, and it claims tasks', async () => {
  await see(/2\/2 workers active/);
  press('+');
  await see(/\(demo\) systemctl start dsa110-absurd-worker@3\.service/);
  press('y');
  await see(/scaled workers on this host to 3/);
  const unit = (await demo.units.list()).units.find((u) => u.name === 'dsa110-absurd-worker@3.service');
  assert.equal(unit?.active, 'active');
  await waitUntil(async () => (await runtime.pool.query(`SELECT 1 FROM absurd.tasks WHERE worker_id = $1`, [unit!.workerId])).rowCount,
    { timeoutMs: 10_000, what: 'a task claimed by worker 3' });
  await see(/3\/3 workers active/);
});

test('r then y on a failure retries that row in the embedded database', async () => {
  // Freeze the pipeline so the retried row stays visibly "retrying".
  for (const n of [1, 2, 3]) await demo.units.run('stop', { name: `dsa110-absurd-worker@${n}.service`, host: null });
  const failed = new Set((await runtime.pool.query<{ id: string }>(`SELECT task_id::text AS id FROM absurd.tasks WHERE status = 'failed'`)).rows.map((r) => r.id));
  assert.ok(failed.size > 0, 'the seeded history has failures');
  press('3');
  await see(/▸/);
  press('r');
  await see(/absurd\.retry_task/);
  press('y');
  await see(/\[ ok \] retried 1 of 1 task/);
  const { rows } = await runtime.pool.query<{ id: string; status: string }>(`SELECT task_id::text AS id, status FROM absurd.tasks WHERE status = 'retrying'`);
  assert.equal(rows.length, 1, JSON.stringify(rows));
  assert.ok(failed.has(rows[0]!.id), 'the retried row is one of the failures that were on screen');
});
