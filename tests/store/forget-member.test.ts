import { Migrator, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrations } from "../../migrations/index.ts";
import type { Form, Reply } from "../../src/core/message.ts";
import { forgetMember } from "../../src/features/forget/forget-member.ts";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { allRows, mentioning } from "../helpers/all-rows.ts";
import { dialects, freshDatabaseUrl } from "../helpers/databases.ts";
import { buttonsOf, type FakeChat, textOf } from "../helpers/fake-chat.ts";
import { sampleSubmission } from "../helpers/sample-submission.ts";
import { createTestBot, latestRoundAnswer } from "../helpers/test-bot.ts";

// The user id is also the display name on the fake chat: one needle finds both.
const zelda = "Zelda-Quist";
const zeldaId = `console:T1:${zelda}`;
const T1 = { workspaceId: "T1", channelId: "C1" };
const reviews = { workspaceId: "T1", channelId: "REVIEWS" };

const formOf = (replies: Reply[]): Form => {
  const form = replies.find((r) => r.form)?.form;
  if (!form) throw new Error(`no form in: ${textOf(replies)}`);
  return form;
};

const latestButton = (chat: FakeChat, action: string, where = reviews) => {
  const post = chat.posts.filter((p) => p.address.channelId === where.channelId).at(-1);
  const found = buttonsOf(post?.message ?? { text: "", blocks: [] }).find((b) => b.action === action);
  if (!found) throw new Error(`no ${action} button`);
  return found;
};

describe.each(dialects)("study-bot member forget: forgetMember (%s)", (dialect) => {
  it("leaves no row in any table naming the member, keeps their report's note, and changes no one else's rows", async () => {
    const { chat, db, clock, bot } = await createTestBot({ dialect });
    chat.groupsOf.set(zelda, ["111"]);
    await chat.say("ana", "config squad owls 111", T1, true);
    await chat.say("ana", "config review-channel <#REVIEWS|reviews>", T1, true);
    await chat.say("ana", "subscribe 09:00", T1, true);
    await bot.settle();
    await chat.press(zelda, "r", { where: T1 });
    await chat.press("bo", "r", { where: T1 });

    // A round Zelda answers right first, and bo wrong; both report its question afterwards.
    clock.advance(60_000);
    await chat.say("ana", "quiz net.tcp", T1);
    const answer = await latestRoundAnswer(db);
    await chat.press(zelda, String(answer + 1), { where: T1 });
    await chat.press("bo", String(((answer + 1) % 4) + 1), { where: T1 });
    clock.advance(11 * 60_000);
    await bot.closeDueRounds();
    const report = buttonsOf(chat.rounds().at(-1)?.edits.at(-1) ?? { text: "", blocks: [] }).find((b) => b.action === "report");
    if (!report) throw new Error("no report button");
    for (const [who, note] of [
      [zelda, "Zelda's note: choice C is also right"],
      ["bo", "bo's note"],
    ] as const) {
      await chat.submitForm(who, formOf(await chat.pressButton(who, report, T1)), { note }, T1);
    }
    // A second round where Zelda takes the 50/50 first (her answers leave her review cards).
    await chat.say("ana", "quiz net.tcp", T1);
    await chat.press(zelda, "h", { where: T1 });
    await chat.press(zelda, String((await latestRoundAnswer(db)) + 1), { where: T1 });

    // Zelda's question is approved (a credit line in the team's pack), another waits, a third is a draft; as an admin
    // she approves bo's.
    await chat.submitForm(zelda, formOf(await chat.say(zelda, "submit", T1, false)), sampleSubmission, T1);
    await chat.pressButton("ana", latestButton(chat, "submission-approve"), reviews, true);
    await chat.submitForm(zelda, formOf(await chat.say(zelda, "submit", T1, false)), { ...sampleSubmission, prompt: "Which queue?" }, T1);
    await chat.submitForm(zelda, formOf(await chat.say(zelda, "submit", T1, false)), { ...sampleSubmission, answer: "Z" }, T1);
    await chat.submitForm("bo", formOf(await chat.say("bo", "submit", T1, false)), { ...sampleSubmission, prompt: "Which region?" }, T1);
    await chat.pressButton(zelda, latestButton(chat, "submission-approve"), reviews, true);

    // Slack's home clicks come from the member's direct messages, whose channel id is the user id.
    await chat.say(zelda, "streak", { workspaceId: "T1", channelId: zelda }, false);
    // December's first digest crowns November's champion: Zelda, who scored the most.
    clock.set("2026-12-01T09:30:00Z");
    await bot.runDueDigests();
    // The same user in another workspace is another member, and stays.
    await chat.say("ana", "quiz net.tcp", { workspaceId: "T2" });
    await chat.press(zelda, String((await latestRoundAnswer(db)) + 1), { where: { workspaceId: "T2" } });
    await bot.settle();

    const before = await allRows(db, dialect);
    const tablesNamingHer = new Set(mentioning(before, zeldaId).map((line) => line.split(":")[0]));
    expect([...tablesNamingHer].sort()).toEqual(
      [
        "activity",
        "answers",
        "cards",
        "channels",
        "lifelines",
        "member_groups",
        "members",
        "reads",
        "reports",
        "rounds",
        "scores",
        "seasons",
        "submissions",
      ].sort(),
    );
    expect(mentioning(before, `Submitted by ${zelda}`).length).toBeGreaterThan(0);
    expect(
      mentioning(before, zeldaId)
        .filter((line) => line.startsWith("submissions:"))
        .map((line) => JSON.parse(line.slice(13)).status),
    ).toEqual(expect.arrayContaining(["approved", "pending", "draft"]));
    const otherWorkspace = mentioning(before, "console:T2");
    const bos = mentioning(before, "console:T1:bo");

    const changed = await forgetMember(db, zeldaId);
    expect(changed).toMatchObject({ members: 1, reports: 1, rounds: 1, seasons: 1, questions: 1 });
    expect(changed?.answers).toBe(2);
    const after = await allRows(db, dialect);
    expect(mentioning(after, zeldaId)).toEqual([]);
    // Her name (and user id) remains only in the other workspace's rows.
    expect(mentioning(after, zelda).filter((line) => !line.includes("console:T2:"))).toEqual([]);
    expect(mentioning(after, "console:T2")).toEqual(otherWorkspace);
    // bo's rows are as they were, but for who approved his question.
    expect(mentioning(after, "console:T1:bo")).toEqual(bos.map((line) => line.replace(`"decided_by":"${zeldaId}"`, '"decided_by":null')));
    expect(mentioning(after, "Zelda's note: choice C is also right")).toHaveLength(1);
    expect(mentioning(after, "Submitted by a former member").length).toBeGreaterThan(0);
    expect(textOf(await chat.say("ana", "config reports", T1, true))).toContain("a former member: Zelda's note: choice C is also right");

    expect(await forgetMember(db, zeldaId)).toBeUndefined();
  });
});

describe.each(dialects)("the migration to reports without a member (%s)", (dialect) => {
  it("keeps the reports stored before it, their index and one report per member and round, and lets a report lose its member", async () => {
    const db = openDatabase(await freshDatabaseUrl(dialect));
    await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo("2026-12-07-20-hidden-members");
    const now = new Date().toISOString();
    await db.insertInto("workspaces").values({ id: "w", platform: "console", external_id: "w", created_at: now }).execute();
    await db.insertInto("members").values({ id: "w:m", workspace_id: "w", external_id: "m", display_name: "m", created_at: now }).execute();
    const question = {
      topic_id: "t",
      difficulty: 1,
      answer: 0,
      body: "{}",
      source_kind: "roadmap",
      source_ref: "t",
      content_hash: "h",
      retired: 0,
    };
    await db
      .insertInto("questions")
      .values({ id: "q", ...question, updated_at: now })
      .execute();
    const report = { workspace_id: "w", question_id: "q", round_id: "r", note: "kept", created_at: now, resolved_at: null };
    await db
      .insertInto("reports")
      .values({ id: "1", member_id: "w:m", ...report })
      .execute();
    expect(await migrateToLatest(db)).toEqual(["2026-12-07-21-retention-and-anonymous-reports"]);

    expect(await db.selectFrom("reports").select(["id", "member_id", "note"]).execute()).toEqual([
      { id: "1", member_id: "w:m", note: "kept" },
    ]);
    await expect(
      db
        .insertInto("reports")
        .values({ id: "2", member_id: "w:m", ...report })
        .execute(),
    ).rejects.toThrow();
    await db.updateTable("reports").set({ member_id: null }).execute();
    await db
      .insertInto("reports")
      .values({ id: "3", member_id: null, ...report })
      .execute();
    expect(
      await db.selectFrom("reports").select("id").where("workspace_id", "=", "w").where("resolved_at", "is", null).execute(),
    ).toHaveLength(2);
    const reports = (await db.introspection.getTables()).find((t) => t.name === "reports");
    expect(reports?.columns.find((c) => c.name === "member_id")?.isNullable).toBe(true);
    const index =
      dialect === "sqlite"
        ? sql`select name from sqlite_master where type = 'index' and name = 'reports_open'`
        : sql`select indexname as name from pg_indexes where indexname = 'reports_open'`;
    expect((await index.execute(db)).rows).toEqual([{ name: "reports_open" }]);
    expect(await db.selectFrom("workspaces").select("retention_days").execute()).toEqual([{ retention_days: null }]);
    await db.destroy();
  });
});
