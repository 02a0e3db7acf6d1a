import { describe, expect, it } from "vitest";
import { consoleBot } from "../helpers/console-harness.ts";

describe("console: /study forget-me", () => {
  it("shows Delete my data and Cancel as keys; n cancels and y deletes", async () => {
    const { db, input, terminal, until, session } = await consoleBot();
    const member = () => db.selectFrom("members").select("id").where("id", "=", "console:local:ana").executeTakeFirst();
    input.write("/study quiz\n1\n");
    await until("Explanation of");
    input.write("/study forget-me\n");
    await until("[y] Delete my data  [n] Cancel");
    expect(session.printed).toContain("• 1 quiz answers and 0 articles marked read");
    input.write("n\n");
    await until("Nothing was deleted.");
    expect(await member()).toBeDefined();
    input.write("/study forget-me\n");
    await until("[y] Delete my data");
    input.write("y\n");
    await until("Done: your study data in this workspace is deleted.");
    expect(await member()).toBeUndefined();
    expect(await db.selectFrom("answers").selectAll().execute()).toEqual([]);
    input.end();
    await terminal.finished();
  });
});
