// Runs one embedded test database in a worker thread: PGlite loaded from the initdb tarball at
// workerData.template, served by the demo's server. A thread of its own, because many tests
// block their own event loop (spawnSync of tmux or the CLI, polling /proc): an in-process
// server would starve, and the console under test would see a database that never answers.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { servePglite } from '../../src/demo/pglite-server.js';

const { template } = workerData as { template: string };
const db = await PGlite.create({ loadDataDir: new Blob([new Uint8Array(readFileSync(template))]) });
const server = await servePglite(db);
parentPort!.postMessage({ url: server.url });
parentPort!.once('message', async () => {
  await server.close();
  await db.close().catch(() => undefined);
  parentPort!.postMessage({ stopped: true });
});
