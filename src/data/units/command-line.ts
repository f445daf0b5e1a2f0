// argv for every systemctl call, and the same argv as one readable line for dialogs and the audit
// log. The line is display only: execution always passes the array, never a shell string.
import type { UnitVerb } from '../sources.js';

export const unitVerbs: readonly UnitVerb[] = ['start', 'stop', 'restart'];

/** Quotes an argument only when a shell would need it, so the usual line reads naturally. */
export function quoteArg(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./\-]+$/.test(arg)) return arg;
  if (/^[A-Za-z0-9_@%+=:,./\-*]+$/.test(arg)) return `'${arg}'`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatCommandLine(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

/** `[sudo -n] systemctl [-H host] …rest`: sudo -n never prompts, so a missing NOPASSWD rule fails fast. */
export function systemctlArgv(rest: readonly string[], host: string | null, sudo: boolean): string[] {
  return [...(sudo ? ['sudo', '-n'] : []), 'systemctl', ...(host ? ['-H', host] : []), ...rest];
}
