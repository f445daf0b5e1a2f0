// What the two dsa110 readers share: task detail and browsing, which differ only in columns.
import type pg from 'pg';
import type { DbSnapshot, Flavour } from '../snapshot.js';
import type { BrowsePage, BrowseQuery, TaskDetail } from '../sources.js';
import { isUuid } from '../pg/sql-text.js';
import { activityWindowSec, likePattern, parseBrowse, pickQueues, type FlavourReader, type ReaderContext } from './context.js';
import { dsaDetailRow } from './detail-rows.js';
import { DsaSql, type DsaColumns } from './dsa-sql.js';
import { parseRows, summaryRowSchema, toSummary } from './rows.js';
import { TaskListRows } from './row-reuse.js';
import { LiveHistory } from './window-floor.js';
import { z } from 'zod';

const browseRow = summaryRowSchema.extend({ created_us: z.string() });

export abstract class DsaReader implements FlavourReader {
  abstract readonly flavour: Flavour;
  protected readonly sql: DsaSql;
  /** Oldest live task seen by recent refreshes, for the activity window (window-floor.ts). */
  protected readonly history: LiveHistory;
  /** In flight, failures and recent, parsed only where a row changed (row-reuse.ts). */
  protected readonly taskLists = new TaskListRows();

  constructor(protected readonly ctx: ReaderContext, protected readonly cols: DsaColumns) {
    this.sql = new DsaSql(cols, ctx.config.queue, activityWindowSec(ctx.config));
    this.history = new LiveHistory(ctx.options.now);
  }

  abstract queues(): Promise<string[]>;
  abstract snapshot(roundTripMs: number): Promise<DbSnapshot>;

  protected get pool(): pg.Pool {
    return this.ctx.pool;
  }

  async taskDetail(queue: string, taskId: string): Promise<TaskDetail | null> {
    if (!isUuid(taskId)) return null;
    const res = await this.pool.query(`select ${this.sql.summary()}, params, result, error as full_error, ${this.cols.detailExtra}
        from ${this.cols.table} where task_id = $1 and queue_name = $2`, [taskId, queue]);
    if (res.rows.length === 0) return null;
    const row = dsaDetailRow.parse(res.rows[0]);
    const extra: TaskDetail['extra'] = { priority: row.priority, timeout_sec: row.timeout_sec };
    if (row.wait_time_sec !== undefined) extra.wait_time_sec = row.wait_time_sec;
    if (row.execution_time_sec !== undefined) extra.execution_time_sec = row.execution_time_sec;
    if (row.retry_count !== undefined) extra.retry_count = row.retry_count;
    if (row.max_retries !== undefined) extra.max_retries = row.max_retries;
    const timestamps: TaskDetail['timestamps'] = { created_at: row.created_at, claimed_at: row.claimed_at, completed_at: row.completed_at };
    if (row.last_heartbeat !== undefined) timestamps.last_heartbeat = row.last_heartbeat;
    return {
      ...toSummary(this.flavour, row), timestamps, params: row.params, result: row.result,
      fullError: row.full_error, extra, runs: [], checkpoints: [],
    };
  }

  /**
   * Newest first by (created_at, task_id). The cursor keeps microseconds (as fractional ms),
   * because rows created within one millisecond would otherwise be skipped between pages.
   */
  async browse(input: BrowseQuery): Promise<BrowsePage> {
    const q = parseBrowse(input);
    pickQueues(await this.queues(), { ...this.ctx.config, queue: q.queue });
    const params: unknown[] = [q.queue];
    const where = ['queue_name = $1'];
    const add = (sql: (p: string) => string, value: unknown): void => { params.push(value); where.push(sql(`$${params.length}`)); };
    if (q.after) {
      if (!isUuid(q.after.id)) return { tasks: [], next: null };
      params.push(String(Math.round(q.after.createdAt * 1000)), q.after.id);
      where.push(`(created_at, task_id) < (timestamptz 'epoch' + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length}::uuid)`);
    }
    if (q.states?.length) where.push(`(${q.states.map((s) => this.cols.statePredicate[s] ?? 'false').join(' or ')})`);
    if (q.name) add((p) => `task_name ilike ${p}`, likePattern(q.name));
    if (q.text) add((p) => `(task_id::text ilike ${p} or task_name ilike ${p} or error ilike ${p})`, likePattern(q.text));
    const res = await this.pool.query(`select ${this.sql.summary()},
        (extract(epoch from created_at) * 1000000)::bigint::text as created_us
      from ${this.cols.table} where ${where.join(' and ')}
      order by created_at desc, task_id desc limit ${q.limit + 1}`, params);
    const rows = parseRows(browseRow, res.rows, 'browse');
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      tasks: page.map((r) => toSummary(this.flavour, r)),
      next: rows.length > q.limit && last ? { createdAt: Number(last.created_us) / 1000, id: last.id } : null,
    };
  }
}
