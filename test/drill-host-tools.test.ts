// Drill: systemctl and journalctl missing, denied or hanging, seen from the operator's seat. The
// sources' own behaviour is unit-tested (test/units-*.test.ts, test/journal-follower.test.ts);
// this drill runs the built console in tmux with the fakes in those modes and checks that the
// panes say what is wrong and the UI stays responsive: database data keeps refreshing and a key
// (? for help) is answered at once, even while every systemctl call hangs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { seedFlavour } from './helpers/seed.js';
import { spawnPending } from './helpers/action-fixtures.js';
import { waitUntil } from './helpers/wait-until.js';
import { problemLogLine } from '../src/data/logs/index.js';
import { JOURNAL_GROUP_FIX, explainJournalStderr } from '../src/data/logs/journal-follower.js';
import { builtCli, consoleWorld, ensureBuilt, Tmux, type ConsoleWorld } from '../bench/lib/harness.js';

let db: TestDatabase;
let world: ConsoleWorld;
let tmux: Tmux;
const queue = 'dsa110-pipeline';

before(async () => {
  ensureBuilt({ allowTypeErrors: true });
  db = await createTestDatabase({ flavour: 'dsa110-v2' });
  await seedFlavour(db.pool, 'dsa110-v2', queue);
  world = await consoleWorld();
  // Short command timeouts keep the drill quick; the defaults are 5 s.
  writeFileSync(world.configFile, JSON.stringify({ disks: { paths: ['/'], incoming: null }, units: { commandTimeoutMs: 1000 } }));
  tmux = new Tmux();
});

after(async () => {
  tmux?.kill();
  await world?.cleanup();
  await db?.drop();
});

const pendingCount = (screen: string): number | null => {
  const m = /(\d+) pending · \d+ running/.exec(screen);
  return m ? Number(m[1]) : null;
};

let sessions = 0;
async function startConsole(env: NodeJS.ProcessEnv): Promise<{ name: string; screen: () => string }> {
  const name = `h${++sessions}`;
  tmux.start(name, [process.execPath, builtCli, '-d', db.url, '-c', world.configFile, '--refresh', '1'], { ...world.env, ...env }, 120, 40);
  const screen = () => tmux.capture(name);
  await waitUntil(() => pendingCount(screen()) !== null, { what: `live data; screen:\n${screen()}`, timeoutMs: 30_000, intervalMs: 100 });
  return { name, screen };
}

/** The database keeps refreshing and a key is answered while a tool hangs. */
async function assertResponsive(name: string, screen: () => string): Promise<void> {
  const before = pendingCount(screen())!;
  await spawnPending(db.pool, 'dsa110-v2', queue);
  await waitUntil(() => (pendingCount(screen()) ?? 0) > before, { what: `the new task counted; screen:\n${screen()}`, timeoutMs: 15_000, intervalMs: 100 });
  tmux.sendKeys(name, '?');
  // The overlay lists every command with its description (the footer never shows these words).
  // Not a speed test (bench/keys.ts measures that): a console blocked on a hanging tool would
  // answer only after its 60 s hang, far past this bound even on a loaded machine.
  await waitUntil(() => /Pause or resume refreshing/.test(screen()), { what: `the help overlay; screen:\n${screen()}`, timeoutMs: 10_000, intervalMs: 20 });
  tmux.sendKeys(name, 'q');
}

describe('hanging tools', () => {
  test('systemctl and journalctl hang: the workers pane says systemctl timed out, the UI stays live', async () => {
    const { name, screen } = await startConsole({ FAKE_SYSTEMCTL_MODE: 'hang', FAKE_SYSTEMCTL_HANG_MS: '60000', FAKE_JOURNALCTL_MODE: 'hang' });
    await waitUntil(() => /did not answer within 1000 ms/.test(screen()), { what: `the systemctl timeout in the workers pane; screen:\n${screen()}`, timeoutMs: 20_000, intervalMs: 100 });
    await assertResponsive(name, screen);
  });
});

describe('missing and denied tools', () => {
  test('no systemctl and no journalctl on PATH: both panes say so, the UI stays live', async () => {
    const bin = join(world.dir, 'bare-bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, 'node'));
    try {
      const { name, screen } = await startConsole({ PATH: `${bin}:/nonexistent` });
      await waitUntil(() => /systemctl not found/.test(screen()), { what: `"systemctl not found"; screen:\n${screen()}`, timeoutMs: 20_000, intervalMs: 100 });
      await waitUntil(() => /journalctl not found/.test(screen()), { what: `"journalctl not found"; screen:\n${screen()}`, timeoutMs: 20_000, intervalMs: 100 });
      await assertResponsive(name, screen);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test('journal permission denied: the logs pane says the journal could not be opened, and the whole fix', async () => {
    const { name, screen } = await startConsole({ FAKE_JOURNALCTL_MODE: 'denied' });
    // At 120 columns the logs pane is the right column; the problem wraps there over several rows.
    const logsColumn = () => screen().split('\n').map((l) => l.slice(60).trim()).filter(Boolean).join(' ');
    // What the fake's stderr (journalctl's own words) becomes, with the fix.
    const whole = problemLogLine(explainJournalStderr('No journal files were opened due to insufficient permissions.')!, 0).message;
    assert.ok(whole.includes(JOURNAL_GROUP_FIX));
    await waitUntil(() => logsColumn().includes(whole), { what: `the journal permission problem and its fix; screen:\n${screen()}`, timeoutMs: 20_000, intervalMs: 100 });
    await assertResponsive(name, screen);
  });
});
