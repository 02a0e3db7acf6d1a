import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnBothPlatforms } from "./helpers/both-platforms.ts";
import { FakeDiscord } from "./helpers/fake-discord.ts";
import { FakeSlack } from "./helpers/fake-slack.ts";
import { answerButtons, postSigned } from "./helpers/slack-harness.ts";
import { freePort } from "./helpers/test-bot.ts";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/slack/${name}`, import.meta.url), "utf8"));

let slack: FakeSlack;
let discord: FakeDiscord;
let bot: ChildProcess;
let base: string;
let stderr = "";

beforeAll(async () => {
  slack = new FakeSlack();
  discord = new FakeDiscord();
  await Promise.all([slack.start(), discord.start()]);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  bot = spawnBothPlatforms(slack, discord, port);
  bot.stderr?.on("data", (d) => {
    stderr += d;
  });
  await discord.until(() => stderr.includes("study-bot is running"), 30_000);
}, 40_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await Promise.all([slack.stop(), discord.stop()]);
});

async function scrape(): Promise<{ type: string | null; text: string }> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  return { type: response.headers.get("content-type"), text: await response.text() };
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A signed Slack interaction payload (block_actions, view_submission) posted to the bot. */
const interact = (payload: object) =>
  postSigned(`${base}/slack/events`, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());

describe("/metrics of a running bot (bin/study-bot.js run, Slack and Discord)", () => {
  it("serves Prometheus text with process metrics, under the registry's content type", async () => {
    const { type, text } = await scrape();
    expect(type).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it("counts and times a slash command and a click", async () => {
    const command = { ...fixture("slash-command.json"), text: "quiz", response_url: slack.responseUrl("m-quiz") };
    expect((await postSigned(`${base}/slack/events`, new URLSearchParams(command).toString())).status).toBe(200);
    await slack.until(() => slack.messages.length === 1, 10_000);
    const [actionId, value] = answerButtons(slack.messages[0] as { blocks: Array<Record<string, unknown>> })[0] ?? ["", ""];
    const click = fixture("block-actions.json");
    click.response_url = slack.responseUrl("m-click");
    click.actions[0] = { ...click.actions[0], action_id: actionId, value };
    expect((await interact(click)).status).toBe(200);
    await slack.until(() => slack.responses.some((r) => r.id === "m-click"), 10_000);

    const { text } = await scrape();
    expect(text).toMatch(/^study_bot_commands_total\{platform="slack"\} 1$/m);
    expect(text).toMatch(/^study_bot_clicks_total\{platform="slack",action="answer"\} 1$/m);
    expect(text).toContain("# TYPE study_bot_command_duration_seconds histogram");
    expect(text).toMatch(/^study_bot_command_duration_seconds_bucket\{le="\+Inf",platform="slack"\} 1$/m);
    expect(text).toMatch(/^study_bot_command_duration_seconds_count\{platform="slack"\} 1$/m);
    expect(text).toContain("# TYPE study_bot_click_duration_seconds histogram");
    expect(text).toMatch(/^study_bot_click_duration_seconds_bucket\{le="0.005",platform="slack",action="answer"\} \d+$/m);
    expect(text).toMatch(/^study_bot_click_duration_seconds_count\{platform="slack",action="answer"\} 1$/m);
  });

  it('counts a crafted action under action="unknown", so client text never becomes a label value', async () => {
    // A modal submission carries the form's action back in private_metadata: a client can send anything there.
    const action = 'say "hi"\\now\nplease';
    const submission = {
      type: "view_submission",
      team: { id: "T1", domain: "acme" },
      user: { id: "U1", username: "ana", name: "ana", team_id: "T1" },
      api_app_id: "A1",
      token: "unused",
      trigger_id: "1.2.3",
      view: {
        id: "V1",
        type: "modal",
        callback_id: "study-form",
        private_metadata: JSON.stringify({
          form: { title: "Report", label: "What is wrong?", action, value: "0" },
          address: { platform: "slack", workspaceId: "T1", channelId: "C1" },
          user: "U1",
        }),
        state: { values: { note: { text: { type: "plain_text_input", value: "x" } } } },
      },
    };
    expect((await interact(submission)).status).toBe(200);
    await until(async () => (await scrape()).text.includes('study_bot_clicks_total{platform="slack",action="unknown"} 1'));
    const text = (await scrape()).text;
    expect(text).toContain('study_bot_click_duration_seconds_count{platform="slack",action="unknown"} 1');
    expect(text).not.toContain("say");
  });

  it("logs an unhandled rejection at error level with its stack, counts it, and keeps running", async () => {
    expect((await scrape()).text).toMatch(/^study_bot_unhandled_rejections_total 0$/m);
    // discord.js turns these malformed gateway dispatches into rejections nothing handles.
    discord.dispatch("INTERACTION_CREATE", { type: 2, id: "1" });
    discord.dispatch("GUILD_CREATE", null);
    discord.sendRaw("{not json");
    await until(async () => /^study_bot_unhandled_rejections_total [1-9]/m.test((await scrape()).text));
    // The log line reaches this process through the child's stderr, which may come after the count does.
    await until(async () => stderr.includes('"msg":"unhandled rejection (kept running)"'));
    const logged = stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message?: string; stack?: string } })
      .filter((entry) => entry.msg === "unhandled rejection (kept running)");
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0]?.level).toBe(50);
    expect(logged[0]?.err?.stack).toContain(logged[0]?.err?.message ?? "");
    expect(logged[0]?.err?.stack).toMatch(/\n\s+at /);
    expect(bot.exitCode).toBeNull();
  }, 20_000);
});
