// Per-target outcomes folded into one honest ActionResult: asked vs changed, and every refused
// id with its reason. Nothing changed at all = `refused`; some changed = `ok` listing the rest.
import type { ActionName, ActionResult } from '../types.js';

export interface TargetOutcome {
  id: string;
  changed: boolean;
  /** Why nothing changed for this id (set when changed is false). */
  reason?: string;
}

export interface RefusedTarget { id: string; reason: string }
export interface OutcomeDetails {
  changed: string[];
  refused: RefusedTarget[];
  [extra: string]: unknown;
}

const shortId = (id: string): string => (id.length > 12 ? id.slice(0, 8) : id);
const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

function describeRefusals(refused: RefusedTarget[], limit = 5): string {
  const shown = refused.slice(0, limit).map((r) => `${shortId(r.id)}: ${r.reason}`);
  if (refused.length > limit) shown.push(`… ${refused.length - limit} more`);
  return shown.join('; ');
}

export function resultFromOutcomes(
  action: ActionName,
  verbPast: string,
  outcomes: TargetOutcome[],
  commands: string[],
  options: { notes?: string[]; details?: Record<string, unknown> } = {},
): ActionResult {
  const changed = outcomes.filter((o) => o.changed).map((o) => o.id);
  const refused = outcomes.filter((o) => !o.changed).map((o) => ({ id: o.id, reason: o.reason ?? 'not changed' }));
  if (outcomes.length > 0 && changed.length === 0) {
    const reason = outcomes.length === 1 ? (refused[0]?.reason ?? 'not changed')
      : `none of ${plural(outcomes.length, 'task')} ${verbPast}: ${describeRefusals(refused)}`;
    return { status: 'refused', action, reason, commands };
  }
  const parts = [`${verbPast} ${changed.length} of ${plural(outcomes.length, 'task')}`];
  if (refused.length > 0) parts.push(`refused ${refused.length}: ${describeRefusals(refused)}`);
  parts.push(...(options.notes ?? []));
  const details: OutcomeDetails = { changed, refused, ...options.details };
  return {
    status: 'ok', action, summary: parts.join('; '),
    asked: outcomes.length, changed: changed.length, commands, details,
  };
}
