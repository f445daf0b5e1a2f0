// One simulated `dsa110-absurd-worker@N` process: claims from dsa110-pipeline through the
// flavour's claim_task, "runs" the stage for a few seconds (heartbeating on the dsa110
// flavours), then completes or fails it and queues the next stage. stop() is a kill: a task in
// hand stays claimed, exactly as in production, which is what stuck detection must show.
// The console may cancel or retry rows under it at any time: the flavour functions are guarded,
// and a "not ours any more" answer is logged, never thrown.
import { errorText, type ClaimedTask } from './flavour-ops.js';
import { planTask, type GroupParams } from './pipeline-scenario.js';
import { oneLine, pipelineQueue, sleep, type LogFn, type PipelineContext } from './simulated-pipeline.js';

export interface WorkerEvents {
  /** The process died on its own (simulated OOM kill) with `task` still claimed. */
  onDied(task: ClaimedTask): void;
}

export class SimulatedWorker {
  readonly id: string;
  private readonly abort = new AbortController();
  private current: ClaimedTask | null = null;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: PipelineContext, private readonly log: LogFn, readonly pid: number, private readonly events: WorkerEvents) {
    this.id = ctx.ops.newWorkerId(pid);
  }

  get currentTask(): ClaimedTask | null { return this.current; }
  get running(): boolean { return !this.abort.signal.aborted; }

  start(): void {
    // The line that joins the unit (systemd) to the worker id (database) in the console.
    this.log(6, `Worker ${this.id} starting (queue ${pipelineQueue}, pid ${this.pid})`);
    this.loop = this.run().catch((error: unknown) => this.log(3, `worker loop crashed: ${oneLine(error)}`));
  }

  /** Kill: returns at once; any claimed task is left claimed. */
  stop(): Promise<void> {
    this.abort.abort();
    return this.loop;
  }

  private async run(): Promise<void> {
    const { ctx } = this;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      let task: ClaimedTask | null;
      try {
        task = await ctx.ops.claim(ctx.db, pipelineQueue, this.id, ctx.timings.leaseSec);
      } catch (error) {
        if (signal.aborted) return;
        this.log(4, `claim_task failed: ${oneLine(error)}; retrying`);
        await sleep(ctx.timings.pollSec * 3, signal);
        continue;
      }
      if (!task) {
        await sleep(ctx.timings.pollSec, signal);
        continue;
      }
      this.current = task;
      // Killed while the claim was in flight: the task stays claimed, as after a real SIGKILL.
      if (signal.aborted) return;
      await this.work(task, signal);
      if (signal.aborted) return;
      this.current = null;
    }
  }

  private async work(task: ClaimedTask, signal: AbortSignal): Promise<void> {
    const { ctx } = this;
    const params = task.params as GroupParams;
    const plan = planTask(task.name, params, { ...ctx.timings, random: ctx.random });
    this.log(6, `Claimed task ${task.taskId} ${task.name} (group ${params.group_id ?? '?'})`);
    const until = Date.now() + (plan.dies ? plan.durationSec / 2 : plan.durationSec) * 1000;
    while (Date.now() < until) {
      const step = Math.min(ctx.timings.heartbeatSec, (until - Date.now()) / 1000);
      if (!(await sleep(step, signal))) return;
      if (Date.now() < until && ctx.flavour !== 'absurd') await ctx.ops.heartbeat(ctx.db, task).catch(() => undefined);
    }
    if (plan.dies) {
      this.abort.abort();
      this.events.onDied(task);
      return;
    }
    try {
      const seconds = plan.durationSec.toFixed(1);
      if (plan.error) {
        const ours = await ctx.ops.fail(ctx.db, pipelineQueue, task, plan.error);
        if (ours) this.log(3, `Task ${task.taskId} ${task.name} failed after ${seconds} s: ${errorText(plan.error)}`);
        else this.notOurs(task);
        return;
      }
      const ours = await ctx.ops.complete(ctx.db, pipelineQueue, task, plan.result);
      if (!ours) { this.notOurs(task); return; }
      const flagged = plan.result.status === 'error' ? ` with result error: ${String(plan.result.message)}` : '';
      this.log(flagged ? 4 : 6, `Completed task ${task.taskId} ${task.name} in ${seconds} s${flagged}`);
      if (plan.next) {
        const id = await ctx.ops.spawn(ctx.db, pipelineQueue, plan.next.name, plan.next.params);
        this.log(7, `Queued ${plan.next.name} ${id} for group ${plan.next.params.group_id}`);
      }
    } catch (error) {
      if (!signal.aborted) this.log(4, `database error finishing task ${task.taskId}: ${oneLine(error)}`);
    }
  }

  private notOurs(task: ClaimedTask): void {
    this.log(4, `Task ${task.taskId} ${task.name} is no longer claimed by this worker (cancelled or released); result dropped`);
  }
}
