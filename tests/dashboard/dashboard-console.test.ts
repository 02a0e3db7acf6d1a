import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnStudyBot } from "../helpers/cli.ts";
import { freePort } from "../helpers/test-bot.ts";

describe("the dashboard without Slack's HTTP receiver (console; the same server serves Discord and Socket Mode)", () => {
  it("serves the link /study dashboard prints on the bot's own HTTP server, and says so when the dashboard is off", async () => {
    const port = await freePort();
    const database = join(mkdtempSync(join(tmpdir(), "study-bot-dashboard-console-")), "bot.sqlite");
    const bot = spawnStudyBot(
      {
        DATABASE_URL: database,
        USER: "ana",
        PORT: String(port),
        HOST: "127.0.0.1",
        DASHBOARD_URL: `http://127.0.0.1:${port}/`,
        DASHBOARD_SECRET: "console-dashboard-secret-0123456789abcdef",
      },
      ["pipe", "pipe", "pipe"],
    );
    let stdout = "";
    bot.stdout?.on("data", (d) => {
      stdout += d;
    });
    const exited = new Promise<number | null>((resolve) => bot.on("exit", resolve));
    bot.stdin?.write("/study quiz\n1\n/study dashboard\n");
    const started = Date.now();
    while (!/http:\/\/127\.0\.0\.1:\d+\/dashboard\/\S+/.test(stdout)) {
      if (Date.now() - started > 30_000) throw new Error(`no link in:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const link = /http:\/\/127\.0\.0\.1:\d+\/dashboard\/\S+/.exec(stdout)?.[0] as string;
    // The base URL's trailing slash does not double in the link.
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/dashboard/[^/]+$`));
    expect(stdout).toContain("It includes the admin pages.");
    const team = await fetch(`${link}/team`);
    expect(team.status).toBe(200);
    expect(await team.text()).toMatch(/<td>1<\/td><td>ana<\/td>/);
    expect((await fetch(`${link}/admin`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    bot.stdin?.end();
    expect(await exited).toBe(0);

    const off = spawnStudyBot({ DATABASE_URL: database, USER: "ana" }, ["pipe", "pipe", "pipe"]);
    let said = "";
    off.stdout?.on("data", (d) => {
      said += d;
    });
    const offExited = new Promise<number | null>((resolve) => off.on("exit", resolve));
    off.stdin?.end("/study dashboard\n");
    expect(await offExited).toBe(0);
    expect(said).toContain("The web dashboard is not set up here: the operator turns it on with DASHBOARD_URL and DASHBOARD_SECRET.");
  }, 60_000);
});
