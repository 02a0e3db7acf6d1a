import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { spawnBothPlatforms } from "./helpers/both-platforms.ts";
import { FakeDiscord, nextId } from "./helpers/fake-discord.ts";
import { FakeSlack } from "./helpers/fake-slack.ts";
import { postSigned } from "./helpers/slack-harness.ts";
import { freePort } from "./helpers/test-bot.ts";

describe("Slack and Discord in one process", () => {
  it("serves both platforms from one core and one database", async () => {
    const slack = new FakeSlack();
    const discord = new FakeDiscord();
    await Promise.all([slack.start(), discord.start()]);
    const port = await freePort();
    const bot = spawnBothPlatforms(slack, discord, port);
    let stderr = "";
    bot.stderr?.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise((resolve) => bot.on("exit", resolve));
    try {
      await discord.until(() => stderr.includes("study-bot is running"), 30_000);
      expect(stderr).toContain('"adapters":["slack","discord"]');

      const body = new URLSearchParams({
        command: "/study",
        text: "quiz",
        team_id: "T1",
        channel_id: "C1",
        user_id: "U1",
        user_name: "ana",
        response_url: slack.responseUrl("both-1"),
      }).toString();
      expect((await postSigned(`http://127.0.0.1:${port}/slack/events`, body)).status).toBe(200);
      await slack.until(() => slack.messages.length === 1, 10_000);

      const payload = JSON.parse(readFileSync(new URL("./fixtures/discord/slash-command.json", import.meta.url), "utf8"));
      payload.id = nextId();
      payload.token = `token-${payload.id}`;
      payload.data.options = [{ type: 1, name: "quiz", options: [] }];
      discord.interact(payload);
      await discord.until(() => discord.messages.length === 1, 10_000);
    } finally {
      bot.kill("SIGTERM");
      await exited;
      await Promise.all([slack.stop(), discord.stop()]);
    }
  }, 60_000);
});
