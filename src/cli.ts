#!/usr/bin/env -S node --max-semi-space-size=1 --heap-growing-percent=50 --max-opt=1
// (Memory of a console that runs for weeks, measured at 10 refreshes/s in bench/memory.ts: the
// small young generation stops V8 growing the nursery to 32 MB and keeping it; letting the old
// generation grow to 1.5× what survived the last full GC, instead of V8's up to 4×, keeps RSS
// at ~115 MB instead of ~170 MB for the same CPU. --max-opt=1 stops at the baseline compiler:
// with one frame every 2 s, TurboFan kept optimising and re-optimising for minutes on its
// worker threads, a quarter of what a console with tasks flowing cost (perf, session 5).)
// absurd-top's entry point: parse the configuration (stopping on bad values before anything
// starts), build the sources, then run one of: the console, `--once`, or a scripted action.
// Errors reach the user as one line; the exit codes are documented in README.md.
import { parseFlags, helpText, UsageError, type ParsedFlags } from './config/args.js';
import { loadConfig } from './config/load-config.js';
import type { Config } from './config/schema.js';
import { buildRuntime, type Runtime } from './runtime/production-runtime.js';
import { packageVersion } from './runtime/package-info.js';
import { runOnce } from './runtime/run-once.js';
import { maskedTarget } from './data/pg/connect.js';
import { DbProblemError } from './data/pg/classify-error.js';
import { isActionCommand } from './actions/command-line.js';

async function main(argv: string[]): Promise<number> {
  const { flags, positionals } = parseFlags(argv);
  if (flags.help) { process.stdout.write(`${helpText()}\n`); return 0; }
  if (flags.version) { process.stdout.write(`absurd-top ${packageVersion()}\n`); return 0; }
  const verb = positionals[0];
  if (verb !== undefined && !isActionCommand(verb)) {
    throw new UsageError(`unknown command "${verb}"; commands are retry, cancel, clear, reap, prune, scale, start, stop, restart, emergency-stop, drain (see absurd-top --help)`);
  }
  if (verb === undefined && !flags.once && !process.stdout.isTTY) {
    throw new UsageError('stdout is not a terminal: the console needs one; use --once (or --once --json) for a report');
  }
  let config = loadConfig(flags);
  const runtime = flags.demo ? await startDemoRuntime(config, flags) : buildRuntime(config);
  config = runtime.config;
  const target = maskedTarget(config.database);
  const color = config.color && (flags.json ? false : process.stdout.isTTY === true);
  try {
    if (verb !== undefined) return await runCommand(runtime, positionals, flags);
    if (flags.once) return await runOnce(runtime, { json: flags.json === true, target, color, width: process.stdout.columns });
    await runInteractive(runtime, target);
    return 0;
  } finally {
    await runtime.close();
  }
}

async function startDemoRuntime(config: Config, flags: ParsedFlags): Promise<Runtime> {
  const { startDemoRuntime: start } = await import('./demo/demo-runtime.js');
  return start(config, flags);
}

async function runCommand(runtime: Runtime, positionals: string[], flags: ParsedFlags): Promise<number> {
  const { runActionCommand } = await import('./actions/command-line.js');
  // Database verbs detect the flavour themselves; unit verbs never touch the database, so an
  // emergency stop still works while PostgreSQL is down.
  return runActionCommand(positionals, flags, {
    config: runtime.config, pool: runtime.pool, units: runtime.units, audit: runtime.audit,
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`absurd-top: ${text}\n`),
  });
}

async function runInteractive(runtime: Runtime, target: string): Promise<void> {
  // Ink draws nothing interactive when it believes it runs in CI; on a real terminal it does not.
  for (const name of Object.keys(process.env)) {
    if (name === 'CI' || name.startsWith('CI_') || name === 'CONTINUOUS_INTEGRATION') delete process.env[name];
  }
  process.env.NODE_ENV ??= 'production';
  const { runProductionConsole } = await import('./runtime/run-interactive.js');
  await runProductionConsole(runtime, target);
}

function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`absurd-top: ${error.message}\n`);
    return 2;
  }
  if (error instanceof DbProblemError) {
    process.stderr.write(`absurd-top: ${error.problem.message}\n`);
    return error.problem.kind === 'unknown-queue' ? 2 : 3;
  }
  // Anything else is a bug; still one line, the stack only on request.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`absurd-top: unexpected error: ${message.split('\n')[0]}\n`);
  if (process.env.ABSURD_TOP_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => { process.exitCode = reportError(error); },
).finally(() => {
  // Followers and timers must not keep a finished command alive; let stdout drain first.
  process.stdout.write('', () => process.exit(process.exitCode ?? 0));
});
