import { describe, expect, it } from "vitest";
import { seedDatabase } from "../../src/content/seed.ts";
import { StudyBot } from "../../src/study-bot.ts";
import { dialects, migratedDatabase } from "../helpers/databases.ts";
import { FakeChat, textOf } from "../helpers/fake-chat.ts";
import { ManualClock } from "../helpers/manual-clock.ts";
import { silentLog } from "../helpers/test-bot.ts";

describe.each(dialects)("the real question bank in the bot (%s)", (dialect) => {
  it("imports idempotently and quizzes from every topic, each round on a question inside that topic", async () => {
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    const db = await migratedDatabase(dialect);
    const first = await seedDatabase(db, clock.now());
    expect(first.counts?.added).toBeGreaterThan(1000);
    expect((await seedDatabase(db, clock.now())).counts).toMatchObject({ added: 0, updated: 0, retired: 0 });

    const bot = new StudyBot({ db, clock, defaults: { timezone: "UTC", language: "zh" }, log: silentLog });
    const chat = new FakeChat();
    bot.addAdapter(chat);
    await chat.start(bot);
    const topics = await db.selectFrom("topics").select("id").execute();
    for (const { id } of topics) {
      const replies = await chat.say("ana", `quiz ${id}`, { channelId: `C-${id}` });
      expect(textOf(replies), id).toBe("测验已发出：用按钮作答。");
    }
    const rounds = await db
      .selectFrom("rounds")
      .innerJoin("questions", "questions.id", "rounds.question_id")
      .select(["rounds.channel_id", "questions.topic_id"])
      .execute();
    expect(rounds).toHaveLength(topics.length);
    for (const round of rounds) {
      const topic = round.channel_id.slice("console:T1:C-".length);
      expect(round.topic_id === topic || round.topic_id.startsWith(`${topic}.`), `${topic} -> ${round.topic_id}`).toBe(true);
    }
  });
});
