import cron, { type ScheduledTask } from "node-cron";
import type { Clock } from "../core/clock.ts";
import type { Logger, StudyBot } from "../core/study-bot.ts";
import type { Db } from "../store/database.ts";
import { openRounds } from "../store/rounds.repository.ts";

/**
 * Runs the bot's timed work: each round closes on its own timer, and a minute job posts due digests
 * and closes any round a timer missed (after a restart, or a timer lost to a crash).
 */
export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private minuteJob: ScheduledTask | undefined;

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

  async stop(): Promise<void> {
    await this.minuteJob?.destroy();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** One pass of the minute job. */
  async tick(): Promise<void> {
    try {
      await this.bot.closeDueRounds();
      await this.bot.runDueDigests();
    } catch (error) {
      this.log.error({ err: error }, "scheduled pass failed");
    }
  }

  private scheduleClose(roundId: string, closesAt: Date): void {
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
