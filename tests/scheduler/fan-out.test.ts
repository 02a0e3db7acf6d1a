import { afterEach, describe, expect, it } from "vitest";
import { SlackAdapter } from "../../src/adapters/slack/slack-adapter.ts";
import { StudyBot } from "../../src/core/study-bot.ts";
import { FakeSlack } from "../helpers/fake-slack.ts";
import { ManualClock } from "../helpers/manual-clock.ts";
import { subscribeSlackChannels } from "../helpers/subscriptions.ts";
import { fixtureDb, silentLog } from "../helpers/test-bot.ts";

let slack: FakeSlack;
afterEach(async () => {
  await slack?.stop();
});

describe("digest fan-out", () => {
  it("posts to 2,000 channels against a Slack that rate-limits with 429 and Retry-After: all posted, none twice", async () => {
    slack = new FakeSlack();
    await slack.start();
    slack.postsPerSecond = 400;
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    const db = await fixtureDb(clock);
    await subscribeSlackChannels(db, 2000, clock.now());
    const bot = new StudyBot({ db, clock, defaults: { timezone: "UTC", language: "en" }, log: silentLog });
    const adapter = new SlackAdapter({
      signingSecret: "s",
      botToken: "xoxb-test",
      port: 0,
      apiUrl: slack.apiUrl,
      admins: new Set(),
      log: silentLog,
      firstDelivery: async () => true,
    });
    bot.addAdapter(adapter);

    expect(await bot.runDueDigests()).toBe(2000);
    const digests = slack.messages.filter((m) => m.metadata);
    expect(digests).toHaveLength(2000);
    expect(new Set(digests.map((m) => m.channel)).size).toBe(2000);
    expect(slack.rateLimited).toBeGreaterThan(0);
    expect(await db.selectFrom("digests").where("status", "!=", "posted").selectAll().execute()).toHaveLength(0);
    expect(await bot.runDueDigests()).toBe(0);
  }, 120_000);
});
