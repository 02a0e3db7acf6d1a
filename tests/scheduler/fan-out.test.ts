import { afterEach, describe, expect, it } from "vitest";
import { SlackAdapter } from "../../src/adapters/slack/slack-adapter.ts";
import type { OutMessage } from "../../src/core/message.ts";
import type { ChannelAddress, ChatAdapter } from "../../src/core/ports.ts";
import { StudyBot } from "../../src/study-bot.ts";
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
      events: { handled: async () => false, markHandled: async () => {} },
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

  it("runs more channels at once than it posts, and never has more posts in flight than the platform's fan-out", async () => {
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    const db = await fixtureDb(clock);
    await subscribeSlackChannels(db, 30, clock.now());
    let inFlight = 0;
    let most = 0;
    const posted: string[] = [];
    const slow: ChatAdapter = {
      platform: "slack",
      start: async () => {},
      stop: async () => {},
      update: async () => {},
      post: async (address: ChannelAddress, _message: OutMessage) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        posted.push(address.channelId);
        return `m${posted.length}`;
      },
    };
    const bot = new StudyBot({ db, clock, defaults: { timezone: "UTC", language: "en" }, log: silentLog, fanOut: { slack: 3 } });
    bot.addAdapter(slow);
    expect(await bot.runDueDigests()).toBe(30);
    // A digest and its question in each channel, three posts at a time and never more.
    expect(posted).toHaveLength(60);
    expect(new Set(posted).size).toBe(30);
    expect(most).toBe(3);
  });
});
