// Shared by the benchmarks and the terminal drills: a bench database, a task flow through the
// flavour's own functions, fake systemd/journal on PATH, the built console (or htop) in a
// private tmux server, and /proc readings (CPU ticks, RSS, open fds, load).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { bulkSeed } from '../../test/helpers/bulk-seed.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { fakeHost, fakeState, setupFakeSystemd, type FakeSystemd } from '../../test/helpers/fake-systemd.js';
import { journalEntry, setupFakeJournal, type FakeJournal } from '../../test/helpers/fake-journal.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export { builtCli, shebangNodeFlags } from './shebang.js';
import { builtCli } from './shebang.js';

// ---------------------------------------------------------------------------------------------
// /proc

export const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of one process, in clock ticks (children not included). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are indexes 11 and 12.
  return Number(fields[11]) + Number(fields[12]);
}

/** utime + stime of a process and every live descendant (journalctl followers etc.). */
export function treeTicks(pid: number): number {
  return [pid, ...descendants(pid)].reduce((n, p) => { try { return n + cpuTicks(p); } catch { return n; } }, 0);
}

export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch { /* gone */ }
  }
  const out: number[] = [];
  const walk = (p: number) => { for (const c of children.get(p) ?? []) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

export function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');
  } catch {
    return false;
  }
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** One line that says how busy the machine was, for every figure written down. */
export function machineLine(): string {
  const cpus = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length;
  return `${cpus} CPUs, load average ${loadAverage()}, node ${process.version}`;
}

// ---------------------------------------------------------------------------------------------
// Tables and statistics

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[at]!;
}
export const median = (values: number[]): number => quantile(values, 0.5);
export const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

export function numberArg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Database and task flow (flavour dsa110-v2, the production pipeline's layout)

export const benchQueue = 'dsa110-pipeline';

export async function benchDatabase(tasks: number): Promise<TestDatabase> {
  const db = await createTestDatabase({ flavour: 'dsa110-v2' });
  try {
    if (tasks > 0) await bulkSeed(db.pool, 'dsa110-v2', tasks, { queues: [benchQueue, 'dsa110-monitoring'] });
    await db.pool.query('vacuum analyze absurd.tasks');
  } catch (error) {
    await db.drop();
    throw error;
  }
  return db;
}

export interface Flow {
  /** Statements the flow ran (each its own transaction). */
  readonly statements: number;
  readonly cycles: number;
  stop(): Promise<void>;
}

/**
 * Tasks moving through the flavour's own functions, `perSecond` cycles a second: spawn one,
 * claim the oldest, complete it (every 7th fails). Optionally a journal line per cycle.
 */
export function startFlow(pool: pg.Pool, perSecond: number, journal?: FakeJournal): Flow {
  let statements = 0;
  let cycles = 0;
  let stopped = false;
  const run = async (): Promise<void> => {
    const client = await pool.connect();
    try {
      const period = 1000 / perSecond;
      let next = performance.now();
      while (!stopped) {
        await client.query(`select absurd.spawn_task($1, 'convert-uvh5-to-ms', $2::jsonb)`, [benchQueue, JSON.stringify({ group: cycles })]);
        const { rows } = await client.query<{ task_id: string }>('select task_id from absurd.claim_task($1, $2)', [benchQueue, 'bench-node1-1a2b3c4d']);
        statements += 2;
        const id = rows[0]?.task_id;
        if (id) {
          if (cycles % 7 === 6) await client.query("select absurd.fail_task($1, 'RuntimeError: bench failure')", [id]);
          else await client.query(`select absurd.complete_task($1, '{"status": "ok"}')`, [id]);
          statements += 1;
        }
        if (journal) await journal.append(journalEntry({ MESSAGE: `task ${id ?? '?'} done (cycle ${cycles})`, __REALTIME_TIMESTAMP: String(Date.now() * 1000) }));
        cycles++;
        next += period;
        const wait = next - performance.now();
        if (wait > 0) await sleep(wait);
        else next = performance.now();
      }
    } finally {
      client.release();
    }
  };
  const done = run();
  return {
    get statements() { return statements; },
    get cycles() { return cycles; },
    async stop() { stopped = true; await done; },
  };
}

// ---------------------------------------------------------------------------------------------
// Fake systemd + journal, and the console's environment

export interface ConsoleWorld {
  dir: string;
  systemd: FakeSystemd;
  journal: FakeJournal;
  configFile: string;
  /** Environment for the console: fakes first on PATH, CI variables removed, production React. */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export async function consoleWorld(opts: { journalLines?: number; config?: Record<string, unknown> } = {}): Promise<ConsoleWorld> {
  const systemd = await setupFakeSystemd({ state: fakeState({ local: fakeHost({ workers: [1, 2, 3, 4] }) }) });
  const entries = Array.from({ length: opts.journalLines ?? 50 }, (_, i) => journalEntry({
    MESSAGE: i % 10 === 0 ? `Worker node1-${(i + 0xabc).toString(16)} starting` : `processing group 2026-01-01T00:${String(i % 60).padStart(2, '0')}:00`,
    _SYSTEMD_UNIT: i % 5 === 0 ? 'dsa110-mosaic-daemon.service' : `dsa110-absurd-worker@${1 + (i % 4)}.service`,
  }));
  const journal = await setupFakeJournal({ entries });
  const dir = mkdtempSync(join(tmpdir(), 'absurd-top-bench-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ disks: { paths: ['/', tmpdir()], incoming: tmpdir() }, ...opts.config }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...journal.env,
    FAKE_SYSTEMD_STATE: systemd.env.FAKE_SYSTEMD_STATE,
    FAKE_SYSTEMD_LOG: systemd.env.FAKE_SYSTEMD_LOG,
    FAKE_SYSTEMCTL_MODE: '',
    PATH: `${systemd.binDir}:${join(journal.dir, 'bin')}:/usr/bin:/bin`,
    HOME: dir,
    XDG_STATE_HOME: dir,
    XDG_CONFIG_HOME: dir,
    XDG_CACHE_HOME: dir,
    NODE_ENV: 'production',
    TERM: 'tmux-256color',
  };
  for (const name of Object.keys(env)) if (name === 'CI' || name.startsWith('CI_') || name === 'CONTINUOUS_INTEGRATION') delete env[name];
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return {
    dir, systemd, journal, configFile, env,
    async cleanup() {
      await systemd.cleanup();
      await journal.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * How an operator runs the console: the bin itself, so its shebang's node flags apply (today
 * `node --max-semi-space-size=1`), not `node dist/src/cli.js`, which would skip them.
 */
export function consoleArgv(): string[] {
  return [builtCli];
}

/** True when dist/ is missing or older than any source file. */
export function distIsStale(): boolean {
  if (!existsSync(builtCli)) return true;
  const built = statSync(builtCli).mtimeMs;
  const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
  return newest(join(repoRoot, 'src')) > built;
}

/**
 * Builds dist/ when it is stale (tsc). A failed build throws with the compiler's output, unless
 * `allowTypeErrors` (tsc still emits every file; enough for benches that import modules that
 * compiled cleanly while someone else's file is half-written).
 */
export function ensureBuilt(opts: { allowTypeErrors?: boolean } = {}): void {
  if (!distIsStale()) return;
  const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: repoRoot, encoding: 'utf8' });
  if (tsc.status !== 0) {
    if (!opts.allowTypeErrors) throw new Error(`npm run build failed:\n${tsc.stdout}${tsc.stderr}`);
    process.stderr.write(`warning: the build has type errors (files were emitted anyway):\n${tsc.stdout}`);
  }
  // The bin is the bundle (scripts/bundle.mjs); esbuild does not type-check, so it builds either way.
  const bundle = spawnSync('node', ['scripts/bundle.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`bundling failed:\n${bundle.stdout}${bundle.stderr}`);
}

// ---------------------------------------------------------------------------------------------
// tmux: a private server per run (-L), so other people's sessions are never touched

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export class Tmux {
  readonly socket = `absurd-top-bench-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private started = false;

  run(args: string[], opts: { allowFail?: boolean } = {}): string {
    const result = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    if (result.status !== 0 && !opts.allowFail) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  /**
   * A detached session `name` of width × height running `argv` with exactly `env` (the
   * command is exec'd, so the pane's pid is the program's pid). Returns that pid. With `gate`,
   * the program waits for `release(name)` before it starts, so pipe-pane can be attached first
   * and the start time is known.
   */
  start(name: string, argv: string[], env: NodeJS.ProcessEnv, width = 120, height = 40, opts: { gate?: boolean } = {}): number {
    if (!this.started) {
      // A placeholder session keeps the server up, so global options are set before any program
      // runs: panes stay after their program exits (its last screen and status can be read).
      this.run(['new-session', '-d', '-s', '_keep', '-x', '20', '-y', '5', 'sleep 86400']);
      this.run(['set-option', '-g', 'remain-on-exit', 'on']);
      this.run(['set-option', '-g', 'status', 'off']);
      this.started = true;
    }
    const assignments = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${shellQuote(v!)}`);
    const program = opts.gate ? ['/bin/sh', '-c', 'read -r _ && exec "$@"', 'sh', ...argv] : argv;
    const command = `exec env -i ${assignments.join(' ')} ${program.map(shellQuote).join(' ')}`;
    this.run(['new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), command]);
    return Number(this.run(['display-message', '-p', '-t', name, '#{pane_pid}']).trim());
  }

  /** Lets a gated program start (it was waiting for a line on its terminal). */
  release(name: string): void {
    this.run(['send-keys', '-t', name, 'Enter']);
  }

  resize(name: string, width: number, height: number): void {
    this.run(['resize-window', '-t', name, '-x', String(width), '-y', String(height)]);
  }

  capture(name: string, opts: { escapes?: boolean; alternate?: boolean } = {}): string {
    const args = ['capture-pane', '-p', '-t', name];
    if (opts.escapes) args.push('-e');
    if (opts.alternate) args.push('-a');
    return this.run(args, { allowFail: opts.alternate });
  }

  display(name: string, format: string): string {
    return this.run(['display-message', '-p', '-t', name, format]).trim();
  }

  sendKeys(name: string, ...keys: string[]): void {
    this.run(['send-keys', '-t', name, ...keys]);
  }

  /** Appends every byte the program writes to the pane to `file`. */
  pipe(name: string, file: string): void {
    this.run(['pipe-pane', '-o', '-t', name, `cat >> ${shellQuote(file)}`]);
  }

  stopPipe(name: string): void {
    this.run(['pipe-pane', '-t', name], { allowFail: true });
  }

  /**
   * A control-mode client (`tmux -C`): one process that takes tmux commands on its stdin, so a
   * key can be sent every few ms without spawning a `send-keys` client per key (on 2 cores,
   * 70 clients in 0.7 s delayed the last key ~0.9 s even to `cat`). Keys enter the server
   * the way a terminal's keys do: one client, one write per key.
   */
  controlClient(): { sendKey(name: string, key: string): void; close(): void } {
    if (!this.started) throw new Error('start a session before the control client');
    const child = spawn('tmux', ['-L', this.socket, '-f', '/dev/null', '-C', 'attach-session', '-t', '_keep'], { stdio: ['pipe', 'ignore', 'ignore'] });
    return {
      sendKey: (name, key) => { child.stdin.write(`send-keys -t ${name} ${key}\n`); },
      close: () => { child.stdin.end(); child.kill(); },
    };
  }

  kill(): void {
    this.run(['kill-server'], { allowFail: true });
  }
}

/** Polls `check` every `everyMs` until it returns a value, or throws after `timeoutMs`. */
export async function poll<T>(check: () => T | null | undefined | false, timeoutMs: number, everyMs = 20, what = 'condition'): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
