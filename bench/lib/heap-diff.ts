// Compares two V8 heap snapshots (.heapsnapshot files) by node type and constructor name: what
// grew between them. A leak shows as a type whose count and size keep growing; compiled code
// and its deopt data grow for a while in any long run and are not a leak.
import { readFileSync } from 'node:fs';

interface Totals { count: number; bytes: number }

interface HeapSnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

export function summarizeHeap(file: string): { byKind: Map<string, Totals>; totalBytes: number } {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotFile;
  const fields = snap.snapshot.meta.node_fields;
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snap.snapshot.meta.node_types[0];
  const byKind = new Map<string, Totals>();
  let totalBytes = 0;
  for (let i = 0; i < snap.nodes.length; i += stride) {
    const type = types[snap.nodes[i + typeAt]!] ?? '?';
    const name = type.includes('string') ? '(strings)' : (snap.strings[snap.nodes[i + nameAt]!] ?? '').slice(0, 60);
    const size = snap.nodes[i + sizeAt]!;
    const key = `${type}: ${name}`;
    const totals = byKind.get(key) ?? { count: 0, bytes: 0 };
    totals.count++;
    totals.bytes += size;
    byKind.set(key, totals);
    totalBytes += size;
  }
  return { byKind, totalBytes };
}

/** Kinds that grew by more than `minBytes`, largest growth first. */
export function heapGrowth(before: string, after: string, minBytes = 20_000): { kind: string; count: number; bytes: number }[] {
  const a = summarizeHeap(before).byKind;
  const b = summarizeHeap(after).byKind;
  const rows: { kind: string; count: number; bytes: number }[] = [];
  for (const [kind, totals] of b) {
    const old = a.get(kind) ?? { count: 0, bytes: 0 };
    if (totals.bytes - old.bytes > minBytes) rows.push({ kind, count: totals.count - old.count, bytes: totals.bytes - old.bytes });
  }
  return rows.sort((x, y) => y.bytes - x.bytes);
}
