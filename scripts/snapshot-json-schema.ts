// Writes docs/snapshot.schema.json from the zod schema, so the documented `--once --json`
// shape can never drift from the code (a test compares them).
import { writeFileSync } from 'node:fs';
import { snapshotJsonSchemaText } from '../src/report/json-schema.js';

writeFileSync(new URL('../docs/snapshot.schema.json', import.meta.url), snapshotJsonSchemaText());
console.log('wrote docs/snapshot.schema.json');
