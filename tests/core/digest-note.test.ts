import { describe, expect, it } from "vitest";
import type { ArticleNote } from "../../src/core/catalog.ts";
import { dialects } from "../helpers/databases.ts";
import { fixtureNotes } from "../helpers/fixture-notes.ts";
import { createTestBot } from "../helpers/test-bot.ts";

describe.each(dialects)("the daily post teaches (%s)", (dialect) => {
  it("shows the note's summary and three takeaways under the titles, then the links, topics and reading time", async () => {
    const { chat, bot, db } = await createTestBot({ dialect });
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    const digest = await db.selectFrom("digests").select("article_url").executeTakeFirstOrThrow();
    const note = fixtureNotes.get(digest.article_url);
    if (!note) throw new Error(`no fixture note for ${digest.article_url}`);
    const text = chat.digests()[0]?.message.text ?? "";
    const lines = text.split("\n");
    expect(lines[3]).toBe(note.en.summary);
    expect(lines.slice(4, 7)).toEqual(note.en.takeaways.map((t) => `• ${t}`));
    expect(text.indexOf(note.en.summary)).toBeLessThan(text.indexOf("Original"));
    expect(text).toContain(`Reading time: ${note.minutes} min`);
  });

  it("in the workspace's language, and without a note shows the titles and links alone", async () => {
    const { chat, bot, db, clock } = await createTestBot({ dialect });
    await chat.say("lead", "config language zh");
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    const digest = await db.selectFrom("digests").select("article_url").executeTakeFirstOrThrow();
    const note = fixtureNotes.get(digest.article_url) as ArticleNote;
    const text = chat.digests()[0]?.message.text ?? "";
    expect(text).toContain(note.zh.summary);
    expect(text).toContain(`• ${note.zh.takeaways[2]}`);
    expect(text).toContain(`阅读时间: 约 ${note.minutes} 分钟`);

    await db.updateTable("articles").set({ note: null }).execute();
    clock.advance(61_000); // content is re-read after a minute
    const shown = (await chat.say("lead", "digest")).map((r) => r.message.text).join("\n");
    expect(shown).not.toContain("•");
    expect(shown).not.toContain("阅读时间");
    expect(shown).toContain("中文翻译");
  });
});
