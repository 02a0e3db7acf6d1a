import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { consoleBot } from "../helpers/console-harness.ts";
import { fixtureNotes } from "../helpers/fixture-notes.ts";
import { decodePng } from "../helpers/png.ts";

describe("console adapter in process", () => {
  it("speaks the deployment's language in its own lines too, not only in the core's replies", async () => {
    const { input, terminal, until } = await consoleBot("zh");
    await until("study-bot 控制台：你是 #general 里的 ana");
    input.write("hello\n");
    await until("输入 /study help 查看命令");
    input.end();
    await terminal.finished();
  });

  it("takes the line after 'Report a problem' as the report's note", async () => {
    const { bot, clock, db, input, terminal, until } = await consoleBot();
    input.write("/study quiz\n1\n");
    await until("Explanation of");
    clock.advance(11 * 60_000);
    await bot.closeDueRounds();
    await until("[p] Report a problem");
    input.write("p\n");
    await until("Type what is wrong with this question");
    input.write("The answer key is B, not A\n");
    await until("Thanks: the report is saved");
    input.end();
    await terminal.finished();
    expect(await db.selectFrom("reports").select("note").execute()).toEqual([{ note: "The answer key is B, not A" }]);
  });

  it("asks a submission's fields one line each, and its only member approves it from the review message", async () => {
    const { input, terminal, until, session } = await consoleBot();
    input.write("/study config review-channel here\n/study submit\n");
    await until("Question");
    input.write("Which port does our payments API listen on in staging?\n");
    await until("Choices: 2 to 4, one per line");
    // One line per field on the console: choices separated by |.
    input.write("8080 | 8443 | 9000\nB\nStaging terminates TLS on the service itself.\npayments\n");
    await until("[a] Approve");
    expect(session.printed).toContain("B. 8443 ✓");
    input.write("a\n");
    await until("Approved: ana's question is in the team-submissions pack");
    await until("was approved: it is in the team's quizzes under payments. +20 points.");
    input.write("/study quiz payments\n");
    await until("Which port does our payments API listen on in staging?\nA. 8080");
    input.end();
    await terminal.finished();
  });

  it("writes the streak heatmap as a PNG file and prints its path", async () => {
    const { input, terminal, session, imageDir } = await consoleBot();
    input.end("/study streak\n");
    await terminal.finished();
    const path = join(imageDir, "streak-2026-11-23.png");
    expect(session.printed).toContain(`Saved as ${path}`);
    expect(decodePng(readFileSync(path)).width).toBeGreaterThan(200);
  });

  it("shows the article's note under its titles on /study digest", async () => {
    const { input, terminal, until, db } = await consoleBot();
    input.write("/study digest\n");
    await until("[r] Mark as read");
    const digest = await db.selectFrom("digests").select("article_url").executeTakeFirstOrThrow();
    const note = fixtureNotes.get(digest.article_url);
    await until(note?.en.summary ?? "no note");
    for (const takeaway of note?.en.takeaways ?? []) await until(`• ${takeaway}`);
    await until(`Reading time: ${note?.minutes} min`);
    await terminal.stop();
  });
});
