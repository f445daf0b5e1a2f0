// A log flood: --rate lines/s (default 5,000) appended to the journal that the fake journalctl
// follows (test/fake-bin/journalctl, -o json -f, polling the file every 20 ms), for --seconds
// (default 10).
//
//   node --import tsx bench/logs.ts [--rate 5000] [--seconds 10] [--no-console]
//
// Part 1, the follower alone (this process): the production JournalLogSource into a LogBuffer of
//   logs.bufferLines (5,000): lines received vs sent, whether the buffer holds exactly the newest
//   5,000 in order (nothing lost inside the window), retained heap after a forced GC.
// Part 2, the built console in a 120x40 tmux pane with the same flood: its RSS before, during
//   and after; its CPU; frames per second, counted from the bytes it writes to the terminal
//   (tmux pipe-pane; a frame = a burst of output after >= 25 ms of silence, sampled every 5 ms);
//   and whether the last frame shows the last line sent (not falling behind).
import { appendFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { configSchema } from '../src/config/schema.js';
import { JournalLogSource, journalOptionsFromConfig } from '../src/data/logs/journal-follower.js';
import { LogBuffer } from '../src/data/logs/log-buffer.js';
import { journalEntry, setupFakeJournal } from '../test/helpers/fake-journal.js';
import {
  benchDatabase, consoleArgv, consoleWorld, cpuTicks, clockTicks, ensureBuilt, machineLine, numberArg, poll, rssKb, sleep, table, Tmux,
} from './lib/harness.js';

const argv = process.argv.slice(2);
const rate = numberArg(argv, 'rate', 5000);
const seconds = numberArg(argv, 'seconds', 10);
const withConsole = !argv.includes('--no-console');
const units = ['dsa110-mosaic-daemon.service', 'dsa110-absurd-worker@1.service', 'dsa110-absurd-worker@2.service', 'dsa110-absurd-worker@3.service'];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Appends `rate` lines a second in 10 ms batches for `seconds`; returns how many it wrote. */
async function flood(file: string, tag: string): Promise<number> {
  const perBatch = Math.round(rate / 100);
  const start = performance.now();
  let sent = 0;
  for (let batch = 0; batch < seconds * 100; batch++) {
    const lines: string[] = [];
    for (let i = 0; i < perBatch; i++) {
      sent++;
      lines.push(JSON.stringify(journalEntry({
        MESSAGE: `${tag} line ${sent} processing group 2026-01-01T00:00:00 subband ${sent % 16}`,
        _SYSTEMD_UNIT: units[sent % units.length], PRIORITY: sent % 97 === 0 ? '3' : '6',
        __REALTIME_TIMESTAMP: String(Date.now() * 1000),
      })));
    }
    appendFileSync(file, `${lines.join('\n')}\n`);
    const wait = start + (batch + 1) * 10 - performance.now();
    if (wait > 0) await sleep(wait);
  }
  return sent;
}

async function followerAlone(): Promise<(string | number)[][]> {
  const journal = await setupFakeJournal({});
  const config = configSchema.parse({});
  const buffer = new LogBuffer(config.logs.bufferLines);
  let received = 0;
  let problems = 0;
  const source = new JournalLogSource({ ...journalOptionsFromConfig(config), env: journal.env });
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const stop = source.follow((lines) => { received += lines.length; buffer.append(lines); }, (p) => { if (p) problems++; });
  try {
    await sleep(300); // journalctl started
    const sent = await flood(journal.linesFile, 'follower');
    await poll(() => received >= sent, 30_000, 20, 'every line received').catch(() => undefined);
    const held = buffer.tail(buffer.capacity);
    const expectedFirst = sent - buffer.capacity + 1;
    const inOrder = held.every((l, i) => l.message.startsWith(`follower line ${expectedFirst + i} `));
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    return [
      ['lines sent', sent],
      ['lines received by the follower', received],
      ['lost', sent - received],
      ['buffer holds (capacity)', `${buffer.size} (${buffer.capacity})`],
      ['buffer = the newest lines, in order', inOrder ? 'yes' : `no (first held: ${held[0]?.message.slice(0, 40)})`],
      ['retained heap after GC, growth (MB)', ((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)],
      ['follower problems reported', problems],
    ];
  } finally {
    stop();
    await journal.cleanup();
  }
}

async function consoleFlood(): Promise<(string | number)[][]> {
  ensureBuilt();
  const db = await benchDatabase(10_000);
  const world = await consoleWorld({ journalLines: 0 });
  const tmux = new Tmux();
  const out = mkdtempSync(join(tmpdir(), 'absurd-top-logs-'));
  const bytesFile = join(out, 'pane.bytes');
  try {
    const pid = tmux.start('logs', [...consoleArgv(), '-d', db.url, '--refresh', '2', '-c', world.configFile], world.env);
    await poll(() => tmux.capture('logs').includes('absurd-top'), 15_000, 50, 'the first frame');
    await sleep(3000); // settle: first data, first refreshes
    tmux.pipe('logs', bytesFile);
    const rssStart = rssKb(pid);
    const ticksStart = cpuTicks(pid);
    let rssMax = rssStart;
    // Frame counter: output bursts separated by >= 25 ms of silence, sampled every 5 ms.
    let frames = 0;
    let lastSize = 0;
    let lastGrowth = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const size = existsSync(bytesFile) ? statSync(bytesFile).size : 0;
        const now = performance.now();
        if (size > lastSize) {
          if (now - lastGrowth >= 25) frames++;
          lastGrowth = now;
          lastSize = size;
        }
        rssMax = Math.max(rssMax, rssKb(pid));
        await sleep(5);
      }
    })();
    const t0 = performance.now();
    const sent = await flood(world.journal.linesFile, 'console');
    const floodSeconds = (performance.now() - t0) / 1000;
    const ticks = cpuTicks(pid) - ticksStart;
    // Not falling behind: the newest line appears on screen soon after the flood stops.
    const caughtUp = await poll(() => tmux.capture('logs').includes(`console line ${sent} `), 10_000, 50, 'the last line on screen')
      .then(() => (performance.now() - t0) / 1000 - floodSeconds, () => NaN);
    sampling = false;
    await sampler;
    await sleep(2000);
    const rssAfter = rssKb(pid);
    return [
      ['console: lines sent', sent],
      ['console: frames/s during the flood (cap: maxFps 20, lines handed over every 100 ms)', (frames / floodSeconds).toFixed(1)],
      ['console: bytes written to the terminal / s', Math.round(lastSize / floodSeconds)],
      ['console: CPU % of one core during the flood', ((ticks / clockTicks / floodSeconds) * 100).toFixed(1)],
      ['console: RSS before / max / 2 s after (MB)', `${(rssStart / 1024).toFixed(1)} / ${(rssMax / 1024).toFixed(1)} / ${(rssAfter / 1024).toFixed(1)}`],
      ['console: last line on screen after the flood (s)', Number.isNaN(caughtUp) ? 'not within 10 s (the logs pane may show fewer lines)' : caughtUp.toFixed(2)],
    ];
  } finally {
    tmux.kill();
    await world.cleanup();
    await db.drop();
    rmSync(out, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  process.stdout.write(`log flood: ${rate} lines/s for ${seconds} s; ${machineLine()}\n`);
  const rows = await followerAlone();
  if (withConsole) rows.push(...await consoleFlood());
  process.stdout.write(`${table(['figure', 'value'], rows)}\nafter: ${machineLine()}\n`);
}

await main();
