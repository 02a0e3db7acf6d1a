import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.ts";
import { StudyBot } from "../../src/study-bot.ts";
import { ManualClock } from "../helpers/manual-clock.ts";
import { decodePng } from "../helpers/png.ts";
import { fixtureDb, silentLog } from "../helpers/test-bot.ts";

/** The real bot behind a console adapter on in-memory streams: type lines in, read what it printed. */
async function consoleBot(language: "en" | "zh" = "en") {
  const clock = new ManualClock("2026-11-23T10:00:00Z");
  const db = await fixtureDb(clock);
  const bot = new StudyBot({ db, clock, defaults: { timezone: "UTC", language }, log: silentLog });
  const input = new PassThrough();
  const output = new PassThrough();
  const session = { printed: "" };
  output.on("data", (d) => {
    session.printed += d;
  });
  const imageDir = mkdtempSync(join(tmpdir(), "study-bot-pictures-"));
  const terminal = new ConsoleAdapter({ input, output, user: "ana", interactive: false, imageDir, language });
  bot.addAdapter(terminal);
  await terminal.start(bot);
  const until = async (text: string) => {
    const started = Date.now();
    while (!session.printed.includes(text)) {
      if (Date.now() - started > 5000) throw new Error(`never printed: ${text}\n${session.printed}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { bot, clock, db, input, terminal, session, imageDir, until };
}

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

  it("writes the streak heatmap as a PNG file and prints its path", async () => {
    const { input, terminal, session, imageDir } = await consoleBot();
    input.end("/study streak\n");
    await terminal.finished();
    const path = join(imageDir, "streak-2026-11-23.png");
    expect(session.printed).toContain(`Saved as ${path}`);
    expect(decodePng(readFileSync(path)).width).toBeGreaterThan(200);
  });
});
