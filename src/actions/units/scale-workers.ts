// Scale the worker template to N on one host, as the guide does by hand: start the missing
// instances 1..N (lowest first), stop the running ones above N (highest first). Repeating it is
// harmless: with N already running it does nothing.
import { checkUnitRef, hostLabel, unitHosts, workerInstanceName } from '../../data/units/unit-names.js';
import type { ActionPlan, ActionResult } from '../types.js';
import { finish, hostListProblem, isRunning, readOnlyReason, refused, UnitActionRefused, type UnitActionContext } from './context.js';
import { failureText, ranCommands, runSteps, type Step } from './run-steps.js';

export const maxScale = 64;

/** undefined = this host when local units are on, else the only configured host. */
function resolveHost(host: string | null | undefined, ctx: UnitActionContext): { host: string | null } | { reason: string } {
  const hosts = unitHosts(ctx.config.units);
  if (host !== undefined) {
    const check = checkUnitRef({ name: workerInstanceName(ctx.config.units.workerTemplate, 1), host }, ctx.config.units);
    return check.ok ? { host } : { reason: check.reason };
  }
  if (ctx.config.units.localUnits) return { host: null };
  if (hosts.length === 1) return { host: hosts[0] ?? null };
  return { reason: `say which host to scale: one of ${hosts.join(', ') || '(no hosts configured: units.hosts)'}` };
}

type Computed = { host: string | null; running: number[]; steps: Step[] } | { refuse: string } | { fail: string };

async function compute(n: number, host: string | null | undefined, ctx: UnitActionContext): Promise<Computed> {
  if (!Number.isInteger(n) || n < 0 || n > maxScale) {
    return { refuse: `refused scale to ${JSON.stringify(n)}: the number of workers must be a whole number from 0 to ${maxScale}` };
  }
  const resolved = resolveHost(host, ctx);
  if ('reason' in resolved) return { refuse: resolved.reason };
  const target = resolved.host;
  const snapshot = await ctx.units.list();
  const problem = hostListProblem(snapshot, target, ctx.config);
  if (problem) return { fail: `cannot read the worker units on ${hostLabel(target)}, so cannot tell which to start or stop: ${problem}` };
  const running = snapshot.units
    .filter((u) => u.host === target && u.role === 'worker' && u.instance !== null && isRunning(u.active))
    .map((u) => Number(u.instance))
    .sort((a, b) => a - b);
  const template = ctx.config.units.workerTemplate;
  const unit = (i: number) => ({ name: workerInstanceName(template, i), host: target });
  const steps: Step[] = [
    ...Array.from({ length: n }, (_, i) => i + 1).filter((i) => !running.includes(i)).map((i): Step => ({ verb: 'start', unit: unit(i) })),
    ...running.filter((i) => i > n).reverse().map((i): Step => ({ verb: 'stop', unit: unit(i) })),
  ];
  return { host: target, running, steps };
}

export async function planScaleWorkers(n: number, host: string | null | undefined, ctx: UnitActionContext): Promise<ActionPlan> {
  const computed = await compute(n, host, ctx);
  if ('refuse' in computed) throw new UnitActionRefused('scale', computed.refuse);
  if ('fail' in computed) throw new UnitActionRefused('scale', computed.fail);
  const stops = computed.steps.some((s) => s.verb === 'stop');
  return {
    action: 'scale',
    title: `Scale workers on ${hostLabel(computed.host)} from ${computed.running.length} to ${n}`,
    commands: computed.steps.map((s) => ctx.units.describe(s.verb, s.unit)),
    confirmWord: null,
    warning: ctx.config.readOnly ? `${readOnlyReason}; nothing will run`
      : stops ? 'a stopped worker\'s running task is not requeued: it stays claimed until reaped' : null,
  };
}

export async function scaleWorkers(n: number, host: string | null | undefined, ctx: UnitActionContext): Promise<ActionResult> {
  const targets = { workers: n, host: host ?? null };
  if (ctx.config.readOnly) return finish(ctx, targets, refused('scale', readOnlyReason));
  let computed: Computed;
  try {
    computed = await compute(n, host, ctx);
  } catch (error) {
    return finish(ctx, targets, { status: 'failed', action: 'scale', error: (error as Error).message, commands: [] });
  }
  if ('refuse' in computed) return finish(ctx, targets, refused('scale', computed.refuse));
  if ('fail' in computed) return finish(ctx, targets, { status: 'failed', action: 'scale', error: computed.fail, commands: [] });
  const where = hostLabel(computed.host);
  if (computed.steps.length === 0) {
    return finish(ctx, targets, { status: 'ok', action: 'scale', summary: `workers on ${where} already at ${n}: nothing to do`, asked: 0, changed: 0, commands: [] });
  }
  const reports = await runSteps(computed.steps, ctx);
  const done = reports.filter((r) => r.ok);
  const list = (verb: string) => done.filter((r) => r.verb === verb).map((r) => r.unit.name).join(', ');
  const changes = [list('start') && `started ${list('start')}`, list('stop') && `stopped ${list('stop')}`].filter(Boolean).join('; ');
  const commands = ranCommands(reports);
  const result: ActionResult = done.length === reports.length
    ? { status: 'ok', action: 'scale', summary: `scaled workers on ${where} to ${n}: ${changes}`, asked: reports.length, changed: done.length, commands, details: reports }
    : { status: 'failed', action: 'scale', error: `scaling workers on ${where} to ${n}: ${reports.length - done.length} of ${reports.length} failed — ${failureText(reports)}${changes ? `; ${changes}` : ''}`, commands };
  return finish(ctx, { ...targets, host: computed.host }, result);
}
