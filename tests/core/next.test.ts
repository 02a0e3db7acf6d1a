import { describe, expect, it } from "vitest";
import { dialects } from "../helpers/databases.ts";
import { textOf } from "../helpers/fake-chat.ts";
import { createTestBot } from "../helpers/test-bot.ts";

// 2026-11-23 is a Monday; study days are Monday to Friday by default.
describe.each(dialects)("/study next (%s)", (dialect) => {
  it("says a channel without a subscription gets no daily article, and how an admin starts one", async () => {
    const { chat } = await createTestBot({ dialect });
    expect(textOf(await chat.say("ana", "next"))).toBe(
      "This channel gets no daily article: an admin can start it with /study subscribe [HH:MM].",
    );
  });

  it("gives today's time before it comes, the next study day's once today's is posted, and Monday's after Friday's", async () => {
    const { bot, chat, clock } = await createTestBot({ dialect, now: "2026-11-23T10:00:00Z" });
    await chat.say("ana", "subscribe 11:00");
    await bot.settle();
    expect(textOf(await chat.say("ana", "next"))).toBe("The next daily article comes here on 2026-11-23 at 11:00 (UTC).");

    clock.advance(60 * 60_000);
    await bot.runDueDigests();
    expect(textOf(await chat.say("ana", "next"))).toBe("The next daily article comes here on 2026-11-24 at 11:00 (UTC).");

    clock.advance(4 * 24 * 60 * 60_000); // Friday 11:00
    await bot.runDueDigests();
    expect(textOf(await chat.say("ana", "next"))).toBe("The next daily article comes here on 2026-11-30 at 11:00 (UTC).");
  });

  it("says today's article is on its way when its time has passed but it is not posted yet", async () => {
    const { chat, clock } = await createTestBot({ dialect, now: "2026-11-23T08:00:00Z" });
    await chat.say("ana", "subscribe 09:00");
    clock.advance(90 * 60_000);
    expect(textOf(await chat.say("ana", "next"))).toBe("Today's article is due now: it is on its way to this channel.");
  });

  it("is listed in /study help with its usage", async () => {
    const { chat } = await createTestBot({ dialect });
    expect(textOf(await chat.say("ana", "help"))).toContain("/study next");
  });
});
