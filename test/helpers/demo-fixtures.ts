// Shared by the demo tests: pipeline timings fast enough for seconds-long tests, with failures
// often enough that there is always one to retry.
import type { PipelineTimings } from '../../src/demo/simulated-pipeline.js';

export const fastTimings: Partial<PipelineTimings> = {
  burstEverySec: 0.3, groupsPerBurst: [2, 3], taskSec: [0.1, 0.3], pollSec: 0.05, heartbeatSec: 0.1,
  restartSec: 0.1, failureScale: 4, dieChance: 0, maxBacklog: 20, monitoringEverySec: 1,
};
