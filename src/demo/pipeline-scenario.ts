// What the simulated DSA-110 pipeline does with a data group: the stage chain, how long each
// stage takes, and how it goes wrong. The errors are the ones operators actually meet (a
// calibrator that was never registered, /stage filling up, imaging timing out), so the
// failures pane and the retry action look like the real thing.
import type { TaskError } from './flavour-ops.js';

export const pipelineStages = ['convert-uvh5-to-ms', 'calibration-solve', 'calibration-apply', 'imaging', 'create-mosaic'] as const;
export type Stage = (typeof pipelineStages)[number];
export const monitoringTasks = ['validation', 'crossmatch', 'photometry'] as const;

/** Relative run time of each stage (imaging and mosaicking are the slow ones). */
const weight: Record<string, number> = {
  'convert-uvh5-to-ms': 1, 'calibration-solve': 1.2, 'calibration-apply': 0.8, imaging: 1.6, 'create-mosaic': 2,
};

/** Chance that a stage fails, before the demo's failure scale. */
const failureChance: Record<string, number> = {
  'convert-uvh5-to-ms': 0.05, 'calibration-solve': 0.1, 'calibration-apply': 0.03, imaging: 0.06, 'create-mosaic': 0,
};

export type GroupParams = Record<string, unknown> & { group_id: string };

export function stageError(stage: string, params: GroupParams): TaskError {
  const group = params.group_id;
  switch (stage) {
    case 'convert-uvh5-to-ms':
      return { name: 'OSError', message: `[Errno 28] No space left on device: '/stage/dsa110-contimg/raw/ms/${group}.ms'` };
    case 'calibration-solve':
      // The pipeline raises this one without an exception prefix in its error text.
      return { name: '', message: `Missing calibrator registration for 3C286 at ${group}` };
    case 'imaging':
      return { name: 'TimeoutError', message: 'imaging exceeded 3600 s' };
    default:
      return { name: 'RuntimeError', message: `applycal: all solutions flagged for antenna 'pad104' in ${group}` };
  }
}

export interface TaskPlan {
  durationSec: number;
  error: TaskError | null;
  result: Record<string, unknown>;
  /** The stage to queue after this one completes. */
  next: { name: Stage; params: GroupParams } | null;
  /** The worker process dies (OOM kill) half-way, leaving the task claimed. */
  dies: boolean;
}

export interface PlanSettings {
  taskSec: readonly [number, number];
  failureScale: number;
  dieChance: number;
  random: () => number;
}

export function planTask(stage: string, params: GroupParams, s: PlanSettings): TaskPlan {
  const [lo, hi] = s.taskSec;
  const durationSec = (lo + (hi - lo) * s.random()) * (weight[stage] ?? 1);
  const dies = s.random() < s.dieChance;
  const fails = s.random() < Math.min(1, (failureChance[stage] ?? 0) * s.failureScale);
  const group = params.group_id;
  const error = fails ? stageError(stage, params) : null;
  let next: TaskPlan['next'] = null;
  let result: Record<string, unknown> = { status: 'ok', group_id: group };
  switch (stage) {
    case 'convert-uvh5-to-ms':
      next = { name: 'calibration-solve', params: { ...params, ms_path: `/stage/dsa110-contimg/raw/ms/${group}.ms` } };
      result = { ...result, ms_path: next.params.ms_path, subbands: 16 };
      break;
    case 'calibration-solve':
      next = { name: 'calibration-apply', params: { ...params, calibrator: '3C286', caltable: `/stage/dsa110-contimg/cal/${group}.bcal` } };
      break;
    case 'calibration-apply':
      next = { name: 'imaging', params };
      break;
    case 'imaging':
      result = { ...result, image: `/stage/dsa110-contimg/images/${group}.image.fits`, rms_mjy: Number((0.4 + s.random()).toFixed(2)) };
      // Roughly every third image completes a mosaic tile set.
      if (s.random() < 0.35) next = { name: 'create-mosaic', params: { group_id: group, images: 12 } };
      break;
    case 'create-mosaic':
      // dsa110-v2 marks these "completed" while the result says error: the console flags them.
      result = s.random() < 0.15 * Math.max(s.failureScale, 1)
        ? { status: 'error', message: `mosaic has 0 valid tiles: all 12 images of ${group} failed QA` }
        : { ...result, mosaic: `/stage/dsa110-contimg/mosaics/${group}.fits` };
      break;
  }
  return { durationSec, error, result, next: error ? null : next, dies };
}

/** Data group ids are observation start times (UTC, to the second), like the files in /data/incoming. */
export function groupId(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export function groupParams(group: string): GroupParams {
  return { group_id: group, input_dir: '/data/incoming', files: `${group}_sb*.hdf5`, subbands: 16 };
}
