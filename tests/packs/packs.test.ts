import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { seedDatabase } from "../../src/content/seed.ts";
import type { Db } from "../../src/store/database.ts";
import { projectRoot } from "../helpers/cli.ts";
import { dialects } from "../helpers/databases.ts";
import { textOf } from "../helpers/fake-chat.ts";
import { createTestBot, fixtureSeeds } from "../helpers/test-bot.ts";

const examplePack = join(projectRoot, "examples/team-pack.yaml");
const T1 = { workspaceId: "T1" };
const T2 = { workspaceId: "T2" };

const answeredQuestions = async (db: Db) =>
  (await db.selectFrom("answers").innerJoin("rounds", "rounds.id", "answers.round_id").select("rounds.question_id").execute()).map(
    (a) => a.question_id,
  );

/** The example pack changed: its first question's prompt reworded, its last question gone. */
function editedPack(dir: string): string {
  const pack = parse(readFileSync(examplePack, "utf8"));
  pack.questions[0].en.prompt = "A migration indexes a big, busy PostgreSQL table. Which statement leaves writes unblocked?";
  pack.questions.pop();
  const path = join(dir, "edited.yaml");
  writeFileSync(path, stringify(pack));
  return path;
}

describe.each(dialects)("a workspace's question packs (%s)", (dialect) => {
  it("an admin imports a pack, quizzes draw from it, and another workspace sees none of it", async () => {
    const { chat, db } = await createTestBot({ dialect });
    expect(textOf(await chat.say("ana", "pack", T1))).toContain("This workspace has no question packs");

    const imported = textOf(await chat.say("ana", `pack import ${examplePack}`, T1));
    expect(imported).toContain('Pack platform-basics "Platform team basics": 3 questions');
    expect(imported).toContain("Imported: 3 added, 0 updated, 0 retired (their answers are kept), 0 unchanged.");
    expect(textOf(await chat.say("ana", "pack", T1))).toContain('platform-basics  "Platform team basics"  3 questions');

    // The Team branch: its topics are listed and quizzable by name.
    const topics = textOf(await chat.say("ana", "topics", T1));
    expect(topics).toContain("team  Team  (3, -)");
    expect(topics).toContain("team.on-call  on-call  (1, -)");
    await chat.say("ana", "quiz on-call", T1);
    const round = chat.rounds().at(-1);
    expect(round?.message.text).toContain("A dependency answers 503 with the header Retry-After: 120.");
    expect(textOf(await chat.press("ana", "2", { post: round, where: T1 }))).toContain("Correct");
    expect(await answeredQuestions(db)).toEqual(["console:T1/platform-basics/http-503-retry-after"]);

    // Another workspace: no pack, no Team branch, no team topic, nothing to export or change.
    expect(textOf(await chat.say("bo", "pack", T2))).toContain("This workspace has no question packs");
    expect(textOf(await chat.say("bo", "topics", T2))).not.toContain("team.");
    expect(textOf(await chat.say("bo", "quiz on-call", T2))).toContain('No topic matches "on-call"');
    expect(textOf(await chat.say("bo", "pack export platform-basics", T2))).toContain('This workspace has no pack "platform-basics"');
    expect(textOf(await chat.say("bo", "pack disable platform-basics", T2))).toContain('This workspace has no pack "platform-basics"');
    await chat.say("bo", "config questions team", T2);
    expect(textOf(await chat.say("bo", "quiz", T2))).toContain("There is no question for that topic yet");
    await db.destroy();
  });

  it("draws from the bank, the packs or both as the workspace says, and leaves a disabled pack out", async () => {
    const { chat, db, clock } = await createTestBot({ dialect });
    await chat.say("ana", `pack import ${examplePack}`, T1);
    await chat.say("ana", "config questions team", T1);
    const asked = async () => {
      clock.advance(1000);
      await chat.say("ana", "quiz", T1);
      const round = await db.selectFrom("rounds").select(["id", "question_id"]).orderBy("opened_at", "desc").executeTakeFirstOrThrow();
      await db.updateTable("rounds").set({ status: "closed" }).where("id", "=", round.id).execute();
      return round.question_id;
    };
    for (let i = 0; i < 3; i++) expect(await asked()).toMatch(/^console:T1\/platform-basics\//);
    await chat.say("ana", "config questions builtin", T1);
    expect(await asked()).toMatch(/^fx-/);
    expect(textOf(await chat.say("ana", "topics", T1))).not.toContain("team.on-call");

    await chat.say("ana", "config questions team", T1);
    expect(textOf(await chat.say("ana", "pack disable platform-basics", T1))).toContain("is disabled");
    expect(textOf(await chat.say("ana", "quiz", T1))).toContain("There is no question for that topic yet");
    expect(textOf(await chat.say("ana", "pack", T1))).toContain("(disabled)");
    await chat.say("ana", "pack enable platform-basics", T1);
    expect(await asked()).toMatch(/^console:T1\/platform-basics\//);
    await db.destroy();
  });

  it("updates a re-imported pack in place: a question gone from the file is retired and its answers are kept", async () => {
    const { chat, db } = await createTestBot({ dialect });
    await chat.say("ana", `pack import ${examplePack}`, T1);
    await chat.say("ana", "config questions team", T1);
    await chat.say("ana", "quiz on-call", T1);
    await chat.press("ana", "2", { post: chat.rounds().at(-1), where: T1 });

    const dir = mkdtempSync(join(tmpdir(), "pack-"));
    const reimported = textOf(await chat.say("ana", `pack import ${editedPack(dir)}`, T1));
    expect(reimported).toContain("Imported: 0 added, 1 updated, 1 retired (their answers are kept), 1 unchanged.");
    const retired = await db
      .selectFrom("questions")
      .select(["id", "retired"])
      .where("workspace_id", "=", "console:T1")
      .orderBy("id")
      .execute();
    expect(retired.map((q) => `${q.id.split("/")[2]}=${q.retired}`)).toEqual([
      "http-503-retry-after=1",
      "pg-default-isolation=0",
      "pg-index-without-blocking=0",
    ]);
    expect(await answeredQuestions(db)).toEqual(["console:T1/platform-basics/http-503-retry-after"]);
    // Seeding the bank again leaves the workspace's questions alone.
    await seedDatabase(db, new Date(), { dir: fixtureSeeds });
    const after = await db.selectFrom("questions").select("retired").where("workspace_id", "=", "console:T1").orderBy("id").execute();
    expect(after.map((q) => q.retired)).toEqual([1, 0, 0]);
    await db.destroy();
  });

  it("refuses a member who is not an admin, and stores nothing from a broken file, listing every problem", async () => {
    const { chat, db } = await createTestBot({ dialect });
    expect(textOf(await chat.say("bo", `pack import ${examplePack}`, T1, false))).toContain("Only a workspace admin can do that.");
    await chat.say("ana", `pack import ${examplePack}`, T1);
    expect(textOf(await chat.say("bo", "pack remove platform-basics", T1, false))).toContain("Only a workspace admin can do that.");
    expect(textOf(await chat.say("bo", "pack", T1, false))).toContain("platform-basics");

    const dir = mkdtempSync(join(tmpdir(), "pack-"));
    const broken = join(dir, "broken.yaml");
    const pack = parse(readFileSync(examplePack, "utf8"));
    pack.pack = "broken";
    pack.questions[0].answer = "F";
    pack.questions[1].difficulty = 9;
    pack.questions[2].id = pack.questions[0].id;
    writeFileSync(broken, stringify(pack));
    const refused = textOf(await chat.say("ana", `pack import ${broken}`, T1));
    expect(refused).toContain("The pack has 4 problems; nothing was imported:");
    expect(refused).toMatch(/line \d+, pg-index-without-blocking: answer: F is past the 4 choices of en/);
    expect(refused).toMatch(/line \d+, pg-index-without-blocking: answer: F is past the 4 choices of zh/);
    expect(refused).toMatch(/line \d+, pg-default-isolation: difficulty: must be 1, 2 or 3/);
    expect(refused).toMatch(/line \d+, pg-index-without-blocking: id: used by an earlier question of the pack/);
    expect(textOf(await chat.say("ana", `pack import ${join(dir, "missing.yaml")}`, T1))).toContain("no such file");
    const packs = await db.selectFrom("packs").select("id").execute();
    expect(packs.map((p) => p.id)).toEqual(["platform-basics"]);

    const preview = textOf(await chat.say("ana", `pack import ${editedPack(dir)} --dry-run`, T1));
    expect(preview).toContain("Preview only: nothing was stored.");
    const questions = await db.selectFrom("questions").select("retired").where("workspace_id", "=", "console:T1").execute();
    expect(questions.map((q) => q.retired)).toEqual([0, 0, 0]);
    await db.destroy();
  });

  it("exports the file as last imported, and removing a pack retires its questions", async () => {
    const { chat, db } = await createTestBot({ dialect });
    await chat.say("ana", `pack import ${examplePack}`, T1);
    const [reply] = await chat.say("ana", "pack export platform-basics", T1);
    expect(reply?.message.files?.map((f) => f.name)).toEqual(["pack-platform-basics.yaml"]);
    expect(reply?.message.files?.[0]?.content.toString()).toBe(readFileSync(examplePack, "utf8"));
    expect(textOf(await chat.say("ana", "pack remove platform-basics", T1))).toContain("is removed");
    expect(textOf(await chat.say("ana", "pack", T1))).toContain("This workspace has no question packs");
    const questions = await db.selectFrom("questions").select("retired").where("workspace_id", "=", "console:T1").execute();
    expect(questions.map((q) => q.retired)).toEqual([1, 1, 1]);
    await db.destroy();
  });
});

describe("pack import away from the console", () => {
  it("never reads a file on the bot's machine named in chat: Slack asks for an upload in a form, Discord for an attachment", async () => {
    const { FakeChat } = await import("../helpers/fake-chat.ts");
    for (const platform of ["slack", "discord"] as const) {
      const { chat, db } = await createTestBot({ chat: new FakeChat(platform) });
      const [reply] = await chat.say("ana", `pack import ${examplePack}`, T1);
      if (platform === "slack")
        expect(reply?.form).toMatchObject({ action: "pack-import", value: "import", file: { types: ["yaml", "yml", "json"] } });
      else expect(reply?.message.text).toContain("Give the pack file");
      expect(await db.selectFrom("packs").selectAll().execute()).toEqual([]);
      await db.destroy();
    }
  });
});

describe("team topics in the weekly recap", () => {
  it("names a pack topic among the weakest topics by its name, quizzable as it says", async () => {
    const { chat, db, clock, bot } = await createTestBot({ now: "2026-11-16T08:00:00Z" });
    await chat.say("lead", `pack import ${examplePack}`);
    await chat.say("lead", "config questions team");
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    clock.set("2026-11-16T10:00:00Z");
    await chat.say("lead", "quiz on-call", { channelId: "R1" });
    const round = chat.rounds().at(-1);
    for (const user of ["ana", "bo"]) await chat.press(user, "1", { post: round, where: { channelId: "R1" } });
    clock.set("2026-11-23T09:00:00Z");
    await bot.runDueDigests();
    const recap = chat.posts.find((p) => p.key?.startsWith("recap:"));
    expect(recap?.message.text).toMatch(/Weakest topics: on-call \(team\.on-call\)/);
    expect(recap?.message.text).toContain("/study quiz team.on-call");
    await db.destroy();
  });
});
