import type { Db } from "./database.ts";

type Work<T> = (trx: Db) => Promise<T>;

interface Queued {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs small write transactions that arrive together (answers clicked in the same moment) as one: on SQLite in WAL
 * mode the commit's sync costs more than the writes, so one commit per batch multiplies throughput (npm run bench).
 * If the shared transaction fails, each piece of work is retried alone, so one bad write never fails the others.
 */
export class TransactionBatcher {
  private queue: Queued[] = [];

  constructor(
    private readonly db: Db,
    // 1,000 clicks at once (npm run bench, discord-gateway) drained faster as 4 commits than as 16 of 64: each held
    // click's garbage lives until its commit, and a commit's cost grows less than its size.
    private readonly maxBatch = 256,
  ) {}

  /**
   * Runs `work` in a transaction shared with the work queued beside it. If the shared transaction fails, `work` runs
   * again alone: it must write rows through `trx` and nothing else (no cache, no post, no counter), so that a second run
   * leaves what one run leaves. Callers note in memory what committed after this resolves.
   */
  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      // Work queued in the same turn of the event loop joins this batch; a full batch goes at once.
      if (this.queue.length === 1) setImmediate(() => void this.flush());
      else if (this.queue.length >= this.maxBatch) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    for (let i = 0; i < batch.length; i += this.maxBatch) await this.commit(batch.slice(i, i + this.maxBatch));
  }

  private async commit(batch: Queued[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const results = await this.db.transaction().execute(async (trx) => {
          const out: unknown[] = [];
          for (const item of batch) out.push(await item.work(trx));
          return out;
        });
        for (const [i, item] of batch.entries()) item.resolve(results[i]);
        return;
      } catch {
        // Fall through: each alone, so only the failing work reports its error.
      }
    }
    await Promise.all(batch.map((item) => this.db.transaction().execute(item.work).then(item.resolve, item.reject)));
  }
}
