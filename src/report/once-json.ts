// The shape of `absurd-top --once --json`: the snapshot plus the verdict, one zod schema, from
// which docs/snapshot.schema.json is generated.
import { z } from 'zod';
import { snapshotSchema, diagnosticSchema, type Snapshot } from '../data/snapshot.js';
import type { Diagnosis, OverallHealth } from '../data/diagnose.js';

export const onceJsonSchema = z.object({
  health: z.enum(['ok', 'warning', 'critical', 'stale', 'disconnected']),
  diagnoses: z.array(diagnosticSchema.extend({ key: z.string().optional() })),
  snapshot: snapshotSchema,
});
export type OnceJson = z.infer<typeof onceJsonSchema>;

export function onceJson(snapshot: Snapshot, diagnoses: readonly Diagnosis[], health: OverallHealth): OnceJson {
  return { health, diagnoses: [...diagnoses], snapshot };
}
