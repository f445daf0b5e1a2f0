// The database actions: each a plain async function (context, targets) => ActionResult, with a
// plan…() twin that shows the exact SQL before anything runs.
export { type ActionPool, type DbActionContext, type Queryable, READ_ONLY_REASON } from './context.js';
export { retryTasks, planRetryTasks, type RetryTargets } from './retry-tasks.js';
export { cancelTasks, planCancelTasks, type CancelTargets, RUNNING_NOT_INTERRUPTED } from './cancel-tasks.js';
export { clearQueue, planClearQueue, type ClearTargets } from './clear-queue.js';
export { reapStuck, planReapStuck, type ReapTargets } from './reap-stuck.js';
export { findStuckTasks, type StuckRef } from './stuck-tasks.js';
export { pruneTasks, planPruneTasks, type PruneTargets } from './prune-tasks.js';
export { countRunningTasks, listQueues, locateAbsurdTasks, queueExists } from './queues.js';
export type { OutcomeDetails, RefusedTarget } from './outcome.js';
