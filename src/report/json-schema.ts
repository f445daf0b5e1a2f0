// The JSON Schema of `absurd-top --once --json`, generated from the zod schema.
import { z } from 'zod';
import { onceJsonSchema } from './once-json.js';

export function snapshotJsonSchemaText(): string {
  const schema = z.toJSONSchema(onceJsonSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ title: 'absurd-top --once --json', ...schema }, null, 2)}\n`;
}
