// A task list changes by a few rows a refresh, yet reading a row (JSON.parse, then zod) was most
// of what a refresh cost in the reader. A row whose JSON text is the same as on the last refresh
// is therefore the very object parsed then: no parsing, and nothing new for the garbage
// collector to copy. Only the last refresh's rows are kept, so the cache is as big as the list.
import type { z } from 'zod';
import { fromJsonRows, type JsonRows } from './context.js';
import { inFlightRowSchema, summaryRowSchema, type InFlightRow, type SummaryRow } from './rows.js';

export class ReusedRows<S extends z.ZodType> {
  private last = new Map<string, z.output<S>>();

  constructor(private readonly schema: S, private readonly what: string) {}

  parse({ texts }: JsonRows): z.output<S>[] {
    const next = new Map<string, z.output<S>>();
    const rows = texts.map((text, index) => {
      let row = this.last.get(text) ?? next.get(text);
      if (row === undefined) row = this.parseOne(text, index);
      next.set(text, row);
      return row;
    });
    this.last = next;
    return rows;
  }

  private parseOne(text: string, index: number): z.output<S> {
    const parsed = this.schema.safeParse(JSON.parse(text)) as z.ZodSafeParseResult<z.output<S>>;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`unexpected ${this.what} row from the database at ${[index, ...(issue?.path ?? [])].join('.')}: ${issue?.message}`);
    }
    return parsed.data;
  }
}

/** The three task lists every reader reads each refresh, each with its own reuse. */
export class TaskListRows {
  private readonly inFlight = new ReusedRows(inFlightRowSchema, 'in-flight');
  private readonly failures = new ReusedRows(summaryRowSchema, 'failure');
  private readonly recent = new ReusedRows(summaryRowSchema, 'recent task');

  /** The jsonRows results of the in-flight, failures and recent statements, in that order. */
  parse(inFlight: unknown[] | undefined, failures: unknown[] | undefined, recent: unknown[] | undefined): TaskLists {
    const running = fromJsonRows(inFlight);
    return {
      inFlight: this.inFlight.parse(running),
      failures: this.failures.parse(fromJsonRows(failures)),
      recent: this.recent.parse(fromJsonRows(recent)),
      dbNowMs: running.nowMs,
    };
  }
}

export interface TaskLists {
  inFlight: InFlightRow[];
  failures: SummaryRow[];
  recent: SummaryRow[];
  /** The database clock when the in-flight list was read: its tasks' ages are taken against it. */
  dbNowMs: number;
}
