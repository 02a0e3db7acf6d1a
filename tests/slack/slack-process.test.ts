import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnStudyBot } from "../helpers/cli.ts";
import { FakeSlack } from "../helpers/fake-slack.ts";
import { postSigned, slackProcessEnv, slashCommandBody } from "../helpers/slack-harness.ts";
import { freePort } from "../helpers/test-bot.ts";

let slack: FakeSlack;
let bot: ChildProcess;
let base: string;
let database: string;
let exited: Promise<number | null>;

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  database = join(mkdtempSync(join(tmpdir(), "study-bot-slack-")), "bot.sqlite");
  bot = spawnStudyBot({ DATABASE_URL: database, ...slackProcessEnv(slack, port), LOG_LEVEL: "warn" }, ["ignore", "pipe", "pipe"]);
  exited = new Promise((resolve) => bot.on("exit", resolve));
  const started = Date.now();
  while (Date.now() - started < 30_000) {
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the bot did not start");
}, 40_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await slack.stop();
});

async function command(text: string) {
  const responseId = `p${Math.random().toString(36).slice(2)}`;
  return { ...(await postSigned(`${base}/slack/events`, slashCommandBody(slack, text, responseId, { name: "ana" }))), responseId };
}

describe("Slack mode through the real entry point (bin/study-bot.js run)", () => {
  it("serves /healthz with the database reachable", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, status: "ok", database: "reachable" });
  });

  it("acks a slash command in under 3 s while the database is locked by another writer, then answers", async () => {
    const blocker = new Database(database);
    blocker.pragma("busy_timeout = 5000");
    blocker.exec("BEGIN IMMEDIATE");
    blocker.prepare("insert into meta (key, value) values ('held-by-test', 'x')").run();
    const release = setTimeout(() => blocker.exec("ROLLBACK"), 2500);
    const sent = await command("help");
    expect(sent.status).toBe(200);
    expect(sent.ms).toBeLessThan(3000);
    await slack.until(() => slack.responses.some((r) => r.id === sent.responseId), 10_000);
    clearTimeout(release);
    blocker.close();
  });

  it("counts commands in /metrics", async () => {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/study_bot_commands_total\{platform="slack"\} [1-9]/);
  });

  it("exits 0 on SIGTERM", async () => {
    bot.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
