// Reader for flavour `dsa110-v1` (absurd.t_tasks). The table has only a partial index on
// pending rows, so everything except pending counts needs a full scan: on a big table those
// figures come from one multi-statement scan at most once a minute, and a diagnostic proposes the
// index that would make them live. Small tables are simply scanned every refresh.
import type { DbSnapshot, Diagnostic } from '../snapshot.js';
import { assembleSnapshot } from './assemble.js';
import { multiQuery, pickQueues, type ReaderContext } from './context.js';
import { DsaReader } from './dsa-reader.js';
import { v1Columns } from './dsa-sql.js';
import { MinuteCache, type Cached } from './minute-cache.js';
import type { TaskLists } from './row-reuse.js';
import { oldestLive } from './window-floor.js';
import { windowRowSchema } from './window-sql.js';
import {
  liveRowSchema, parseRows, terminalRowSchema, type ActivityRow, type LiveRow, type TerminalRow, type WorkerRow,
} from './rows.js';
import { z } from 'zod';

interface ScanFacts extends TaskLists {
  claimed: LiveRow[];
  activity: ActivityRow[];
  workers: WorkerRow[];
  terminal: TerminalRow[];
}

const catalogRow = z.object({ est_rows: z.number(), has_status_idx: z.boolean(), has_created_idx: z.boolean() });
/** Non-partial indexes of t_tasks whose first column is status / created_at. */
const catalogSql = `
  -- reltuples is -1 until the first VACUUM/ANALYZE: then guess from the size (~200 bytes a row)
  select case when c.reltuples >= 0 then c.reltuples::float8 else pg_relation_size(c.oid) / 200.0 end::float8 as est_rows,
    exists (select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
             where i.indrelid = c.oid and i.indpred is null and a.attname = 'status') as has_status_idx,
    exists (select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
             where i.indrelid = c.oid and i.indpred is null and a.attname = 'created_at') as has_created_idx
  from pg_class c where c.oid = 'absurd.t_tasks'::regclass`;

export const v1IndexStatements = {
  status: 'CREATE INDEX CONCURRENTLY t_tasks_status_created_idx ON absurd.t_tasks (status, created_at);',
  created: 'CREATE INDEX CONCURRENTLY t_tasks_created_idx ON absurd.t_tasks (created_at DESC);',
};

export class DsaV1Reader extends DsaReader {
  readonly flavour = 'dsa110-v1' as const;
  private readonly scans: MinuteCache<ScanFacts>;

  constructor(ctx: ReaderContext) {
    super(ctx, v1Columns);
    this.scans = new MinuteCache(() => this.scan(), ctx.options.cacheTtlMs, ctx.options.now);
  }

  async queues(): Promise<string[]> {
    return (await this.pool.query<{ queue_name: string }>('select queue_name from absurd.queues order by queue_name')).rows
      .map((r) => r.queue_name);
  }

  async snapshot(roundTripMs: number): Promise<DbSnapshot> {
    const { ctx, sql } = this;
    const [all, [pendingRows, catalogRows]] = await Promise.all([
      this.queues(), multiQuery(this.pool, [sql.live(`'pending'`), catalogSql]),
    ]);
    const queues = pickQueues(all, ctx.config);
    const catalog = catalogRow.parse(catalogRows?.[0]);
    const missing = [
      ...(catalog.has_status_idx ? [] : [v1IndexStatements.status]),
      ...(catalog.has_created_idx ? [] : [v1IndexStatements.created]),
    ];
    const cache = missing.length > 0 && catalog.est_rows >= ctx.options.v1ScanEveryRefreshBelowRows;
    const scanned: Cached<ScanFacts> = cache ? await this.scans.get() : { value: await this.scan(), asOf: ctx.options.now(), error: null };
    const f = scanned.value;
    const pending = parseRows(liveRowSchema, pendingRows ?? [], 'live count');
    this.history.observe(oldestLive([...pending, ...f.claimed]));
    const diagnostics: Diagnostic[] = [...ctx.detection.diagnostics];
    if (missing.length > 0) {
      const how = cache
        ? `running, failed and recent figures come from one full scan a minute (last ${new Date(scanned.asOf).toISOString()}), only pending counts are live`
        : 'every refresh scans the whole table (cheap only while it is small)';
      diagnostics.push({
        level: 'warning',
        message: `dsa110-v1: absurd.t_tasks has no index on ${[catalog.has_status_idx ? null : 'status', catalog.has_created_idx ? null : 'created_at'].filter(Boolean).join(' or ')}, so ${how}. Add: ${missing.join(' ')}`,
      });
    }
    return assembleSnapshot({
      queues,
      live: [...pending, ...f.claimed],
      activity: f.activity, workers: f.workers, inFlight: f.inFlight, failures: f.failures,
      errorResults: [], recent: f.recent, dbNowMs: f.dbNowMs,
      terminal: { value: f.terminal, asOf: scanned.asOf, error: scanned.error },
      diagnostics,
    }, {
      flavour: this.flavour, schemaVersion: null, target: ctx.target, roundTripMs, thresholds: ctx.config.thresholds,
    });
  }

  /** Everything that needs more than the pending index, in one round trip. */
  private async scan(): Promise<ScanFacts> {
    const { sql } = this;
    const [claimed, windowRows, inFlight, failures, recent, terminal] = await multiQuery(this.pool, [
      sql.live(`'claimed'`), sql.windowFacts(0, this.history.oldestMs()), sql.inFlight(200), sql.failures(50), sql.recent(10), sql.terminal(),
    ]);
    const [win] = parseRows(windowRowSchema, (windowRows ?? []).slice(0, 1), 'activity');
    return {
      claimed: parseRows(liveRowSchema, claimed ?? [], 'live count'),
      activity: win?.activity ?? [],
      workers: win?.workers ?? [],
      ...this.taskLists.parse(inFlight, failures, recent),
      terminal: parseRows(terminalRowSchema, terminal ?? [], 'total'),
    };
  }
}
