// Turns a failed systemctl (or sudo) call into one sentence that says what is wrong and what
// would fix it. The stderr patterns are systemd's and sudo's own English messages; commands run
// with LC_ALL=C so they are not translated.
import type { ExecFailure } from './exec.js';

export interface ProblemContext {
  /** The binary that was started: 'systemctl' or 'sudo'. */
  binary: string;
  host: string | null;
  timeoutMs: number;
  /** true for start/stop/restart: a timeout there may leave the job running inside systemd. */
  mutating: boolean;
  verb: string;
}

const firstLines = (text: string, n = 2): string =>
  text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, n).join(' / ');

export function describeFailure(error: unknown, ctx: ProblemContext): string {
  const failure = (error ?? {}) as ExecFailure;
  const stderr = typeof failure.stderr === 'string' ? failure.stderr : '';
  const where = ctx.host ? ` on ${ctx.host}` : '';

  if (failure.code === 'ENOENT') {
    if (ctx.binary === 'sudo') return 'sudo not found: install sudo, or run absurd-top without --sudo as a user that may manage the units';
    return 'systemctl not found: is this a systemd host? Units can only be shown where systemd runs; '
      + 'set units.localUnits to false and list the systemd hosts under units.hosts, or run absurd-top on the pipeline host';
  }
  if (failure.timedOut) {
    const tail = ctx.mutating ? `; the ${ctx.verb} job may still be running inside systemd, check the unit on the next refresh` : '';
    return `systemctl did not answer within ${ctx.timeoutMs} ms${where}${tail} (units.commandTimeoutMs raises the limit)`;
  }
  if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return `systemctl printed more output than absurd-top accepts${where}; narrow the unit names in the config`;
  }
  if (/a password is required|a terminal is required|no tty present/i.test(stderr)) {
    return 'sudo needs a password: add a NOPASSWD rule for systemctl or run absurd-top as a user that may manage the units';
  }
  if (/is not in the sudoers|not allowed to execute|may not run sudo/i.test(stderr)) {
    return `sudo refused${where}: ${firstLines(stderr, 1)}; add a sudoers rule allowing this user to run systemctl on these units`;
  }
  if (/sudo: .*command not found/i.test(stderr)) {
    return 'systemctl not found by sudo: is this a systemd host? check sudo\'s secure_path';
  }
  if (/interactive authentication required|access denied|permission denied|not authorized/i.test(stderr)) {
    return `permission denied${where}: ${firstLines(stderr, 1)} — run absurd-top with --sudo (and a NOPASSWD sudo rule for systemctl), `
      + 'or add a polkit rule that lets this user manage these units';
  }
  if (ctx.host === null && /not been booted with systemd|Host is down/i.test(stderr)) {
    return 'systemd is not running on this host (PID 1 is not systemd): set units.localUnits to false and list the systemd hosts under units.hosts';
  }
  if (ctx.host !== null && /ssh|could not resolve|connection (refused|reset|timed out)|transport endpoint|no route|host is down|failed to connect/i.test(stderr)) {
    return `cannot reach ${ctx.host} through systemctl -H (ssh): ${firstLines(stderr)}; check that \`ssh ${ctx.host}\` works without a password for this user`;
  }
  if (/not found|not loaded|no such file/i.test(stderr) && ctx.mutating) {
    return `${ctx.verb} failed${where}: ${firstLines(stderr, 1)}; is the unit installed there? (systemctl daemon-reload after adding it)`;
  }
  const status = typeof failure.code === 'number' ? `exit status ${failure.code}`
    : failure.signal ? `killed by ${failure.signal}` : (failure.message || 'unknown error');
  const detail = firstLines(stderr) || status;
  return `systemctl ${ctx.verb} failed${where}: ${detail}${detail === status ? '' : ` (${status})`}`;
}
