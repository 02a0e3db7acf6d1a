import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedDatabase } from "../src/content/seed.ts";
import type { Clock } from "../src/core/clock.ts";
import type { OutMessage } from "../src/core/message.ts";
import type { ChannelAddress, ChatAdapter, MessageRef } from "../src/core/ports.ts";
import { type Db, migrateToLatest, openDatabase, type SqliteSynchronous } from "../src/store/database.ts";
import { StudyBot } from "../src/study-bot.ts";

export const quietLog = { info() {}, warn() {}, error() {} };

/** A platform that accepts every post at once, so the bot's own work is what gets measured. */
export class NullChat implements ChatAdapter {
  readonly platform = "console" as const;
  private posted = 0;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async post(_address: ChannelAddress, _message: OutMessage): Promise<MessageRef> {
    return `m${++this.posted}`;
  }
  async update(): Promise<void> {}
}

const benchDirs: string[] = [];
// Removed when the process exits, however the run ends: a full run writes hundreds of MB of databases.
process.on("exit", () => {
  for (const dir of benchDirs) rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder for a benchmark's files. */
export function benchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "study-bot-bench-"));
  benchDirs.push(dir);
  return dir;
}

/** A migrated SQLite file in WAL mode with the real content. */
export async function benchDatabase(now: Date, synchronous: SqliteSynchronous = "full"): Promise<{ db: Db; path: string }> {
  const path = join(benchDir(), "bench.sqlite");
  const db = openDatabase(path, { synchronous });
  await migrateToLatest(db);
  await seedDatabase(db, now);
  return { db, path };
}

/** A bot on the null platform; `random` is a fixed-seed generator, so every run picks the same questions. */
export function benchBot(db: Db, clock: Clock): StudyBot {
  let seed = 42;
  const random = () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const bot = new StudyBot({ db, clock, defaults: { timezone: "UTC", language: "en" }, log: quietLog, random });
  bot.addAdapter(new NullChat());
  return bot;
}

export const actor = (userId: string) => ({ userId, displayName: userId, isAdmin: async () => true });
export const where = (channelId: string): ChannelAddress => ({ platform: "console", workspaceId: "W", channelId });

/** A Web API request's fields, from a JSON body or a form (whose object fields travel as JSON strings). */
export function webApiFields(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (contentType?.startsWith("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) fields[key] = key === "blocks" || key === "metadata" ? JSON.parse(value) : value;
  return fields;
}
