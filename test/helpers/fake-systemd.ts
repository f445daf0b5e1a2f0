// A private systemd for one test: a temp dir with the state file, the call log and a bin dir
// holding only the fakes (test/fake-bin) and `node`, so the real systemctl and sudo on this
// machine can never be reached. Pass `fake.env` as the manager's `env` (or spawn with it).
//
//   const fake = await setupFakeSystemd({ state: fakeState({ local: fakeHost({ workers: [1, 2] }) }) });
//   const manager = new SystemdUnitManager({ units, sudo: false, readOnly: false, env: fake.env });
//   … fake.actionLines() → ['systemctl start dsa110-absurd-worker@3.service', …]
//   await fake.cleanup();
import { mkdtemp, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fakeBinDir = fileURLToPath(new URL('../fake-bin/', import.meta.url));
export const defaultProducer = 'dsa110-mosaic-daemon.service';
export const defaultTemplate = 'dsa110-absurd-worker@.service';

export interface FakeUnitState {
  LoadState?: string;
  ActiveState?: string;
  SubState?: string;
  MainPID?: number;
  NRestarts?: number;
  MemoryCurrent?: number | null;
  CPUUsageNSec?: number | null;
  /** Epoch ms, or a string printed as is (e.g. "Mon 2024-01-15 10:23:45 UTC"). */
  ActiveEnterTimestamp?: number | string | null;
  StateChangeTimestamp?: number | string | null;
  Description?: string;
  /** Make a verb fail for this unit with this message (exit 1). */
  fail?: Partial<Record<'start' | 'stop' | 'restart', string>>;
}
export interface FakeHostState {
  templates?: string[];
  units: Record<string, FakeUnitState>;
}
export interface FakeSystemdState {
  /** "local" = no -H; other keys are -H targets such as "ops@w2". */
  hosts: Record<string, FakeHostState>;
  unreachable?: string[];
  hang?: string[];
  nextPid?: number;
}

let pid = 2000;
export function runningUnit(extra: FakeUnitState = {}): FakeUnitState {
  return {
    LoadState: 'loaded', ActiveState: 'active', SubState: 'running', MainPID: ++pid, NRestarts: 0,
    MemoryCurrent: 64 * 1024 * 1024, CPUUsageNSec: 3_000_000_000, ActiveEnterTimestamp: Date.now() - 600_000, ...extra,
  };
}
export function stoppedUnit(extra: FakeUnitState = {}): FakeUnitState {
  return { LoadState: 'loaded', ActiveState: 'inactive', SubState: 'dead', MainPID: 0, MemoryCurrent: null, CPUUsageNSec: null, ...extra };
}

/** A host with the producer (running unless said otherwise) and the given worker instances running. */
export function fakeHost(options: { producer?: 'running' | 'stopped' | 'absent'; workers?: number[]; stoppedWorkers?: number[]; template?: string; producerName?: string } = {}): FakeHostState {
  const template = options.template ?? defaultTemplate;
  const at = template.indexOf('@.');
  const name = (n: number) => `${template.slice(0, at + 1)}${n}${template.slice(at + 1)}`;
  const units: Record<string, FakeUnitState> = {};
  const producer = options.producer ?? 'running';
  if (producer !== 'absent') units[options.producerName ?? defaultProducer] = producer === 'running' ? runningUnit() : stoppedUnit();
  for (const n of options.workers ?? []) units[name(n)] = runningUnit();
  for (const n of options.stoppedWorkers ?? []) units[name(n)] = stoppedUnit();
  return { templates: [template], units };
}

export function fakeState(hosts: Record<string, FakeHostState>, extra: Omit<FakeSystemdState, 'hosts'> = {}): FakeSystemdState {
  return { hosts, ...extra };
}

export interface FakeCall {
  bin: 'systemctl' | 'sudo';
  argv: string[];
  sudo?: boolean;
  time: number;
}
export interface FakeSystemdOptions {
  state?: FakeSystemdState;
  /** FAKE_SYSTEMCTL_MODE: denied | hang | sudo-password | old | old-error | no-systemd (comma-separated). */
  mode?: string;
  sudoNeedsPassword?: boolean;
  /** false: PATH has no systemctl at all (a host without systemd). */
  withSystemctl?: boolean;
  withSudo?: boolean;
  hangMs?: number;
}
export interface FakeSystemd {
  dir: string;
  binDir: string;
  statePath: string;
  logPath: string;
  /** process.env with PATH = the fake bin dir only, and the FAKE_* variables set. */
  env: NodeJS.ProcessEnv;
  calls(): Promise<FakeCall[]>;
  /** Every command as typed: `systemctl -H ops@w2 list-units …`, `sudo -n systemctl stop …`. */
  commandLines(): Promise<string[]>;
  /** Only the start/stop/restart command lines, in order. */
  actionLines(): Promise<string[]>;
  readState(): Promise<FakeSystemdState>;
  writeState(state: FakeSystemdState): Promise<void>;
  clearLog(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function setupFakeSystemd(options: FakeSystemdOptions = {}): Promise<FakeSystemd> {
  const dir = await mkdtemp(join(tmpdir(), 'absurd-top-systemd-'));
  const binDir = join(dir, 'bin');
  await mkdir(binDir);
  const statePath = join(dir, 'state.json');
  const logPath = join(dir, 'calls.jsonl');
  await symlink(process.execPath, join(binDir, 'node'));
  if (options.withSystemctl !== false) await symlink(join(fakeBinDir, 'systemctl'), join(binDir, 'systemctl'));
  if (options.withSudo !== false) await symlink(join(fakeBinDir, 'sudo'), join(binDir, 'sudo'));
  const writeState = (state: FakeSystemdState) => writeFile(statePath, `${JSON.stringify(state, null, 2)}\n`);
  await writeState(options.state ?? fakeState({ local: fakeHost({ workers: [1, 2] }) }));
  await writeFile(logPath, '');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: binDir,
    FAKE_SYSTEMD_STATE: statePath,
    FAKE_SYSTEMD_LOG: logPath,
    FAKE_SYSTEMCTL_MODE: options.mode ?? '',
    FAKE_SYSTEMCTL_HANG_MS: String(options.hangMs ?? 30_000),
    FAKE_SUDO_NEEDS_PASSWORD: options.sudoNeedsPassword ? '1' : '0',
  };
  delete env.FAKE_SUDO_ACTIVE;

  const calls = async (): Promise<FakeCall[]> => {
    if (!existsSync(logPath)) return [];
    const text = await readFile(logPath, 'utf8');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as FakeCall);
  };
  const commandLines = async (): Promise<string[]> => {
    const lines: string[] = [];
    let underSudo = false;
    for (const call of await calls()) {
      // A sudo entry is followed by the systemctl it ran (sudo: true): one line for the pair.
      if (call.bin === 'systemctl' && call.sudo && underSudo) { underSudo = false; continue; }
      underSudo = call.bin === 'sudo';
      lines.push([call.bin, ...call.argv].join(' '));
    }
    return lines;
  };
  return {
    dir, binDir, statePath, logPath, env, calls, commandLines,
    actionLines: async () => (await commandLines()).filter((l) => / (start|stop|restart) /.test(` ${l} `)),
    readState: async () => JSON.parse(await readFile(statePath, 'utf8')) as FakeSystemdState,
    writeState,
    clearLog: () => writeFile(logPath, ''),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
