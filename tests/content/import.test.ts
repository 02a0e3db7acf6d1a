import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ContentError, seedDatabase } from "../../src/content/seed.ts";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { dialects, freshDatabaseUrl, migratedDatabase } from "../helpers/databases.ts";
import { createTestBot, fixtureSeeds } from "../helpers/test-bot.ts";

function copyOfFixtures(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "study-bot-seeds-")), "seeds");
  cpSync(fixtureSeeds, dir, { recursive: true });
  return dir;
}

const now = new Date("2026-11-23T10:00:00Z");

describe.each(dialects)("content import (%s)", (dialect) => {
  it("is idempotent: the second run adds, updates and retires nothing", async () => {
    const db = await migratedDatabase(dialect);
    const first = await seedDatabase(db, now, { dir: fixtureSeeds });
    expect(first.counts).toEqual({ added: 20, updated: 0, retired: 0, unchanged: 0 });
    const second = await seedDatabase(db, now, { dir: fixtureSeeds });
    expect(second.counts).toEqual({ added: 0, updated: 0, retired: 0, unchanged: 20 });
    expect(await seedDatabase(db, now, { dir: fixtureSeeds, onlyIfChanged: true })).toEqual({ counts: undefined, stats: undefined });
  });

  it("updates an edited question in place and retires a removed one, keeping its answers", async () => {
    const dir = copyOfFixtures();
    const clockBot = await createTestBot({ db: await migratedDatabase(dialect) });
    await seedDatabase(clockBot.db, now, { dir });
    await clockBot.chat.say("ana", "quiz net.tcp");
    await clockBot.chat.press("ana", "1");
    const askedId = (await clockBot.db.selectFrom("rounds").select("question_id").executeTakeFirstOrThrow()).question_id;

    const file = join(dir, "questions", "fixture.yaml");
    const yaml = readFileSync(file, "utf8");
    const edited = yaml.replace("Fixture question fx-epoll-1", "Edited epoll question");
    const blocks = edited.split(/\n(?=- id: )/);
    writeFileSync(file, blocks.filter((b) => !b.includes(`id: ${askedId}\n`)).join("\n"));

    const counts = (await seedDatabase(clockBot.db, now, { dir })).counts;
    expect(counts).toMatchObject({ updated: 1, retired: 1, added: 0 });
    const epoll = await clockBot.db.selectFrom("questions").selectAll().where("id", "=", "fx-epoll-1").executeTakeFirstOrThrow();
    expect(JSON.parse(epoll.body).en.prompt).toBe("Edited epoll question");
    const retired = await clockBot.db.selectFrom("questions").selectAll().where("id", "=", askedId).executeTakeFirstOrThrow();
    expect(retired.retired).toBe(1);
    expect(await clockBot.db.selectFrom("answers").selectAll().execute()).toHaveLength(1);
    const candidates = await clockBot.db.selectFrom("questions").select("id").where("retired", "=", 0).execute();
    expect(candidates.map((c) => c.id)).not.toContain(askedId);
  });

  it("stops on invalid content, naming the file, the item and the rule, and imports nothing", async () => {
    const dir = copyOfFixtures();
    const file = join(dir, "questions", "fixture.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("topic: net.tcp\n  difficulty: 1", "topic: net.udp\n  difficulty: 1"));
    const db = await migratedDatabase(dialect);
    const attempt = seedDatabase(db, now, { dir });
    await expect(attempt).rejects.toThrow(ContentError);
    await expect(seedDatabase(db, now, { dir })).rejects.toThrow(
      "questions/fixture.yaml: fx-tcp-1: [unknown-topic] topic net.udp does not exist",
    );
    expect(await db.selectFrom("questions").selectAll().execute()).toHaveLength(0);
  });

  it("lets two replicas import the same content at the same moment", async () => {
    const url = await freshDatabaseUrl(dialect, join(mkdtempSync(join(tmpdir(), "study-bot-seed-")), "race.sqlite"));
    const [one, two] = [openDatabase(url), openDatabase(url)];
    await migrateToLatest(one);
    const results = await Promise.all([seedDatabase(one, now, { dir: fixtureSeeds }), seedDatabase(two, now, { dir: fixtureSeeds })]);
    expect(results.every((r) => r.counts !== undefined)).toBe(true);
    expect(await one.selectFrom("questions").selectAll().execute()).toHaveLength(11);
    await Promise.all([one.destroy(), two.destroy()]);
  });
});
