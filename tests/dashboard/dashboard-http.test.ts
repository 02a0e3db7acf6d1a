import { afterEach, describe, expect, it } from "vitest";
import type { Reply } from "../../src/core/message.ts";
import { DashboardLinks, linkLifetimeMs } from "../../src/features/dashboard/links.ts";
import { insertReport } from "../../src/features/reports/reports.repository.ts";
import { defaultHttpLimits } from "../../src/web/http-limits.ts";
import { WebServer } from "../../src/web/http-server.ts";
import { webRoutes } from "../../src/web/web-app.ts";
import { dialects } from "../helpers/databases.ts";
import { buttonsOf } from "../helpers/fake-chat.ts";
import { createTestBot, freePort, latestRoundAnswer } from "../helpers/test-bot.ts";

const secret = "a-dashboard-secret-of-at-least-32-chars";
let server: WebServer | undefined;
let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  await server?.stop();
  await cleanup?.();
  server = undefined;
  cleanup = undefined;
});

/** The board rows of a page: the cells of every row that names a member. */
function boardRows(page: string): string[][] {
  return [...page.matchAll(/<tr data-member="[^"]*">(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((cell) => cell[1] ?? ""),
  );
}

function tableRows(replies: Reply[]): string[][] {
  const table = replies[0]?.message.blocks.find((b) => b.type === "table");
  return table?.type === "table" ? table.rows.map((r) => [...r]) : [];
}

/** Two workspaces with answers; a dashboard served on loopback, links signed as /study dashboard signs them. */
async function setUp(dialect: (typeof dialects)[number]) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const links = new DashboardLinks(base, secret);
  const { bot, chat, clock, db } = await createTestBot({ dialect, dashboard: links });
  server = new WebServer(webRoutes(db, undefined, bot.dashboardRoutes()), defaultHttpLimits, 1000);
  await server.start(port, "127.0.0.1");
  cleanup = async () => {
    bot.stop();
    await db.destroy();
  };
  // Workspace T1: ana right, ben wrong; the round closes. Workspace T2: zed right.
  const answerWith = async (user: string, offset: number) => {
    const round = chat.rounds().at(-1);
    const buttons = buttonsOf(round?.message ?? { text: "", blocks: [] }).filter((b) => b.action === "answer");
    const button = buttons[((await latestRoundAnswer(db)) + offset) % buttons.length];
    if (!round || !button) throw new Error("no round to answer");
    await chat.pressButton(user, button, round.address);
  };
  await chat.say("ana", "quiz");
  await answerWith("ana", 0);
  await answerWith("<b>ben</b>", 1);
  clock.advance(11 * 60_000);
  await bot.closeDueRounds();
  await chat.say("zed", "quiz", { workspaceId: "T2", channelId: "C2" });
  await answerWith("zed", 0);
  await bot.settle();
  const link = (member: string, workspace = "T1", admin = false) =>
    links.linkFor({ workspaceId: `console:${workspace}`, memberId: `console:${workspace}:${member}`, admin }, clock.now());
  const tokenOf = (url: string) => url.slice(`${base}/dashboard/`.length);
  return { base, links, bot, chat, clock, db, link, tokenOf };
}

const get = (url: string) => fetch(url, { redirect: "manual" });

describe.each(dialects)("the web dashboard over HTTP (%s)", (dialect) => {
  it("shows the team board, the member's own numbers and the admin page with the numbers the chat commands give", async () => {
    const { chat, link, tokenOf } = await setUp(dialect);
    const url = link("ana", "T1", true);
    const opened = await get(url);
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe(`/dashboard/${tokenOf(url)}/team`);

    const team = await get(`${url}/team`);
    expect(team.status).toBe(200);
    expect(team.headers.get("referrer-policy")).toBe("no-referrer");
    expect(team.headers.get("cache-control")).toBe("no-store");
    expect(team.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await team.text();
    // A display name is text on the page, never markup.
    expect(page).toContain("&lt;b&gt;ben&lt;/b&gt;");
    expect(page).not.toContain("<b>ben</b>");
    const chatBoard = tableRows(await chat.say("ana", "leaderboard"));
    expect(chatBoard).toHaveLength(2);
    expect(boardRows(page)).toEqual(chatBoard.map((row) => row.map((cell) => cell.replace("<b>ben</b>", "&lt;b&gt;ben&lt;/b&gt;"))));
    expect(page).not.toContain("zed");
    // The closed round, with one of two right: the hardest of the last rounds.
    expect(page).toMatch(
      /<tr class="hardest"><td>\d{4}-\d{2}-\d{2}<\/td><td>.+<strong>\(hardest\)<\/strong><\/td><td>[A-D]\. .+<\/td><td class="n">2<\/td><td class="n">50%<\/td><\/tr>/,
    );
    for (const window of ["month", "season", "all"]) {
      const other = await (await get(`${url}/team?window=${window}`)).text();
      expect(boardRows(other)).toEqual(boardRows(page));
    }
    // The charts' font is served to the page, which draws the SVG text with it as the PNGs do.
    expect(page).toContain('@font-face{font-family:"Noto Sans SC";src:url(/dashboard/font.ttf)');
    const font = await get(`${url.slice(0, url.indexOf("/dashboard/"))}/dashboard/font.ttf`);
    expect(font.status).toBe(200);
    expect(font.headers.get("content-type")).toBe("font/ttf");
    expect((await font.arrayBuffer()).byteLength).toBeGreaterThan(500_000);
    const bad = await get(`${url}/team?window=decade`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('Unknown window "decade": use one of week, month, season, all.');

    const streak = (await chat.say("<b>ben</b>", "streak"))[0]?.message.blocks.find((b) => b.type === "fields");
    const me = await (await get(`${link("<b>ben</b>")}/me`)).text();
    const personal = streak?.type === "fields" ? streak.fields[0]?.value : undefined;
    expect(personal).toBe("1 study day");
    expect(me).toContain("Streak 1 (longest 1), freezes 0 / 2.");
    expect(me).toContain("This week: #2 with 0 points.");
    // The question ben missed, with its explanation.
    expect(me).toMatch(/<details><summary>/);
    expect(me).toContain("<strong>Answer:</strong>");
  });

  it("refuses expired, tampered, foreign-signed and cross-workspace links with a 403 that names nothing", async () => {
    const { base, links, clock, link, tokenOf } = await setUp(dialect);
    const token = tokenOf(link("ana", "T1", true));
    const [payload, mac] = token.split(".") as [string, string];
    const forged = Buffer.from(Buffer.from(payload, "base64url").toString().replace("console:T1", "console:T2")).toString("base64url");
    const flipped = `${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`;
    const expired = links.sign({
      workspaceId: "console:T1",
      memberId: "console:T1:ana",
      admin: true,
      expiresAt: clock.now().getTime() - 1,
    });
    const otherSecret = tokenOf(
      new DashboardLinks(base, "another-secret-after-a-rotation-xxxxxxx").linkFor(
        { workspaceId: "console:T1", memberId: "console:T1:ana", admin: true },
        clock.now(),
      ),
    );
    for (const bad of [`${forged}.${mac}`, `${payload}.${flipped}`, expired, otherSecret, "nonsense", `${token}.x`]) {
      for (const page of ["team", "me", "admin"]) {
        const answer = await get(`${base}/dashboard/${bad}/${page}`);
        expect(answer.status).toBe(403);
        const body = await answer.text();
        expect(body).not.toMatch(/ana|T1|T2|zed/);
      }
    }
    // The link a day later: expired.
    expect((await get(`${base}/dashboard/${token}/team`)).status).toBe(200);
    clock.advance(linkLifetimeMs);
    expect((await get(`${base}/dashboard/${token}/team`)).status).toBe(403);
  });

  it("keeps each workspace to itself: T2's link shows T2's member only, in T2's language", async () => {
    const { chat, link } = await setUp(dialect);
    await chat.say("zed", "config language zh", { workspaceId: "T2", channelId: "C2" });
    const page = await (await get(`${link("zed", "T2")}/team`)).text();
    expect(page).toContain("zed");
    expect(page).not.toMatch(/ana|ben/);
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain("排行榜：本周");
    expect(page).toContain("最近 12 周");
    // T1 still reads in English.
    expect(await (await get(`${link("ana")}/team`)).text()).toContain("Leaderboard: This week");
  });

  it("answers 500 with no details, and keeps serving, when the database fails under a page", async () => {
    const { db, link } = await setUp(dialect);
    const url = link("ana");
    await db.schema.alterTable("answers").renameTo("answers_gone").execute();
    const failed = await get(`${url}/team`);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe("Something went wrong on our side; try again in a minute.");
    expect((await get(`${url.slice(0, url.indexOf("/dashboard/"))}/healthz`)).status).toBe(200);
  });

  it("gives the admin page to admins only, and resolves a report from its form, posted from the dashboard's own origin", async () => {
    const { base, db, clock, link } = await setUp(dialect);
    const round = await db
      .selectFrom("rounds")
      .select(["id", "question_id"])
      .where("workspace_id", "=", "console:T1")
      .executeTakeFirstOrThrow();
    await insertReport(db, {
      id: "r1",
      workspaceId: "console:T1",
      questionId: round.question_id,
      memberId: "console:T1:ana",
      roundId: round.id,
      note: "B is right too",
      now: clock.now(),
    });
    const member = link("ana");
    expect((await get(`${member}/admin`)).status).toBe(403);
    expect(await (await get(`${member}/team`)).text()).not.toContain('/admin"');
    const form = new URLSearchParams({ question: round.question_id });
    const post = (url: string, origin?: string) =>
      fetch(`${url}/admin/reports/resolve`, {
        method: "POST",
        redirect: "manual",
        body: form,
        headers: { "content-type": "application/x-www-form-urlencoded", ...(origin ? { origin } : {}) },
      });
    expect((await post(member, base)).status).toBe(403);
    const admin = link("ana", "T1", true);
    const adminPage = await (await get(`${admin}/admin`)).text();
    expect(adminPage).toContain("B is right too");
    expect(adminPage).toContain(round.question_id);
    // A form from another site is refused (CSRF), and changes nothing.
    expect((await post(admin, "https://evil.example")).status).toBe(403);
    const open = () => db.selectFrom("reports").select("id").where("resolved_at", "is", null).execute();
    expect(await open()).toHaveLength(1);
    const resolved = await post(admin, base);
    expect(resolved.status).toBe(303);
    expect(await open()).toHaveLength(0);
    const after = await (await get(`${base}${resolved.headers.get("location")}`)).text();
    expect(after).toContain(`Resolved 1 report on ${round.question_id}.`);
    expect(after).toContain("No open report.");
  });
});
