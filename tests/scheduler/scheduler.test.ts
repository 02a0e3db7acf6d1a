import { describe, expect, it } from "vitest";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { ensureChannel, ensureWorkspace, updateWorkspace, upsertSubscription } from "../../src/store/workspaces.repository.ts";
import { StudyBot } from "../../src/study-bot.ts";
import { dialects } from "../helpers/databases.ts";
import { FakeChat } from "../helpers/fake-chat.ts";
import { ManualClock } from "../helpers/manual-clock.ts";
import { createTestBot, fixtureDb, silentLog } from "../helpers/test-bot.ts";

async function subscribeConsoleChannels(db: Awaited<ReturnType<typeof fixtureDb>>, count: number, now: Date) {
  await ensureWorkspace(db, { id: "console:T1", platform: "console", externalId: "T1", name: null }, now);
  await updateWorkspace(db, "console:T1", { study_days: "every-day" });
  for (let i = 0; i < count; i++) {
    await ensureChannel(db, { id: `console:T1:C${i}`, workspaceId: "console:T1", externalId: `C${i}` });
    await upsertSubscription(db, { channelId: `console:T1:C${i}`, workspaceId: "console:T1", postTime: "09:00" }, now);
  }
}

function replica(db: Awaited<ReturnType<typeof fixtureDb>>, clock: ManualClock) {
  const bot = new StudyBot({ db, clock, defaults: { timezone: "UTC", language: "en" }, log: silentLog });
  const chat = new FakeChat();
  bot.addAdapter(chat);
  return { bot, chat, scheduler: new Scheduler(bot, db, clock, silentLog) };
}

describe.each(dialects)("scheduler (%s)", (dialect) => {
  it("runs each minute's job on the one replica holding the lease; another takes over when the holder dies", async () => {
    const clock = new ManualClock("2026-11-23T09:05:00Z");
    const db = await fixtureDb(clock, dialect);
    await subscribeConsoleChannels(db, 20, clock.now());
    const a = replica(db, clock);
    const b = replica(db, clock);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    const digests = (chat: FakeChat) => chat.digests().length;
    expect(digests(a.chat) + digests(b.chat)).toBe(20);
    expect([digests(a.chat), digests(b.chat)].sort()).toEqual([0, 20]);
    const [holder, other] = digests(a.chat) === 20 ? [a, b] : [b, a];

    // The holder dies (no stop, no release); the lease runs out and the other replica's minute job takes over.
    await subscribeConsoleChannels(db, 25, clock.now());
    clock.advance(60_000);
    await other.scheduler.tick();
    expect(digests(other.chat)).toBe(0);
    clock.advance(31_000);
    await other.scheduler.tick();
    expect(digests(other.chat)).toBe(5);
    expect(digests(holder.chat)).toBe(20);
  });
});

describe.each(dialects)("due digests across DST (%s)", (dialect) => {
  it("posts at 09:00 New York time on both sides of the spring-forward change", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-03-06T12:00:00Z", timezone: "America/New_York" });
    await ctx.chat.say("lead", "subscribe 09:00");
    await ctx.bot.settle();
    // Friday 6 March: EST, 09:00 local is 14:00Z.
    ctx.clock.set("2026-03-06T13:59:00Z");
    await ctx.bot.runDueDigests();
    expect(ctx.chat.digests()).toHaveLength(0);
    ctx.clock.set("2026-03-06T14:00:00Z");
    await ctx.bot.runDueDigests();
    expect(ctx.chat.digests()).toHaveLength(1);
    // Monday 9 March: EDT, 09:00 local is 13:00Z.
    ctx.clock.set("2026-03-09T12:59:00Z");
    await ctx.bot.runDueDigests();
    expect(ctx.chat.digests()).toHaveLength(1);
    ctx.clock.set("2026-03-09T13:00:00Z");
    await ctx.bot.runDueDigests();
    expect(ctx.chat.digests()).toHaveLength(2);
  });
});
