// The log sources the console runs with, built from the configuration.
import type { Config } from '../../config/schema.js';
import type { LogSource } from '../sources.js';
import { CombinedLogSource } from './combined-source.js';
import { FileLogSource, fileTailOptionsFromConfig } from './file-tail.js';
import { JournalLogSource, journalOptionsFromConfig } from './journal-follower.js';

export { LogBuffer, compileFilter, type LogFilter } from './log-buffer.js';
export { CombinedLogSource } from './combined-source.js';
export { FileLogSource } from './file-tail.js';
export { JournalLogSource } from './journal-follower.js';
export { problemLogLine } from './problem-line.js';
export { WorkerIdentityTracker, extractWorkerId, workerIdsFromLines, templateMatcher } from './worker-identity.js';

/** Journal (unless logs.journal is false) plus the configured files; env picks the journalctl. */
export function createLogSource(config: Config, env: NodeJS.ProcessEnv = process.env): LogSource {
  const sources: LogSource[] = [];
  if (config.logs.journal) sources.push(new JournalLogSource({ ...journalOptionsFromConfig(config), env }));
  if (config.logs.files.length > 0) sources.push(new FileLogSource(fileTailOptionsFromConfig(config)));
  return new CombinedLogSource(sources);
}
