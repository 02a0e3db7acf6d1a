import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnStudyBot } from "./cli.ts";
import { guildId } from "./discord-harness.ts";
import type { FakeDiscord } from "./fake-discord.ts";
import type { FakeSlack } from "./fake-slack.ts";
import { slackProcessEnv } from "./slack-harness.ts";

/** `study-bot run` as its own process on a new SQLite file, serving Slack over HTTP on `port` and Discord, both fakes; stderr is piped. */
export function spawnBothPlatforms(slack: FakeSlack, discord: FakeDiscord, port: number): ChildProcess {
  return spawnStudyBot(
    {
      DATABASE_URL: join(mkdtempSync(join(tmpdir(), "study-bot-both-")), "bot.sqlite"),
      ...slackProcessEnv(slack, port),
      DISCORD_TOKEN: "test-token",
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: guildId,
      LOG_LEVEL: "info",
    },
    ["ignore", "ignore", "pipe"],
  );
}
