import { describe, expect, it } from "vitest";
import { StudyBot } from "../../src/study-bot.ts";
import { dialects } from "../helpers/databases.ts";
import { createTestBot, latestRoundAnswer, silentLog } from "../helpers/test-bot.ts";

type Ctx = Awaited<ReturnType<typeof createTestBot>>;

async function quizRound(ctx: Ctx, iso: string, presses: Array<[string, "right" | "wrong"]>, topic = "") {
  ctx.clock.set(iso);
  await ctx.chat.say("host", `quiz ${topic}`.trim(), { channelId: `R-${iso}` });
  const post = ctx.chat.rounds().at(-1);
  const answer = await latestRoundAnswer(ctx.db);
  for (const [user, verdict] of presses) {
    ctx.clock.advance(1000);
    await ctx.chat.press(user, String(verdict === "right" ? answer + 1 : ((answer + 1) % 4) + 1), { post });
  }
}

const recaps = (ctx: Ctx) => ctx.chat.posts.filter((p) => p.key?.startsWith("recap:"));

describe.each(dialects)("weekly recap (%s)", (dialect) => {
  it("posts last week's recap once, on the first study day at digest time, before the digest", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-16T08:00:00Z", random: () => 0.99 });
    await ctx.chat.say("lead", "subscribe 09:00");
    await ctx.bot.settle();
    // The week of 16 November: ana strong, bo weaker, one question missed by most.
    await quizRound(
      ctx,
      "2026-11-16T10:00:00Z",
      [
        ["ana", "right"],
        ["bo", "wrong"],
        ["cy", "wrong"],
      ],
      "net.tcp",
    );
    await quizRound(
      ctx,
      "2026-11-17T10:00:00Z",
      [
        ["ana", "right"],
        ["bo", "right"],
      ],
      "db.mysql",
    );
    await quizRound(ctx, "2026-11-18T10:00:00Z", [["ana", "right"]], "net.epoll");

    ctx.clock.set("2026-11-23T08:59:00Z");
    await ctx.bot.runDueDigests();
    expect(recaps(ctx)).toHaveLength(0);
    ctx.clock.set("2026-11-23T09:00:00Z");
    await ctx.bot.runDueDigests();
    const [recap] = recaps(ctx);
    const text = recap?.message.text ?? "";
    expect(text).toContain("Weekly recap: the week of 2026-11-16");
    expect(text).toMatch(/1 \| ana \| \d+ \| 100%\n2 \| bo \| \d+ \| 50%\n3 \| cy \| 0 \| 0%/);
    // ana studied Mon-Wed and missed Thu and Fri: no streak survives to this Monday morning.
    expect(text).toContain("Longest streaks: -");
    expect(text).toContain("Team streak: 0 study days");
    expect(text).toMatch(/Hardest question: Fixture question fx-tcp-\d\n\(33% right\) Answer: [A-D]\. \w+/);
    expect(text).toMatch(/Weakest topics: TCP \(net\.tcp\)/);
    expect(text).toContain("/study quiz net.tcp");
    const order = ctx.chat.posts.filter((p) => p.key).map((p) => p.key?.split(":")[0]);
    expect(order.slice(-2)).toEqual(["recap", "digest"]);

    // Later passes, another bot on the same database, and the next study day: still one recap.
    const other = new StudyBot({ db: ctx.db, clock: ctx.clock, defaults: { timezone: "UTC", language: "en" }, log: silentLog });
    other.addAdapter(ctx.chat);
    ctx.clock.advance(60_000);
    await Promise.all([ctx.bot.runDueDigests(), other.runDueDigests()]);
    ctx.clock.set("2026-11-24T09:30:00Z");
    await ctx.bot.runDueDigests();
    expect(recaps(ctx)).toHaveLength(1);
  });

  it("waits for the week's first study day when Monday is not one", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-16T08:00:00Z" });
    await ctx.chat.say("lead", "config study-days wed,fri");
    await ctx.chat.say("lead", "subscribe 09:00");
    await quizRound(ctx, "2026-11-18T10:00:00Z", [["ana", "right"]], "net.tcp");
    for (const day of ["2026-11-23", "2026-11-24"]) {
      ctx.clock.set(`${day}T09:00:00Z`);
      await ctx.bot.runDueDigests();
    }
    expect(recaps(ctx)).toHaveLength(0);
    ctx.clock.set("2026-11-25T09:00:00Z");
    await ctx.bot.runDueDigests();
    expect(recaps(ctx).map((p) => p.key?.split(":").at(-1))).toEqual(["2026-11-23"]);
    ctx.clock.set("2026-11-27T09:00:00Z");
    await ctx.bot.runDueDigests();
    expect(recaps(ctx)).toHaveLength(1);
  });

  it("posts nothing for a week nobody studied", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-23T08:00:00Z" });
    await ctx.chat.say("lead", "subscribe 09:00");
    await ctx.bot.settle();
    ctx.clock.set("2026-11-23T09:00:00Z");
    await ctx.bot.runDueDigests();
    expect(recaps(ctx)).toHaveLength(0);
    expect(ctx.chat.digests()).toHaveLength(1);
  });
});
