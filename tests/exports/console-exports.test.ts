import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { consoleBot } from "../helpers/console-harness.ts";
import { csvRecords, readAsAnki } from "../helpers/exported-files.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

describe("console: /study export", () => {
  it("writes the member's files and the team's into the console's file folder and prints their paths", async () => {
    const { db, input, terminal, until, session, imageDir } = await consoleBot();
    input.write("/study quiz net.tcp\n");
    await until("[1] A");
    input.write(`${(((await latestRoundAnswer(db)) + 1) % 4) + 1}\n`);
    await until("Not quite");

    input.write("/study export\n");
    const history = join(imageDir, "study-history-2026-11-23.csv");
    const missed = join(imageDir, "study-missed-2026-11-23.txt");
    await until(`Saved as ${missed}`);
    expect(session.printed).toContain(`Saved as ${history}`);
    expect(csvRecords(readFileSync(history)).map((r) => [r.kind, r.correct])).toEqual([["answer", "0"]]);
    expect(readAsAnki(readFileSync(missed)).notes.map((n) => n.tags)).toEqual([["net.tcp"]]);

    input.write("/study export team\n");
    const weeks = join(imageDir, "team-weeks-2026-11-23.csv");
    await until(`Saved as ${join(imageDir, "team-topics-2026-11-23.csv")}`);
    expect(session.printed).toContain(`Saved as ${weeks}`);
    expect(csvRecords(readFileSync(weeks)).map((r) => [r.member, r.answers, r.correct])).toEqual([["ana", "1", "0"]]);
    input.end();
    await terminal.finished();
  });
});
