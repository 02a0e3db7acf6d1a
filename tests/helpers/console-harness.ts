import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.ts";
import { StudyBot } from "../../src/study-bot.ts";
import { ManualClock } from "./manual-clock.ts";
import { fixtureDb, silentLog } from "./test-bot.ts";

/** The real bot behind a console adapter on in-memory streams: type lines in, read what it printed. */
export async function consoleBot(language: "en" | "zh" = "en") {
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
