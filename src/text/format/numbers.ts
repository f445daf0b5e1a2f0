// Bytes, percentages and counts, short enough for narrow columns.

const byteUnits = ['B', 'K', 'M', 'G', 'T', 'P', 'E'];

/** `df -h` style, base 1024: `512B`, `1.5K`, `212M`, `3.4T`; `-` when unknown. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '-';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)}B`;
  // 1023.9K would round to "1024K": step up instead.
  if (value >= 9.95 && Math.round(value) >= 1024 && unit < byteUnits.length - 1) return `1.0${byteUnits[unit + 1]}`;
  return value < 9.95 ? `${value.toFixed(1)}${byteUnits[unit]}` : `${Math.round(value)}${byteUnits[unit]}`;
}

/** A percentage already in 0..100: `93%`, `0.4%` below 1, `-` when unknown. */
export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '-';
  if (pct > 0 && pct < 1) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

/** A ratio in 0..1 as a percentage: 0.32 → `32%`. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '-';
  return formatPct(ratio * 100);
}

/** Exact below 10 000, then `12.3k`, `123k`, `1.2M`, `12M`, `1.2G`. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a < 10_000) return `${sign}${Number.isInteger(a) ? a : a.toFixed(1)}`;
  const units: Array<[number, string]> = [[1e3, 'k'], [1e6, 'M'], [1e9, 'G']];
  for (const [i, [size, suffix]] of units.entries()) {
    const v = a / size;
    if (v < 99.95) return `${sign}${v.toFixed(1)}${suffix}`;
    if (v < 999.5 || i === units.length - 1) return `${sign}${Math.round(v)}${suffix}`;
  }
  return `${sign}${Math.round(a)}`;
}

/** Per-minute rates: `0`, `0.4/m`, `12/m`, `1.2k/m`. */
export function formatRate(perMin: number | null | undefined): string {
  if (perMin === null || perMin === undefined || !Number.isFinite(perMin)) return '-';
  if (perMin === 0) return '0/m';
  if (perMin < 10) return `${perMin.toFixed(1)}/m`;
  return `${formatCount(Math.round(perMin))}/m`;
}

/** Singular or plural: plural(1, 'task') → `1 task`, plural(3, 'task') → `3 tasks`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
