import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { snapshotJsonSchemaText } from '../src/report/json-schema.js';

test('docs/snapshot.schema.json documents exactly the shape --once --json prints', () => {
  const documented = readFileSync(new URL('../docs/snapshot.schema.json', import.meta.url), 'utf8');
  assert.equal(documented, snapshotJsonSchemaText(), 'regenerate with: node --import tsx scripts/snapshot-json-schema.ts');
});
