import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { consoleBot } from "../helpers/console-harness.ts";
import { decodePng } from "../helpers/png.ts";

describe("console: /study me", () => {
  it("prints the home (the console's member is its admin: the subscriptions too) and writes the streak picture", async () => {
    const { input, terminal, session, imageDir } = await consoleBot();
    input.end("/study me\n");
    await terminal.finished();
    expect(session.printed).toContain("ana: your study home");
    expect(session.printed).toContain("Rank this week: no points yet");
    expect(session.printed).toContain("No channel gets the daily article yet: /study subscribe in one.");
    const path = join(imageDir, "streak-2026-11-23.png");
    expect(session.printed).toContain(`Saved as ${path}`);
    expect(decodePng(readFileSync(path)).height).toBeGreaterThan(100);
  });
});
