import { describe, expect, it } from "vitest";
import { dialects } from "../helpers/databases.ts";
import { FakeChat } from "../helpers/fake-chat.ts";
import { createTestBot, latestRoundAnswer } from "../helpers/test-bot.ts";

/** A chat platform whose threads cannot be opened (a permission missing). */
class NoThreadChat extends FakeChat {
  override async openThread(): Promise<string> {
    throw new Error("Missing Permissions (Create Public Threads)");
  }
}

describe.each(dialects)("the daily discussion thread (%s)", (dialect) => {
  it("posts the question of the day in a thread on the digest, and a short results reply there when the round closes", async () => {
    const { chat, bot, clock, db } = await createTestBot({ dialect, now: "2026-11-23T08:00:00Z" });
    await chat.say("lead", "subscribe 09:00");
    clock.set("2026-11-23T09:00:00Z");
    await bot.runDueDigests();
    const [digest] = chat.digests();
    const question = chat.rounds()[0];
    if (!digest || !question) throw new Error("no digest or question");
    expect([...chat.threads]).toEqual([[digest.ref, expect.stringMatching(/ · 2026-11-23$/)]]);
    expect(question.address).toMatchObject({ channelId: "C1", threadId: `thread-${digest.ref}` });
    expect(await db.selectFrom("rounds").select("thread_id").execute()).toEqual([{ thread_id: `thread-${digest.ref}` }]);

    // An answer clicked in the thread counts.
    const answer = await latestRoundAnswer(db);
    expect(await chat.press("ana", String(answer + 1), { post: question })).toEqual([
      expect.objectContaining({ message: expect.objectContaining({ text: expect.stringContaining("Correct!") }) }),
    ]);
    clock.set("2026-11-24T00:00:01Z");
    await bot.closeDueRounds();
    expect(question.edits.at(-1)?.text).toContain("Question of the day · Results");
    const replies = chat.posts.filter((p) => p.address.threadId === `thread-${digest.ref}` && p !== question);
    expect(replies.map((p) => p.message.text)).toEqual([expect.stringContaining("Results are in: the answer was")]);
    expect(replies[0]?.message.text).toContain("1 answered, 1 right");

    // /study quiz rounds stay channel messages.
    await chat.say("ana", "quiz net.tcp");
    expect(chat.rounds().at(-1)?.address.threadId).toBeUndefined();
  });

  it("with thread off, or without a thread to open, posts the question in the channel", async () => {
    const { chat, bot, clock } = await createTestBot({ dialect, now: "2026-11-23T08:00:00Z" });
    await chat.say("lead", "config thread off");
    await chat.say("lead", "subscribe 09:00");
    clock.set("2026-11-23T09:00:00Z");
    await bot.runDueDigests();
    expect(chat.threads.size).toBe(0);
    expect(chat.rounds()[0]?.address.threadId).toBeUndefined();

    const refused = new NoThreadChat();
    const other = await createTestBot({ dialect, now: "2026-11-23T08:00:00Z", chat: refused });
    await refused.say("lead", "subscribe 09:00");
    other.clock.set("2026-11-23T09:00:00Z");
    await other.bot.runDueDigests();
    expect(refused.digests()).toHaveLength(1);
    expect(refused.rounds()[0]?.address.threadId).toBeUndefined();
  });
});
