import { userInfo } from "node:os";
import { ConsoleAdapter } from "./adapters/console/console-adapter.ts";
import type { Config } from "./config.ts";
import { seedDatabase } from "./content/seed.ts";
import { systemClock } from "./core/clock.ts";
import { StudyBot } from "./core/study-bot.ts";
import { createLogger } from "./logger.ts";
import { Scheduler } from "./scheduler/scheduler.ts";
import { migrateToLatest, openDatabase } from "./store/database.ts";

/** The local user for the console: $USER, else the OS account, else "you". */
function consoleUser(): string {
  if (process.env.USER) return process.env.USER;
  try {
    return userInfo().username || "you";
  } catch {
    return "you";
  }
}

/** Composition root: config -> database -> core -> adapter -> scheduler; resolves when the bot has shut down. */
export async function runBot(config: Config): Promise<void> {
  const log = createLogger(config.logLevel ?? "warn");
  const db = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(db);
    await seedDatabase(db, systemClock.now(), { onlyIfChanged: true });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const bot = new StudyBot({ db, clock: systemClock, defaults: { timezone: config.timezone, language: config.language }, log });
  const terminal = new ConsoleAdapter({
    input: process.stdin,
    output: process.stdout,
    user: consoleUser(),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });
  bot.addAdapter(terminal);
  const scheduler = new Scheduler(bot, db, systemClock, log);

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= (async () => {
      await scheduler.stop();
      await terminal.stop();
      await bot.settle();
      bot.stop();
      await db.destroy();
    })();
    return stopping;
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);

  await terminal.start(bot);
  await scheduler.start();
  // The console exits when its input ends.
  await terminal.finished();
  await shutdown();
}
