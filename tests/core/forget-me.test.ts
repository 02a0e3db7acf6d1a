import { describe, expect, it } from "vitest";
import type { Reply } from "../../src/core/message.ts";
import { confirmLifetimeMs } from "../../src/features/forget/forget.ts";
import { StudyBot } from "../../src/study-bot.ts";
import { dialects } from "../helpers/databases.ts";
import { buttonsOf, FakeChat, textOf } from "../helpers/fake-chat.ts";
import { createTestBot, latestRoundAnswer, silentLog } from "../helpers/test-bot.ts";

const buttonOf = (replies: Reply[], action: string) => {
  const found = replies.flatMap((r) => buttonsOf(r.message)).find((b) => b.action === action);
  if (!found) throw new Error(`no ${action} button in: ${textOf(replies)}`);
  return found;
};

const memberRow = (db: Awaited<ReturnType<typeof createTestBot>>["db"], id: string) =>
  db.selectFrom("members").selectAll().where("id", "=", id).executeTakeFirst();

describe.each(dialects)("/study forget-me (%s)", (dialect) => {
  it("lists what goes, refuses anyone else's click and a stale one, cancels, then deletes; the member can come back at once", async () => {
    const { chat, db, clock, bot } = await createTestBot({ dialect });
    expect(textOf(await chat.say("zoe", "forget-me", {}, false))).toBe(
      "The bot stores nothing about you in this workspace: there is nothing to delete.",
    );
    chat.groupsOf.set("zoe", ["111"]);
    await chat.say("ana", "config squad owls 111");
    await chat.say("ana", "quiz net.tcp");
    await chat.press("zoe", String((await latestRoundAnswer(db)) + 1));
    await bot.settle();

    const asked = await chat.say("zoe", "forget-me", {}, false);
    expect(asked.map((r) => r.visibility)).toEqual(["private"]);
    expect(textOf(asked)).toContain("Pressing Delete my data removes, at once and for good:");
    expect(textOf(asked)).toContain("• 1 quiz answers and 0 articles marked read");
    expect(textOf(asked)).toContain("• your squad memberships (1)");
    const confirm = buttonOf(asked, "forget-confirm");
    expect(asked.flatMap((r) => buttonsOf(r.message)).map((b) => b.label)).toEqual(["Delete my data", "Cancel"]);

    // Someone else's click, even an admin's, deletes nothing.
    expect(textOf(await chat.pressButton("ana", confirm, {}, true))).toBe(
      "Only the member who asked can confirm this: run /study forget-me to delete your own data.",
    );
    expect(textOf(await chat.pressButton("ana", buttonOf(asked, "forget-cancel")))).toContain("Only the member who asked");
    expect(textOf(await chat.pressButton("zoe", buttonOf(asked, "forget-cancel")))).toBe("Nothing was deleted.");
    clock.advance(confirmLifetimeMs + 1);
    expect(textOf(await chat.pressButton("zoe", confirm))).toBe("This confirmation has expired: run /study forget-me again.");
    expect(await memberRow(db, "console:T1:zoe")).toBeDefined();

    const again = buttonOf(await chat.say("zoe", "forget-me", {}, false), "forget-confirm");
    expect(textOf(await chat.pressButton("zoe", again))).toContain("Done: your study data in this workspace is deleted.");
    expect(await memberRow(db, "console:T1:zoe")).toBeUndefined();
    expect(await db.selectFrom("member_groups").selectAll().execute()).toEqual([]);

    // Back the same day: stored again with the answer, with today's study day and their squad.
    await bot.closeDueRounds();
    clock.advance(60_000);
    await chat.say("ana", "quiz net.tcp");
    expect(textOf(await chat.press("zoe", String((await latestRoundAnswer(db)) + 1)))).toContain("Correct!");
    await chat.say("zoe", "streak", {}, false);
    await bot.settle();
    expect(await memberRow(db, "console:T1:zoe")).toMatchObject({ display_name: "zoe" });
    expect(await db.selectFrom("activity").select("member_id").execute()).toEqual([{ member_id: "console:T1:zoe" }]);
    expect(await db.selectFrom("member_groups").select(["member_id", "group_id"]).execute()).toEqual([
      { member_id: "console:T1:zoe", group_id: "111" },
    ]);
    expect(textOf(await chat.say("zoe", "streak", {}, false))).toContain("Personal streak: 1 study day");
    // The old button does not delete the member who came back.
    expect(textOf(await chat.pressButton("zoe", again))).toBe("This confirmation has expired: run /study forget-me again.");
    expect(await memberRow(db, "console:T1:zoe")).toBeDefined();
  });

  it("another replica that still remembers the member as stored stores them again on their next answer", async () => {
    const { chat, db, clock } = await createTestBot({ dialect });
    const other = new FakeChat();
    const replica = new StudyBot({ db, clock, defaults: { timezone: "UTC", language: "en" }, log: silentLog, random: () => 0 });
    replica.addAdapter(other);
    await other.start(replica);
    await other.say("ana", "quiz net.tcp", { channelId: "C2" });
    await other.press("zoe", String((await latestRoundAnswer(db)) + 1));

    const confirm = buttonOf(await chat.say("zoe", "forget-me", {}, false), "forget-confirm");
    expect(textOf(await chat.pressButton("zoe", confirm))).toContain("Done");
    clock.advance(60_000);
    await other.say("ana", "quiz net.tcp", { channelId: "C3" });
    expect(textOf(await other.press("zoe", String((await latestRoundAnswer(db)) + 1)))).toContain("Correct!");
    expect(await memberRow(db, "console:T1:zoe")).toBeDefined();
    expect(await db.selectFrom("answers").select("member_id").execute()).toEqual([{ member_id: "console:T1:zoe" }]);
    replica.stop();
  });

  it("speaks the workspace's language", async () => {
    const { chat } = await createTestBot({ dialect });
    await chat.say("ana", "config language zh");
    await chat.say("ana", "quiz net.tcp");
    await chat.press("zoe", "1");
    const asked = await chat.say("zoe", "forget-me", {}, false);
    expect(textOf(asked)).toContain("按下“删除我的数据”后");
    expect(textOf(await chat.pressButton("ana", buttonOf(asked, "forget-confirm")))).toContain("只有发起请求的成员本人才能确认");
    expect(textOf(await chat.pressButton("zoe", buttonOf(asked, "forget-confirm")))).toContain("已完成");
  });
});
