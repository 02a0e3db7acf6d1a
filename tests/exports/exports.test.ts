import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { Reply } from "../../src/core/message.ts";
import { historyColumns, topicColumns, weekColumns } from "../../src/features/exports/exports.ts";
import { dialects } from "../helpers/databases.ts";
import { csvRecords, readAsAnki, readSpreadsheetCsv } from "../helpers/exported-files.ts";
import { type FakeChat, textOf } from "../helpers/fake-chat.ts";
import { createTestBot } from "../helpers/test-bot.ts";

/** A pack whose first question has everything a file format can trip on: a leading #, quotes, a tab, HTML, newlines. */
const pack = {
  pack: "exports-test",
  title: "Exports test",
  language: "en",
  questions: [
    {
      id: "tricky",
      topic: "Night shift",
      difficulty: 1,
      answer: "B",
      source: { url: "https://example.com/runbook?step=1&lang=en" },
      en: {
        prompt: '# Page "on-call"\twhen <b>bold</b> & then?\nSecond line',
        choices: ["Wait", "Page the <secondary>", "Ignore"],
        explanation: 'Escalate "now".\nThen write it up.',
      },
    },
    {
      id: "plain",
      topic: "Day shift",
      difficulty: 1,
      answer: "A",
      en: {
        prompt: "Who hands over the pager?",
        choices: ["The outgoing engineer", "The manager"],
        explanation: "The one going off shift.",
      },
    },
  ],
};

function packFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), "exports-pack-")), "pack.yaml");
  writeFileSync(path, stringify(pack));
  return path;
}

/** `user` takes a quiz on `topic` in `channel` and presses the choice with this 0-based index. */
async function answer(chat: FakeChat, user: string, topic: string, channel: string, choice: number): Promise<void> {
  const where = { channelId: channel };
  await chat.say(user, `quiz ${topic}`, where);
  const round = [...chat.rounds()].reverse().find((p) => p.address.channelId === channel);
  if (!round) throw new Error(`no round in ${channel}`);
  await chat.press(user, String(choice + 1), { post: round, where });
}

const filesOf = (replies: Reply[]) => replies.flatMap((r) => r.message.files ?? []);

describe.each(dialects)("exports (%s)", (dialect) => {
  it("sends a member their history as CSV, answers and reads, and the questions they missed as an Anki file", async () => {
    const { chat, bot, clock, db } = await createTestBot({ dialect });
    expect(textOf(await chat.say("ana", `pack import ${packFile()}`))).toContain("Imported: 2 added");
    expect(textOf(await chat.say("ana", "export"))).toContain("You have no answers or article reads here yet");
    await chat.say("ana", "subscribe 09:00");
    await bot.settle();
    await chat.press("ana", "r", { post: chat.digests()[0] });
    clock.advance(60_000);
    await answer(chat, "ana", "night", "C2", 0);
    clock.advance(60_000);
    await answer(chat, "ana", "day", "C3", 0);
    // Another member's answers are not in ana's export.
    await answer(chat, "bo", "day", "C4", 1);

    const replies = await chat.say("ana", "export");
    const files = filesOf(replies);
    expect(files.map((f) => f.name)).toEqual(["study-history-2026-11-23.csv", "study-missed-2026-11-23.txt"]);
    expect(textOf(replies)).toContain("study-missed-2026-11-23.txt: the 1 question you missed, as Anki cards.");
    expect(textOf(replies)).toContain("Anki: File > Import");

    const [header] = readSpreadsheetCsv(files[0]?.content ?? Buffer.alloc(0));
    expect(header).toEqual([...historyColumns]);
    const digest = await db.selectFrom("digests").select("article_url").executeTakeFirstOrThrow();
    const article = await db.selectFrom("articles").select("en_title").where("url", "=", digest.article_url).executeTakeFirstOrThrow();
    const rows = csvRecords(files[0]?.content ?? Buffer.alloc(0));
    expect(rows.map((r) => [r.kind, r.question_id, r.correct, r.points])).toEqual([
      ["read", "", "", "2"],
      ["answer", "console:T1/exports-test/tricky", "0", "0"],
      ["answer", "console:T1/exports-test/plain", "1", expect.stringMatching(/^[1-9]\d*$/)],
    ]);
    expect(rows[0]).toMatchObject({ date: "2026-11-23", source: article.en_title, source_url: digest.article_url });
    expect(rows[1]).toMatchObject({
      date: "2026-11-23",
      topic_id: "team.night-shift",
      topic: "Night shift",
      // A prompt that starts with # is no formula: only = + - @ tab and CR get the quote.
      prompt: pack.questions[0]?.en.prompt,
      your_answer: "A. Wait",
      right_answer: "B. Page the <secondary>",
      source: "Exports test",
      source_url: "https://example.com/runbook?step=1&lang=en",
    });
    expect(rows[1]?.time_utc).toBe("2026-11-23T10:01:00.000Z");
    const rounds = await db.selectFrom("rounds").select(["id", "question_id"]).execute();
    expect(rows[1]?.round_id).toBe(rounds.find((r) => r.question_id === "console:T1/exports-test/tricky")?.id);

    const anki = readAsAnki(files[1]?.content ?? Buffer.alloc(0));
    expect(anki.settings).toMatchObject({ separator: "tab", html: "true", "tags column": "3" });
    expect(anki.notes).toEqual([
      {
        fields: [
          '# Page "on-call"\twhen &lt;b&gt;bold&lt;/b&gt; &amp; then?<br>Second line<br><br>A. Wait<br>B. Page the &lt;secondary&gt;<br>C. Ignore',
          'Answer: B. Page the &lt;secondary&gt;<br><br>Escalate "now".<br>Then write it up.<br><br>Source: <a href="https://example.com/runbook?step=1&amp;lang=en">Exports test</a>',
        ],
        tags: ["team.night-shift"],
      },
    ]);
    await db.destroy();
  });

  it("gives admins the team's weeks and topics, every name intact and no name run as a formula; members get a refusal", async () => {
    const { chat, clock, db } = await createTestBot({ dialect });
    const hostile = "=cmd|' /C calc'!A0";
    await answer(chat, "张伟", "net.tcp", "C2", 0);
    await answer(chat, hostile, "net.tcp", "C3", 3);
    await answer(chat, "@SUM(1)", "db.mysql", "C4", 0);
    clock.advance(7 * 24 * 3600_000);
    await answer(chat, "张伟", "net.tcp", "C5", 3);

    const refused = await chat.say("bo", "export team", {}, false);
    expect(textOf(refused)).toBe("⚠️ Only a workspace admin can do that.");
    expect(filesOf(refused)).toEqual([]);
    const unknown = await chat.say("lead", "export everything");
    expect(textOf(unknown)).toContain('"everything" is not something to export');
    expect(filesOf(unknown)).toEqual([]);

    const replies = await chat.say("lead", "export team");
    const [weeks, topics] = filesOf(replies);
    expect([weeks?.name, topics?.name]).toEqual(["team-weeks-2026-11-30.csv", "team-topics-2026-11-30.csv"]);
    expect(textOf(replies)).toContain("Members who hide their name (/study privacy hide) are in it by name");
    const weeksFile = weeks?.content ?? Buffer.alloc(0);
    expect([...weeksFile.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(weeksFile.subarray(3).toString("utf8")).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(readSpreadsheetCsv(weeksFile)[0]).toEqual([...weekColumns]);

    const answers = await db
      .selectFrom("answers")
      .select(["member_id", "correct", "points", "local_date"])
      .orderBy("answered_at")
      .execute();
    const pointsOf = (member: string, date: string) =>
      String(answers.filter((a) => a.member_id === `console:T1:${member}` && a.local_date === date).reduce((n, a) => n + a.points, 0));
    const rows = csvRecords(weeksFile);
    expect(rows.map((r) => [r.member, r.user_id, r.week_start, r.answers, r.active_days])).toEqual([
      [`'${hostile}`, `'${hostile}`, "2026-11-23", "1", "1"],
      ["'@SUM(1)", "'@SUM(1)", "2026-11-23", "1", "1"],
      ["张伟", "张伟", "2026-11-23", "1", "1"],
      ["张伟", "张伟", "2026-11-30", "1", "1"],
    ]);
    const zhang = rows.filter((r) => r.member === "张伟");
    expect(zhang.map((r) => [r.correct, r.accuracy_percent, r.points])).toEqual(
      answers
        .filter((a) => a.member_id === "console:T1:张伟")
        .map((a) => [String(a.correct), String(100 * a.correct), pointsOf("张伟", a.local_date)]),
    );
    // Monday the 23rd alone: the weekdays after it reset the streak by the week's end; Monday the 30th starts it again.
    expect(zhang.map((r) => r.streak_at_week_end)).toEqual(["0", "1"]);

    expect(readSpreadsheetCsv(topics?.content ?? Buffer.alloc(0))[0]).toEqual([...topicColumns]);
    const tcp = answers.filter((a) => !a.member_id.includes("SUM"));
    expect(csvRecords(topics?.content ?? Buffer.alloc(0))).toEqual([
      {
        topic_id: "db.mysql",
        topic: "MySQL",
        answers: "1",
        correct: String(answers.find((a) => a.member_id.includes("SUM"))?.correct),
        accuracy_percent: expect.any(String),
      },
      {
        topic_id: "net.tcp",
        topic: "TCP",
        answers: "3",
        correct: String(tcp.reduce((n, a) => n + a.correct, 0)),
        accuracy_percent: String(Math.round((100 * tcp.reduce((n, a) => n + a.correct, 0)) / 3)),
      },
    ]);
    await db.destroy();
  });
});

describe("exports in Chinese", () => {
  it("says what it sent in the workspace's language", async () => {
    const { chat, db } = await createTestBot();
    await chat.say("ana", "config language zh");
    await answer(chat, "ana", "net.tcp", "C2", 0);
    const text = textOf(await chat.say("ana", "export"));
    expect(text).toContain("你的学习记录导出");
    expect(text).toContain("study-history-2026-11-23.csv：你的全部记录，每次答题（1）和每篇文章阅读（0）各一行。");
    expect(textOf(await chat.say("ana", "export all"))).toContain("“all”不是可导出的内容");
    await db.destroy();
  });
});
