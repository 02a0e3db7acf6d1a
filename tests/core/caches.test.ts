import { describe, expect, it } from "vitest";
import { textOf } from "../helpers/fake-chat.ts";
import { createTestBot } from "../helpers/test-bot.ts";

// Another replica (or a `study-bot seed` run) changes the database; this process sees it once its cache entry expires by the
// injected clock, and not before.
describe("caches expire by the injected clock", () => {
  it("re-reads a workspace's settings after 5 seconds", async () => {
    const { chat, clock, db } = await createTestBot();
    expect(textOf(await chat.say("ana", "config"))).toContain("Settings");
    await db.updateTable("workspaces").set({ language: "zh" }).execute();
    expect(textOf(await chat.say("ana", "config"))).toContain("Settings");
    clock.advance(5_001);
    expect(textOf(await chat.say("ana", "config"))).toContain("设置");
  });

  it("re-reads the content after a minute", async () => {
    const { chat, clock, db } = await createTestBot();
    const [topic] = await db.selectFrom("topics").select(["id", "en_name"]).where("parent_id", "is", null).execute();
    if (!topic) throw new Error("a root topic expected");
    expect(textOf(await chat.say("ana", "topics"))).toContain(topic.en_name);
    await db.updateTable("topics").set({ en_name: "Renamed branch" }).where("id", "=", topic.id).execute();
    clock.advance(30_000);
    expect(textOf(await chat.say("ana", "topics"))).not.toContain("Renamed branch");
    clock.advance(30_001);
    expect(textOf(await chat.say("ana", "topics"))).toContain("Renamed branch");
  });
});
