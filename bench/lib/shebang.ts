// The node flags the bin's shebang passes (`#!/usr/bin/env -S node --flag …`): benches that run
// the console's code some other way (in-process stand-ins, a bundled frame bench) pass them
// too, so V8 compiles and collects as it does for operators.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const builtCli = fileURLToPath(new URL('../../dist/bin/absurd-top.js', import.meta.url));

export function shebangNodeFlags(): string[] {
  const first = readFileSync(builtCli, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\S*env(?:\s+-S)?\s+node\s*(.*)$/.exec(first);
  return m?.[1] ? m[1].trim().split(/\s+/) : [];
}
