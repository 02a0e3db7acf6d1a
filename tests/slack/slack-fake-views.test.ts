import { WebClient } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { boltLogger } from "../../src/adapters/slack/bolt-logger.ts";
import { FakeSlack } from "../helpers/fake-slack.ts";
import { appConfigFrom } from "../helpers/slack-manifest.ts";
import { silentLog } from "../helpers/test-bot.ts";

type Json = Record<string, unknown>;

describe("fake Slack: views.publish refuses what Slack refuses", () => {
  it("an unknown user, a view that is not a home, more than 100 blocks, an app without a Home tab, and past the rate limit", async () => {
    const publish = async (slack: FakeSlack, args: Json) => {
      const web = new WebClient("xoxb-test", {
        slackApiUrl: slack.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
        logger: boltLogger(silentLog),
      });
      return web.views.publish(args as never).then(
        () => "ok",
        (error: { data?: { error?: string }; code?: string; retryAfter?: number }) =>
          error.data?.error ?? `${error.code}:${error.retryAfter}`,
      );
    };
    const slack = new FakeSlack();
    await slack.start();
    slack.users.set("U1", {});
    const home = { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "hi" } }] };
    try {
      expect(await publish(slack, { user_id: "U9", view: home })).toBe("user_not_found");
      expect(await publish(slack, { user_id: "U1", view: { ...home, type: "modal" } })).toBe("invalid_arguments");
      expect(await publish(slack, { user_id: "U1", view: { ...home, blocks: Array(101).fill(home.blocks[0]) } })).toBe("invalid_blocks");
      expect(
        await publish(slack, {
          user_id: "U1",
          view: { ...home, blocks: [{ type: "header", text: { type: "plain_text", text: "x".repeat(151) } }] },
        }),
      ).toBe("invalid_blocks");
      // The four calls above counted too, as every call does at Slack.
      slack.homes.publishesPerMinute = 5;
      expect(await publish(slack, { user_id: "U1", view: home })).toBe("ok");
      expect(await publish(slack, { user_id: "U1", view: home })).toMatch(/^slack_webapi_rate_limited_error:(59|60)$/);
    } finally {
      await slack.stop();
    }
    const noHome = new FakeSlack({ ...appConfigFrom(), homeTab: false });
    await noHome.start();
    noHome.users.set("U1", {});
    try {
      expect(await publish(noHome, { user_id: "U1", view: home })).toBe("not_enabled");
    } finally {
      await noHome.stop();
    }
  });
});
