// `systemctl list-units` output, in its JSON form (systemd 246+) and its plain table form
// (older systemd ignores --output=json for list-units and prints the table with a header).
import { z } from 'zod';

export interface ListedUnit {
  name: string;
  load: string;
  active: string;
  sub: string;
}

const jsonRowSchema = z.object({
  unit: z.string().min(1),
  load: z.string().catch('unknown'),
  active: z.string().catch('unknown'),
  sub: z.string().catch('unknown'),
}).loose();

/** null when the text is not the JSON array systemd prints (then the caller falls back to plain). */
export function parseListUnitsJson(text: string): ListedUnit[] | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(raw)) return null;
  const rows: ListedUnit[] = [];
  for (const item of raw) {
    const parsed = jsonRowSchema.safeParse(item);
    // One odd row must not hide the others.
    if (parsed.success) rows.push({ name: parsed.data.unit, load: parsed.data.load, active: parsed.data.active, sub: parsed.data.sub });
  }
  return rows;
}

const unitLike = /^[A-Za-z0-9:_.@\\-]+\.[a-z]+$/;

/**
 * Plain table: `UNIT LOAD ACTIVE SUB DESCRIPTION...`, maybe with a leading "●"/"*" mark on failed
 * or not-found units, maybe with a header and a legend (old systemd, or --no-legend missing).
 * Lines whose first column is not a unit name (header, legend, blank) are skipped.
 */
export function parseListUnitsPlain(text: string): ListedUnit[] {
  const rows: ListedUnit[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/).filter(Boolean);
    while (fields.length > 0 && !/[A-Za-z0-9]/.test(fields[0] ?? '')) fields.shift();
    const [name, load, active, sub] = fields;
    if (!name || !unitLike.test(name) || !load || !active || !sub) continue;
    rows.push({ name, load, active, sub });
  }
  return rows;
}
