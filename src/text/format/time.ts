// Durations and ages the way operators read them: two units at most, largest first.

/** `3s`, `4m12s`, `2h05m`, `3d4h`; `-` for null/NaN, `∞`-free: infinite becomes `never`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '-';
  if (!Number.isFinite(seconds)) return 'never';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return `${m}m${String(s % 60).padStart(2, '0')}s`;
  }
  if (s < 86_400) {
    const h = Math.floor(s / 3600);
    return `${h}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  }
  const d = Math.floor(s / 86_400);
  if (d >= 100) return `${d}d`;
  return `${d}d${Math.floor((s % 86_400) / 3600)}h`;
}

/**
 * Time elapsed until now, as precise as a screen redrawn once a minute can keep true: seconds
 * under a minute (`42s`), whole minutes under an hour (`4m`), then as formatDuration (`2h05m`,
 * `3d4h`). An idle console then changes at most once a minute, all ages together.
 */
export function formatElapsed(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds) || !Number.isFinite(seconds)) return formatDuration(seconds);
  const s = Math.max(0, Math.floor(seconds));
  return s >= 60 && s < 3600 ? `${Math.floor(s / 60)}m` : formatDuration(s);
}

/** Like formatDuration but for sub-second values too: `250ms`, `1.2s`, then formatDuration. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '-';
  if (!Number.isFinite(ms)) return 'never';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  return formatDuration(ms / 1000);
}

/** Seconds from an epoch-ms time to `now` (never negative); null when unknown. */
export function ageSec(thenMs: number | null | undefined, nowMs: number): number | null {
  if (thenMs === null || thenMs === undefined || !Number.isFinite(thenMs)) return null;
  return Math.max(0, (nowMs - thenMs) / 1000);
}

/** Age of an epoch-ms time at `now` (see formatElapsed): `4m`; `-` when unknown; future times count as 0s. */
export function formatAge(thenMs: number | null | undefined, nowMs: number): string {
  if (thenMs === null || thenMs === undefined || Number.isNaN(thenMs)) return '-';
  if (!Number.isFinite(thenMs)) return 'never';
  return formatElapsed((nowMs - thenMs) / 1000);
}

/** `4m ago`, `in 30s`, `just now` (< 1 s), `never` for null. */
export function relativeTime(thenMs: number | null | undefined, nowMs: number): string {
  if (thenMs === null || thenMs === undefined || Number.isNaN(thenMs) || !Number.isFinite(thenMs)) return 'never';
  const delta = (nowMs - thenMs) / 1000;
  if (Math.abs(delta) < 1) return 'just now';
  return delta > 0 ? `${formatElapsed(delta)} ago` : `in ${formatElapsed(-delta)}`;
}

/** Rough minutes for sentences: `7 min`, `2h05m` beyond an hour, `45s` below a minute. */
export function formatSpan(seconds: number): string {
  if (seconds >= 60 && seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return formatDuration(seconds);
}
