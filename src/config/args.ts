// Command-line flags: one table drives parsing and --help.
import { parseArgs, type ParseArgsConfig } from 'node:util';

interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  arg?: string;
  help: string;
}

export const flagSpecs = {
  database: { type: 'string', short: 'd', arg: 'URL', help: 'Postgres URL (else $ABSURD_DATABASE_URL, else the PG* variables)' },
  queue: { type: 'string', short: 'q', arg: 'NAME', help: 'Show one queue (else $ABSURD_QUEUE_NAME, else all queues)' },
  flavour: { type: 'string', arg: 'NAME', help: 'Force the layout: absurd | dsa110-v2 | dsa110-v1 (default: detect)' },
  refresh: { type: 'string', short: 'r', arg: 'SECONDS', help: 'Refresh interval (default 2)' },
  config: { type: 'string', short: 'c', arg: 'FILE', help: 'Config file (default $XDG_CONFIG_HOME/absurd-top/config.json)' },
  once: { type: 'boolean', help: 'Print one report and exit (exit code = health)' },
  json: { type: 'boolean', help: 'With --once or a command: print JSON' },
  'read-only': { type: 'boolean', help: 'Disable every action; the database session is read-only' },
  sudo: { type: 'boolean', help: 'Run systemctl actions through sudo -n' },
  host: { type: 'string', short: 'H', multiple: true, arg: 'USER@HOST', help: 'Also show units on this host (systemctl -H); repeatable' },
  'statement-timeout': { type: 'string', arg: 'MS', help: 'Statement timeout for every query (default 5000)' },
  'audit-log': { type: 'string', arg: 'FILE', help: 'Audit log (default $XDG_STATE_HOME/absurd-top/audit.log)' },
  demo: { type: 'boolean', help: 'Run a simulated pipeline on an embedded Postgres' },
  'demo-reset': { type: 'boolean', help: 'With --demo: start from an empty demo database' },
  'demo-flavour': { type: 'string', arg: 'NAME', help: 'With --demo: absurd | dsa110-v2 (default) | dsa110-v1' },
  yes: { type: 'boolean', short: 'y', help: 'Commands: confirm a destructive action' },
  'dry-run': { type: 'boolean', help: 'Commands: print what would run, change nothing' },
  'spawn-new': { type: 'boolean', help: 'retry (flavour absurd): spawn a new task instead of retrying in place' },
  anyway: { type: 'boolean', help: 'retry: raise max attempts when they are exhausted' },
  running: { type: 'boolean', help: 'clear: cancel running tasks too' },
  days: { type: 'string', arg: 'N', help: 'prune: age in days of terminal tasks to delete (default 30)' },
  help: { type: 'boolean', short: 'h', help: 'Show this help' },
  version: { type: 'boolean', short: 'V', help: 'Show the version' },
} satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof flagSpecs;
export type ParsedFlags = {
  [K in FlagName]?: (typeof flagSpecs)[K] extends { type: 'boolean' } ? boolean
    : (typeof flagSpecs)[K] extends { multiple: true } ? string[] : string;
};

export class UsageError extends Error {}

export function parseFlags(argv: string[]): { flags: ParsedFlags; positionals: string[] } {
  const options: ParseArgsConfig['options'] = {};
  for (const [name, spec] of Object.entries(flagSpecs) as [string, FlagSpec][]) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { flags: values as ParsedFlags, positionals };
  } catch (error) {
    // node's messages are good ("Unknown option '--x'"); drop its code prefix and add the fix.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message.replace(/^TypeError \[\w+\]: /, '')}. Run absurd-top --help for the options.`);
  }
}

export const commandHelp: [string, string][] = [
  ['retry TASK_ID...', 'Retry failed tasks (--anyway raises max attempts; --spawn-new on flavour absurd)'],
  ['cancel TASK_ID...', 'Cancel tasks (a running worker is not interrupted)'],
  ['clear QUEUE', 'Cancel every pending task of a queue (--running: running ones too) [--yes]'],
  ['reap', 'Release stuck tasks whose worker is gone [--yes]'],
  ['prune [--days N]', 'Delete terminal tasks older than N days, in batches [--yes]'],
  ['scale N', 'Run worker instances 1..N (start missing, stop the highest above N)'],
  ['start|stop|restart UNIT', 'Start, stop or restart one configured unit'],
  ['emergency-stop', 'Stop the producer, then every worker [--yes]'],
  ['drain', 'Stop the producer and wait until no task is running'],
];

export function helpText(): string {
  const flagLines = (Object.entries(flagSpecs) as [string, FlagSpec][]).map(([name, spec]) => {
    const left = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.arg ? ` ${spec.arg}` : ''}`;
    return `  ${left.padEnd(30)} ${spec.help}`;
  });
  const commandLines = commandHelp.map(([usage, help]) => `  ${usage.padEnd(30)} ${help}`);
  return [
    'absurd-top — a console for Absurd task queues in PostgreSQL',
    '',
    'Usage:',
    '  absurd-top [options]                 full-screen console',
    '  absurd-top --once [--json]           one report; exit 0 ok, 1 warning, 2 critical/usage, 3 database unreachable',
    '  absurd-top COMMAND [args] [options]  scripted action (exit non-zero on refusal or failure)',
    '  absurd-top --demo                    live demo on an embedded Postgres',
    '',
    'Commands:',
    ...commandLines,
    '',
    'Options:',
    ...flagLines,
    '',
    'Environment: ABSURD_DATABASE_URL, ABSURD_QUEUE_NAME, PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE,',
    '  NO_COLOR, XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_CACHE_HOME.',
  ].join('\n');
}
