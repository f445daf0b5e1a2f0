// The one place units code starts a process: argument arrays through execFile (never a shell),
// always with a timeout and an output cap. Tests inject their own `exec` or a PATH of fakes.
import { execFile } from 'node:child_process';

export interface ExecOptions {
  timeout: number;
  maxBuffer: number;
  env: NodeJS.ProcessEnv;
}
export interface ExecOutput {
  stdout: string;
  stderr: string;
}
/**
 * Resolves with the output of a zero exit; rejects with an Error carrying what execFile attaches:
 * `code` (errno string such as 'ENOENT', or the exit status), `killed`, `signal`, `stdout`, `stderr`.
 */
export type ExecFn = (file: string, args: readonly string[], options: ExecOptions) => Promise<ExecOutput>;

export interface ExecFailure extends Error {
  code?: string | number | null;
  killed?: boolean;
  signal?: NodeJS.Signals | null;
  stdout?: string;
  stderr?: string;
  /** Set by defaultExec when the process outlived its timeout. */
  timedOut?: boolean;
}

/** Grace after the timeout before SIGKILL. */
const pipeGraceMs = 1000;

export const defaultExec: ExecFn = (file, args, options) =>
  new Promise((resolve, reject) => {
    let watchdogFired = false;
    const child = execFile(file, [...args], {
      timeout: options.timeout,
      killSignal: 'SIGTERM',
      maxBuffer: options.maxBuffer,
      env: options.env,
      encoding: 'utf8',
      windowsHide: true,
    }, (error, stdout, stderr) => {
      clearTimeout(watchdog);
      if (!error) return resolve({ stdout, stderr });
      const failure = error as ExecFailure;
      failure.stdout = stdout;
      failure.stderr = stderr;
      // `killed` is set both by the timeout and by the output cap; only the former is a timeout.
      failure.timedOut = watchdogFired || (failure.killed === true && failure.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER');
      reject(failure);
    });
    // On timeout execFile sends SIGTERM and closes the pipes, but still waits for the process to
    // exit; one that ignores SIGTERM (a wedged ssh behind `systemctl -H`) would hold us forever.
    const watchdog = setTimeout(() => {
      watchdogFired = true;
      child.kill('SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, options.timeout + pipeGraceMs);
    watchdog.unref();
  });
