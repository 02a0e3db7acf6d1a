import { describe, expect, it } from "vitest";
import { consoleBot } from "../helpers/console-harness.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

describe("console: /study privacy", () => {
  it("a hidden member is 'a member' on the board and the round's results, and counts for the team streak", async () => {
    const { bot, clock, db, input, terminal, until, session } = await consoleBot();
    input.write("/study privacy hide\n");
    await until('public posts show you as "a member"');
    input.write("/study quiz net.tcp\n");
    await until("[1] A");
    input.write(`${(await latestRoundAnswer(db)) + 1}\n`);
    await until("Correct!");
    clock.advance(11 * 60_000);
    await bot.closeDueRounds();
    await until("Right (fastest first): a member");
    input.write("/study leaderboard\n");
    await until("== Leaderboard: this week ==");
    await until("a member");
    const board = session.printed.slice(session.printed.indexOf("== Leaderboard: this week =="));
    expect(board).toMatch(/\n1\s+a member\s+\d+\s+100%/);
    expect(board).not.toMatch(/\bana\b/);
    input.write("/study streak\n");
    await until("Team streak: 1 study day");
    input.write("/study privacy\n");
    await until("Hidden members (admins see this): ana.");
    input.end();
    await terminal.finished();
  });
});
