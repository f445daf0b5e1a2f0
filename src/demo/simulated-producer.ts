// The simulated `dsa110-mosaic-daemon`: every burstEverySec it "finds" a few new data groups
// in /data/incoming and spawns their first stage through the flavour's spawn_task, and now and
// then drops a check into dsa110-monitoring, a queue with no consumer. It defers while the
// backlog is high, and deletes finished tasks after retentionSec, so a demo left running for
// days stays small.
import { groupId, groupParams, monitoringTasks } from './pipeline-scenario.js';
import { monitoringQueue, oneLine, pipelineQueue, sleep, type LogFn, type PipelineContext } from './simulated-pipeline.js';

/** The monitoring queue is capped too: its pending tasks only ever age. */
const monitoringCap = 25;

export class SimulatedProducer {
  private readonly abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  constructor(private readonly ctx: PipelineContext, private readonly log: LogFn, readonly pid: number) {}

  get running(): boolean { return !this.abort.signal.aborted; }

  start(): void {
    this.log(6, `Mosaic daemon starting: scanning /data/incoming every ${this.ctx.timings.burstEverySec} s, queue ${pipelineQueue}`);
    this.loop = this.run().catch((error: unknown) => this.log(3, `daemon loop crashed: ${oneLine(error)}`));
  }

  stop(): Promise<void> {
    this.abort.abort();
    return this.loop;
  }

  private async run(): Promise<void> {
    const { timings } = this.ctx;
    const signal = this.abort.signal;
    let lastMonitoring = 0;
    let lastPrune = 0;
    do {
      try {
        await this.burst();
        if (Date.now() - lastMonitoring >= timings.monitoringEverySec * 1000) {
          lastMonitoring = Date.now();
          await this.monitoringCheck();
        }
        if (Date.now() - lastPrune >= 600_000) {
          lastPrune = Date.now();
          for (const queue of [pipelineQueue, monitoringQueue]) await this.ctx.ops.prune(this.ctx.db, queue, timings.retentionSec);
        }
      } catch (error) {
        if (signal.aborted) return;
        this.log(3, `scan failed: ${oneLine(error)}`);
      }
    } while (await sleep(timings.burstEverySec, signal));
  }

  private async burst(): Promise<void> {
    const { ctx } = this;
    const [lo, hi] = ctx.timings.groupsPerBurst;
    const found = lo + Math.floor(ctx.random() * (hi - lo + 1));
    if (found === 0) return;
    const pending = await ctx.ops.pendingCount(ctx.db, pipelineQueue);
    if (pending >= ctx.timings.maxBacklog) {
      this.log(4, `Found ${found} new data groups, but ${pending} tasks are already pending: deferring`);
      return;
    }
    // The groups that landed since the last scan, oldest first (the demo's observing cadence is
    // faster than the telescope's, so the panes keep moving).
    const spacingMs = (ctx.timings.burstEverySec * 1000) / Math.max(found, 1);
    const groups = Array.from({ length: found }, (_, i) => groupId(Date.now() - (found - i) * spacingMs));
    for (const group of groups) {
      if (this.abort.signal.aborted) return;
      await ctx.ops.spawn(ctx.db, pipelineQueue, 'convert-uvh5-to-ms', groupParams(group));
    }
    this.log(6, `Found ${groups.length} new data group${groups.length === 1 ? '' : 's'} (${groups[0]} … ${groups.at(-1)}): spawned ${groups.length} convert-uvh5-to-ms`);
  }

  private async monitoringCheck(): Promise<void> {
    const { ctx } = this;
    if ((await ctx.ops.pendingCount(ctx.db, monitoringQueue)) >= monitoringCap) return;
    const name = monitoringTasks[Math.floor(ctx.random() * monitoringTasks.length)] ?? 'validation';
    await ctx.ops.spawn(ctx.db, monitoringQueue, name, { group_id: groupId(Date.now() - 600_000), check: name });
    this.log(7, `Spawned ${name} into ${monitoringQueue}`);
  }
}
