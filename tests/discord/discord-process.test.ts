import { type ChildProcess, execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, spawnStudyBot } from "../helpers/cli.ts";
import { guildId } from "../helpers/discord-harness.ts";
import { appId, FakeDiscord, nextId } from "../helpers/fake-discord.ts";

const env = (discord: FakeDiscord, database: string) => ({
  ...process.env,
  DATABASE_URL: database,
  DISCORD_TOKEN: "test-token",
  DISCORD_API_URL: discord.apiUrl,
  DISCORD_GUILD_ID: guildId,
  LOG_LEVEL: "info",
});

let discord: FakeDiscord;
let bot: ChildProcess;
let stderr = "";
let exited: Promise<number | null>;

beforeAll(async () => {
  discord = new FakeDiscord();
  await discord.start();
  const database = join(mkdtempSync(join(tmpdir(), "study-bot-discord-")), "bot.sqlite");
  bot = spawnStudyBot(env(discord, database), ["ignore", "pipe", "pipe"]);
  bot.stderr?.on("data", (d) => {
    stderr += d;
  });
  exited = new Promise((resolve) => bot.on("exit", resolve));
  await discord.until(() => stderr.includes("study-bot is running"), 30_000);
}, 40_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await discord.stop();
});

function helpInteraction() {
  const payload = JSON.parse(readFileSync(new URL("../fixtures/discord/slash-command.json", import.meta.url), "utf8"));
  payload.id = nextId();
  payload.token = `token-${payload.id}`;
  discord.interact(payload);
  return payload.token as string;
}

describe("Discord mode through the real entry point (bin/study-bot.js run)", () => {
  it("logs the invite URL with the permissions the bot needs", () => {
    // View Channel, Send Messages, Embed Links, Attach Files (the recap's picture), Read Message History, Create Public
    // Threads and Send Messages in Threads (the daily discussion thread).
    expect(stderr).toContain(
      `https://discord.com/oauth2/authorize?client_id=${appId}&scope=bot%20applications.commands&permissions=309237763072`,
    );
  });

  it("stays alive through malformed gateway dispatches and keeps answering", async () => {
    discord.dispatch("INTERACTION_CREATE", { type: 2, id: "1" });
    discord.dispatch("GUILD_CREATE", null);
    discord.sendRaw("{not json");
    const token = helpInteraction();
    await discord.until(() => discord.repliesTo(token).some((r) => r.kind === "callback:4" || r.kind === "edit"), 15_000);
    expect(bot.exitCode).toBeNull();
    expect(stderr).toContain("unhandled rejection (kept running)");
  }, 30_000);

  it("exits 0 on SIGTERM", async () => {
    bot.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

describe("study-bot discord register", () => {
  it("registers the commands in the guild over REST and prints the invite URL", async () => {
    const fresh = new FakeDiscord();
    await fresh.start();
    const database = join(mkdtempSync(join(tmpdir(), "study-bot-discord-")), "bot.sqlite");
    const { stdout } = await promisify(execFile)(process.execPath, ["bin/study-bot.js", "discord", "register"], {
      cwd: projectRoot,
      env: env(fresh, database),
    });
    expect(stdout).toContain(`commands registered: guild ${guildId}`);
    expect(stdout).toContain("invite the bot: https://discord.com/oauth2/authorize?client_id=");
    expect(fresh.calls.filter((c) => c.method === "PUT").map((c) => c.path)).toEqual([`/applications/${appId}/guilds/${guildId}/commands`]);
    expect(fresh.gatewayConnections).toBe(0);
    await fresh.stop();
  });

  it("prints the invite URL first, and says to invite the bot when the server refuses registration (50001)", async () => {
    const fresh = new FakeDiscord();
    fresh.authorisedGuilds.clear();
    await fresh.start();
    const database = join(mkdtempSync(join(tmpdir(), "study-bot-discord-")), "bot.sqlite");
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ["bin/study-bot.js", "discord", "register"],
        { cwd: projectRoot, env: env(fresh, database) },
        (_e, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
      );
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("invite the bot: https://discord.com/oauth2/authorize?client_id=");
    expect(run.stdout).not.toContain("commands registered");
    expect(run.stderr).toContain(
      `Missing Access (50001) in server ${guildId}: add the bot with the invite URL above, then run this again.`,
    );
    await fresh.stop();
  });
});
