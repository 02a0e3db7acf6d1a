import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { forgetWorkspace } from "../../src/store/forget-workspace.ts";
import { allRows, mentioning } from "../helpers/all-rows.ts";
import { projectRoot } from "../helpers/cli.ts";
import { dialects } from "../helpers/databases.ts";
import { createTestBot } from "../helpers/test-bot.ts";

describe.each(dialects)("study-bot workspace forget (%s)", (dialect) => {
  it("deletes every row that names the workspace, in every table, and nothing of another workspace", async () => {
    const { chat, db, clock, bot } = await createTestBot({ dialect });
    // Two workspaces study: subscriptions, digests and their reads, rounds, answers, cards, scores, study days, packs,
    // and a member's submission waiting for review.
    for (const workspaceId of ["T1", "T2"]) {
      const where = { workspaceId };
      await chat.say("ana", `pack import ${join(projectRoot, "examples/team-pack.yaml")}`, where, true);
      await chat.say("ana", "config review-channel here", where, true);
      const form = (await chat.say("bo", "submit", where, false)).find((r) => r.form)?.form;
      if (!form) throw new Error("no submission form");
      const question = { prompt: "Which port?", choices: "80\n443", answer: "B", explanation: "TLS.", topic: "ports" };
      await chat.submitForm("bo", form, question, where);
      await chat.say("ana", "subscribe 09:00", where, true);
      // The digest that subscribing posts (its Mark as read is pressed below) comes in the background.
      await bot.settle();
      await chat.say("ana", "quiz net.tcp", where);
      await chat.press("ana", "2", { where });
      await chat.press("bo", "1", { where });
      await chat.press("ana", "r", { where });
    }
    // The daily posts that subscribing sets off run in the background: the snapshot waits for them.
    await bot.settle();
    clock.advance(11 * 60_000);
    const before = await allRows(db, dialect);
    expect(mentioning(before, "console:T1").length).toBeGreaterThan(10);
    const untouched = mentioning(before, "console:T2");

    const deleted = await forgetWorkspace(db, "console:T1");
    expect(deleted?.workspaces).toBe(1);
    expect(deleted?.answers).toBeGreaterThan(0);
    const after = await allRows(db, dialect);
    expect(mentioning(after, "console:T1")).toEqual([]);
    expect(mentioning(after, "console:T2")).toEqual(untouched);
    expect(await forgetWorkspace(db, "console:T1")).toBeUndefined();
    await db.destroy();
  });
});
