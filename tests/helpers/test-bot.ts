import { fileURLToPath } from "node:url";
import { seedDatabase } from "../../src/content/seed.ts";
import type { DashboardLinks } from "../../src/features/dashboard/links.ts";
import type { Db } from "../../src/store/database.ts";
import { StudyBot } from "../../src/study-bot.ts";
import { type Dialect, migratedDatabase } from "./databases.ts";
import { FakeChat } from "./fake-chat.ts";
import { ManualClock } from "./manual-clock.ts";

export const fixtureSeeds = fileURLToPath(new URL("../fixtures/seeds", import.meta.url));

export const silentLog = { info() {}, warn() {}, error() {} };

/** A migrated database of the dialect with the fixture content. */
export async function fixtureDb(clock: ManualClock, dialect: Dialect = "sqlite", sqlitePath?: string): Promise<Db> {
  const db = await migratedDatabase(dialect, sqlitePath);
  await seedDatabase(db, clock.now(), { dir: fixtureSeeds });
  return db;
}

/** A bot on a fresh database with the fixture content, a fake chat and a manual clock. */
export async function createTestBot(
  options: {
    now?: string;
    timezone?: string;
    db?: Db;
    clock?: ManualClock;
    random?: () => number;
    dialect?: Dialect;
    chat?: FakeChat;
    dashboard?: DashboardLinks;
  } = {},
) {
  const clock = options.clock ?? new ManualClock(options.now ?? "2026-11-23T10:00:00Z");
  const db = options.db ?? (await fixtureDb(clock, options.dialect));
  const bot = new StudyBot({
    db,
    clock,
    defaults: { timezone: options.timezone ?? "UTC", language: "en" },
    log: silentLog,
    random: options.random ?? (() => 0),
    dashboard: options.dashboard,
  });
  const chat = options.chat ?? new FakeChat();
  bot.addAdapter(chat);
  await chat.start(bot);
  return { bot, chat, clock, db };
}

/** The correct choice (0-based) of the most recently opened round. */
export async function latestRoundAnswer(db: Db): Promise<number> {
  const row = await db
    .selectFrom("rounds")
    .innerJoin("questions", "questions.id", "rounds.question_id")
    .select("questions.answer")
    .orderBy("rounds.opened_at", "desc")
    .executeTakeFirstOrThrow();
  return row.answer;
}

/** The difficulty of the most recently opened round's question. */
export async function latestRoundDifficulty(db: Db): Promise<number> {
  const row = await db
    .selectFrom("rounds")
    .innerJoin("questions", "questions.id", "rounds.question_id")
    .select("questions.difficulty")
    .orderBy("rounds.opened_at", "desc")
    .executeTakeFirstOrThrow();
  return row.difficulty;
}

/** A free TCP port on 127.0.0.1 for a spawned bot. */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
