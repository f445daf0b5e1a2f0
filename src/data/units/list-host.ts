// The units of one host: which instances exist (list-units), then all their properties in one
// `show`. Fails soft: an unreachable host yields a problem and no units; a failed `show` after a
// good listing still yields the listed states.
import { unitSchema, type Unit } from '../snapshot.js';
import type { ExecOutput } from './exec.js';
import { parseListUnitsJson, parseListUnitsPlain, type ListedUnit } from './parse-list-units.js';
import { parseShowBlocks, showBlockSchema, showProperties, toShownUnit, type ShownUnit } from './parse-show.js';
import { checkHost, classifyUnit, isUnitName, instanceNumber, workerInstanceName, workerPattern, type UnitsConfig } from './unit-names.js';

export interface ListHostContext {
  host: string | null;
  /** The producer is always listed on the primary host (local, else the first configured one). */
  primary: boolean;
  units: UnitsConfig;
  expectedInstances: number;
  jsonSupport: Map<string | null, boolean>;
  /** Runs `systemctl [-H host] …args`. */
  call: (args: string[]) => Promise<ExecOutput>;
  problemOf: (error: unknown, verb: string) => string;
}
export interface HostUnits {
  host: string | null;
  units: Unit[];
  problem: string | null;
}

const jsonRefused = /unknown output|invalid output|unrecognized option|unknown option/i;

async function listUnits(ctx: ListHostContext): Promise<ListedUnit[]> {
  const patterns = [workerPattern(ctx.units.workerTemplate), ctx.units.producer];
  if (ctx.jsonSupport.get(ctx.host) !== false) {
    try {
      const { stdout } = await ctx.call(['list-units', '--all', '--output=json', ...patterns]);
      const rows = parseListUnitsJson(stdout);
      ctx.jsonSupport.set(ctx.host, rows !== null);
      // Old systemd ignores --output=json here and prints its table: read that instead.
      return rows ?? parseListUnitsPlain(stdout);
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '');
      if (!jsonRefused.test(stderr)) throw error;
      ctx.jsonSupport.set(ctx.host, false);
    }
  }
  const { stdout } = await ctx.call(['list-units', '--all', '--plain', '--no-legend', ...patterns]);
  return parseListUnitsPlain(stdout);
}

async function showUnits(ctx: ListHostContext, names: string[]): Promise<Map<string, ShownUnit>> {
  const { stdout } = await ctx.call(['show', '-p', showProperties.join(','), ...names]);
  const shown = new Map<string, ShownUnit>();
  const blocks = parseShowBlocks(stdout);
  blocks.forEach((raw, index) => {
    // Id names the block; if an old systemd left it out, blocks come in the order asked.
    const parsed = showBlockSchema.safeParse({ Id: names[index], ...raw });
    if (parsed.success) shown.set(parsed.data.Id, toShownUnit(parsed.data));
  });
  return shown;
}

function order(a: string, b: string, units: UnitsConfig): number {
  const rank = (n: string) => (n === units.producer ? -1 : instanceNumber(n, units.workerTemplate) ?? Number.MAX_SAFE_INTEGER);
  return rank(a) - rank(b) || a.localeCompare(b);
}

export async function listHostUnits(ctx: ListHostContext): Promise<HostUnits> {
  const { host, units } = ctx;
  const refusal = checkHost(host, units)
    ?? (isUnitName(units.producer) && isUnitName(units.workerTemplate) ? null : 'refused units.producer / units.workerTemplate: a unit name must not start with "-"');
  if (refusal) return { host, units: [], problem: refusal };
  let listed: ListedUnit[];
  try {
    listed = await listUnits(ctx);
  } catch (error) {
    return { host, units: [], problem: ctx.problemOf(error, 'list-units') };
  }
  // Only names that are ours: the glob may match oddities such as `worker@foo.service`.
  const discovered = new Map(listed.filter((u) => classifyUnit(u.name, units).role !== 'other').map((u) => [u.name, u]));
  const expected = Array.from({ length: Math.max(0, ctx.expectedInstances) }, (_, i) => workerInstanceName(units.workerTemplate, i + 1));
  const names = [...new Set([units.producer, ...discovered.keys(), ...expected])].sort((a, b) => order(a, b, units));

  let shown = new Map<string, ShownUnit>();
  let problem: string | null = null;
  try {
    shown = await showUnits(ctx, names);
  } catch (error) {
    problem = ctx.problemOf(error, 'show');
  }

  const out: Unit[] = [];
  for (const name of names) {
    const seen = shown.get(name);
    const row = discovered.get(name);
    const load = seen?.load ?? row?.load ?? 'unknown';
    const isProducer = name === units.producer;
    // Keep what systemd knows about; the producer on the primary host is always shown so a
    // stopped daemon is visible. Looked-up instances that do not exist there are dropped.
    const keep = row !== undefined || (isProducer && ctx.primary) || (seen !== undefined && load !== 'not-found');
    if (!keep) continue;
    const { role, instance } = classifyUnit(name, units);
    out.push(unitSchema.parse({
      name, host, role, instance, load,
      active: seen?.active ?? row?.active ?? 'unknown',
      sub: seen?.sub ?? row?.sub ?? 'unknown',
      since: seen?.since ?? null,
      mainPid: seen?.mainPid ?? null,
      restarts: seen?.restarts ?? null,
      memoryBytes: seen?.memoryBytes ?? null,
      cpuNsec: seen?.cpuNsec ?? null,
      workerId: null,
    }));
  }
  return { host, units: out, problem };
}
