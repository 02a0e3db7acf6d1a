import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unescapeSlackText } from "../../src/adapters/slack/block-kit.ts";
import { DashboardLinks } from "../../src/features/dashboard/links.ts";
import { projectRoot, spawnStudyBot } from "../helpers/cli.ts";
import { FakeSlack } from "../helpers/fake-slack.ts";
import { answerButtons, blockActionsBody, postSigned, slackProcessEnv, slashCommandBody } from "../helpers/slack-harness.ts";
import { freePort } from "../helpers/test-bot.ts";

// The real bot process (Slack over HTTP against the fake Web API) serves the dashboard beside /slack/events; Debian's
// chromium, driven by playwright-core, reads it as a member would.
const chromiumPath = "/usr/bin/chromium";
const secret = "browser-test-dashboard-secret-0123456789";
const artifacts = join(projectRoot, "test-artifacts", "dashboard");
const members = [
  { user: "U1", name: "ana", offset: 0 },
  { user: "U2", name: "ben", offset: 1 },
  { user: "U3", name: "cy", offset: 0 },
];

let slack: FakeSlack;
let bot: ChildProcess;
let browser: Browser;
let page: Page;
let base: string;
let database: string;
let requests = 0;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  slack = new FakeSlack();
  await slack.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  database = join(mkdtempSync(join(tmpdir(), "study-bot-dashboard-")), "bot.sqlite");
  bot = spawnStudyBot(
    {
      DATABASE_URL: database,
      ...slackProcessEnv(slack, port),
      DASHBOARD_URL: base,
      DASHBOARD_SECRET: secret,
      STUDY_ADMINS: "U1",
      LOG_LEVEL: "warn",
    },
    ["ignore", "pipe", "pipe"],
  );
  const started = Date.now();
  while (
    !(await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() - started > 30_000) throw new Error("the bot did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!existsSync(chromiumPath))
    throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)`);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (bot && bot.exitCode === null) bot.kill("SIGKILL");
  await slack?.stop();
});

async function command(text: string, from: { user: string; name: string }) {
  const responseId = `b${++requests}`;
  await postSigned(`${base}/slack/events`, slashCommandBody(slack, text, responseId, from));
  await slack.until(() => slack.responses.some((r) => r.id === responseId) || slack.messages.length > 0, 10_000);
  return responseId;
}

/** The member's private reply to a command, as read in Slack. */
async function privateAnswer(text: string, from: { user: string; name: string }): Promise<string> {
  const id = await command(text, from);
  await slack.until(() => slack.responses.some((r) => r.id === id), 10_000);
  return unescapeSlackText(JSON.stringify(slack.responses.find((r) => r.id === id)?.body));
}

/** A leaderboard posted to the channel, as rows of cells. */
async function postedBoard(window: string): Promise<string[][]> {
  const before = slack.messages.length;
  await command(`leaderboard ${window}`, { user: "U2", name: "ben" });
  await slack.until(() => slack.messages.length > before, 10_000);
  // The plain-text fallback holds the table as "rank | member | points | accuracy | streak" lines.
  return unescapeSlackText(slack.messages.at(-1)?.text ?? "")
    .split("\n")
    .map((line) => line.split(" | "))
    .filter((cells) => cells.length === 5 && /^\d+$/.test(cells[0] ?? ""));
}

async function pageBoard(): Promise<string[][]> {
  return page.$$eval("tr[data-member]", (rows) => rows.map((row) => [...row.querySelectorAll("td")].map((td) => td.textContent ?? "")));
}

describe("the web dashboard in a browser, served by the real bot process", () => {
  it("opens the link from /study dashboard; its boards, windows and my numbers equal the chat commands'", async () => {
    await command("quiz", members[0] as (typeof members)[number]);
    await slack.until(() => slack.messages.some((m) => answerButtons(m).length > 0), 10_000);
    const round = slack.messages.find((m) => answerButtons(m).length > 0);
    const buttons = answerButtons(round as NonNullable<typeof round>);
    const sqlite = new Database(database, { readonly: true });
    const { answer } = sqlite
      .prepare("select q.answer from rounds r join questions q on q.id = r.question_id order by r.opened_at desc limit 1")
      .get() as { answer: number };
    sqlite.close();
    for (const m of members) {
      const [actionId, value] = buttons[(answer + m.offset) % buttons.length] as [string, string];
      const id = `b${++requests}`;
      await postSigned(`${base}/slack/events`, blockActionsBody(slack, actionId, value, id, m));
      await slack.until(() => slack.responses.some((r) => r.id === id), 10_000);
    }
    const week = await postedBoard("week");
    expect(week.map((row) => row[1])).toEqual(["ana", "cy", "ben"]);
    const allTime = await postedBoard("all");
    const streak = await privateAnswer("streak", members[1] as (typeof members)[number]);

    const anaAnswer = await privateAnswer("dashboard", members[0] as (typeof members)[number]);
    const link = /http:\/\/127\.0\.0\.1:\d+\/dashboard\/[A-Za-z0-9_.-]+/.exec(anaAnswer)?.[0];
    expect(link).toBeDefined();
    await page.goto(link as string);
    expect(page.url()).toMatch(/\/team$/);
    expect(await pageBoard()).toEqual(week);
    await page.screenshot({ path: join(artifacts, "team-week.png"), fullPage: true });

    await page.getByRole("link", { name: "All time" }).click();
    expect(page.url()).toMatch(/\/team\?window=all$/);
    expect(await page.getByRole("heading", { name: "Leaderboard: All time" }).count()).toBe(1);
    expect(await pageBoard()).toEqual(allTime);
    await page.getByRole("link", { name: "This season" }).click();
    expect(await page.getByRole("heading", { name: "Leaderboard: This season" }).count()).toBe(1);
    expect(await pageBoard()).toEqual(week);
    await page.getByRole("link", { name: "All time" }).click();
    await page.screenshot({ path: join(artifacts, "team-all.png"), fullPage: true });

    // ben's own page, from ben's own link: the streak and freezes /study streak gave him.
    const benAnswer = await privateAnswer("dashboard", members[1] as (typeof members)[number]);
    const benLink = /http:\/\/127\.0\.0\.1:\d+\/dashboard\/[A-Za-z0-9_.-]+/.exec(benAnswer)?.[0] as string;
    await page.goto(`${benLink}/me`);
    const personal = /Personal[^0-9]*(\d+) study day/.exec(streak)?.[1];
    const freezes = /Freezes[^0-9]*(\d+) \/ 2/.exec(streak)?.[1];
    expect(personal).toBeDefined();
    expect(await page.locator("#my-streak").textContent()).toContain(`Streak ${personal} `);
    expect(await page.locator("#my-streak").textContent()).toContain(`freezes ${freezes} / 2`);
    expect(await page.locator("#my-rank").textContent()).toBe(`This week: #3 with ${week[2]?.[2]} points.`);
    expect(await page.locator("details").count()).toBe(1);
    await page.locator("details summary").click();
    await page.screenshot({ path: join(artifacts, "me.png"), fullPage: true });
    // ben is no admin: no Admin tab, and the admin page is refused.
    expect(await page.getByRole("link", { name: "Admin" }).count()).toBe(0);
    expect((await page.goto(`${benLink}/admin`))?.status()).toBe(403);

    await command("subscribe 09:00", members[0] as (typeof members)[number]);
    await page.goto(`${link}/admin`);
    expect(await page.getByRole("heading", { name: "Settings" }).count()).toBe(1);
    expect(await page.locator("section", { hasText: "Daily article subscriptions" }).locator("td").allTextContents()).toEqual([
      "C1",
      "09:00",
      "active",
    ]);
    await page.screenshot({ path: join(artifacts, "admin.png"), fullPage: true });
  });

  it("answers an expired, a tampered and another workspace's forged link with 403, and a link for another workspace shows none of this one", async () => {
    const links = new DashboardLinks(base, secret);
    const grant = { workspaceId: "slack:T1", memberId: "slack:T1:U1", admin: true };
    const expired = links.sign({ ...grant, expiresAt: Date.now() - 1000 });
    const valid = links.sign({ ...grant, expiresAt: Date.now() + 60_000 });
    const [payload, mac] = valid.split(".") as [string, string];
    const otherWorkspace = Buffer.from(Buffer.from(payload, "base64url").toString().replace("slack:T1", "slack:T2")).toString("base64url");
    for (const token of [expired, `${payload}.${mac.split("").reverse().join("")}`, `${otherWorkspace}.${mac}`]) {
      const response = await page.goto(`${base}/dashboard/${token}/team`);
      expect(response?.status()).toBe(403);
      expect(await page.content()).not.toMatch(/ana|ben|T1/);
    }
    await page.screenshot({ path: join(artifacts, "refused.png") });
    const elsewhere = links.sign({ workspaceId: "slack:T2", memberId: "slack:T2:U9", admin: true, expiresAt: Date.now() + 60_000 });
    expect((await page.goto(`${base}/dashboard/${elsewhere}/team`))?.status()).toBe(200);
    expect(await pageBoard()).toEqual([]);
    expect(await page.content()).not.toMatch(/\bana\b|\bben\b|\bcy\b/);
  });
});
