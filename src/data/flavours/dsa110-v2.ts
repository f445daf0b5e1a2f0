// Reader for flavour `dsa110-v2` (absurd.tasks). A refresh is two parallel round trips (the
// queue list and one multi-statement query), each statement served by an index:
// live states by (status), activity by (created_at desc); all-time totals once a minute.
import type { DbSnapshot } from '../snapshot.js';
import { assembleSnapshot } from './assemble.js';
import { multiQuery, pickQueues, slowQuery, type ReaderContext } from './context.js';
import { DsaReader } from './dsa-reader.js';
import { v2Columns } from './dsa-sql.js';
import { MinuteCache } from './minute-cache.js';
import { liveRowSchema, parseRows, terminalRowSchema, type TerminalRow } from './rows.js';
import { oldestLive } from './window-floor.js';
import { windowRowSchema } from './window-sql.js';

/** DISTINCT queue_name as a loose index scan: one probe of (queue_name, status) per queue. */
const queuesSql = `
  with recursive q as (
    (select queue_name from absurd.tasks order by queue_name limit 1)
    union all
    select (select t.queue_name from absurd.tasks t where t.queue_name > q.queue_name order by t.queue_name limit 1)
      from q where q.queue_name is not null)
  select queue_name from q where queue_name is not null`;

export class DsaV2Reader extends DsaReader {
  readonly flavour = 'dsa110-v2' as const;
  private readonly totals: MinuteCache<TerminalRow[]>;

  constructor(ctx: ReaderContext) {
    super(ctx, v2Columns);
    this.totals = new MinuteCache(async () => parseRows(terminalRowSchema, await slowQuery(ctx, this.sql.terminal()), 'total'),
      ctx.options.cacheTtlMs, ctx.options.now);
  }

  async queues(): Promise<string[]> {
    return (await this.pool.query<{ queue_name: string }>(queuesSql)).rows.map((r) => r.queue_name);
  }

  async snapshot(roundTripMs: number): Promise<DbSnapshot> {
    const { ctx, sql } = this;
    // The totals go alongside (a third connection): the first refresh waits for them, and
    // waiting for them after the rest would add their whole time to the first live frame.
    const [all, rows, terminal] = await Promise.all([
      this.queues(),
      multiQuery(this.pool, [sql.live(), sql.windowFacts(50, this.history.oldestMs()), sql.inFlight(200), sql.failures(50),
        sql.recent(10)]),
      this.totals.get(),
    ]);
    const queues = pickQueues(all, ctx.config);
    const [live, windowRows, inFlight, failures, recent] = rows;
    const [win] = parseRows(windowRowSchema, (windowRows ?? []).slice(0, 1), 'activity');
    const liveRows = parseRows(liveRowSchema, live ?? [], 'live count');
    this.history.observe(oldestLive(liveRows));
    return assembleSnapshot({
      queues,
      live: liveRows,
      activity: win?.activity ?? [],
      workers: win?.workers ?? [],
      ...this.taskLists.parse(inFlight, failures, recent),
      errorResults: win?.error_results ?? [],
      terminal,
      diagnostics: ctx.detection.diagnostics,
    }, {
      flavour: this.flavour, schemaVersion: ctx.detection.schemaVersion, target: ctx.target,
      roundTripMs, thresholds: ctx.config.thresholds,
    });
  }
}
