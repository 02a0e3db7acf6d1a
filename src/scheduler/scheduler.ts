import { randomUUID } from "node:crypto";
import cron, { type ScheduledTask } from "node-cron";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/ports.ts";
import { openRounds } from "../features/rounds/rounds.repository.ts";
import type { Db } from "../store/database.ts";
import { acquireLease, releaseLease } from "../store/leases.repository.ts";
import type { StudyBot } from "../study-bot.ts";

const minuteJobLease = "minute-job";
/** Longer than the minute between ticks, so a live holder always renews in time; a dead one is replaced within it. */
const leaseTtlMs = 90_000;
const shutdownBoundMs = 10_000;

/**
 * Runs the bot's timed work: each round closes on its own timer, and a minute job posts due digests, closes any round
 * a timer missed, and deletes a batch of answers past each workspace's retention. With several replicas, the replica holding the lease runs the minute job.
 */
export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly instanceId = randomUUID();
  private minuteJob: ScheduledTask | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly bot: StudyBot,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    bot.onRoundOpened((roundId, closesAt) => this.scheduleClose(roundId, closesAt));
  }

  /** Catches up (overdue rounds close, today's due digests post), then keeps time. */
  async start(): Promise<void> {
    for (const round of await openRounds(this.db)) this.scheduleClose(round.id, new Date(round.closes_at));
    await this.tick();
    this.minuteJob = cron.schedule("* * * * *", () => this.tick(), { noOverlap: true });
  }

  /** Takes no new work, lets the pass in flight finish (within a bound), and gives the lease up. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.minuteJob?.destroy();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => (bound = setTimeout(resolve, shutdownBoundMs)))]);
    clearTimeout(bound);
    await releaseLease(this.db, minuteJobLease, this.instanceId);
  }

  /** One pass of the minute job, if this replica holds the lease. */
  tick(): Promise<void> {
    if (this.stopping) return this.running;
    this.running = this.pass();
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      if (!(await acquireLease(this.db, minuteJobLease, this.instanceId, leaseTtlMs, this.clock.now()))) return;
      await this.bot.closeDueRounds();
      await this.bot.runDueDigests();
      await this.bot.deleteExpiredAnswers();
    } catch (error) {
      this.log.error({ err: error }, "scheduled pass failed");
    }
  }

  private scheduleClose(roundId: string, closesAt: Date): void {
    if (this.stopping) return;
    clearTimeout(this.timers.get(roundId));
    const delay = Math.max(0, closesAt.getTime() - this.clock.now().getTime());
    const timer = setTimeout(() => {
      this.timers.delete(roundId);
      this.bot.closeRound(roundId).catch((error) => this.log.error({ err: error, roundId }, "closing a round failed"));
    }, delay);
    // Timers alone never keep the process alive: the adapters do.
    timer.unref();
    this.timers.set(roundId, timer);
  }
}
