import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { formatPackProblem, packLimits, packSummary, readPackFile } from "../../src/features/packs/pack-file.ts";
import { projectRoot, studyBot } from "../helpers/cli.ts";

const examplePack = join(projectRoot, "examples/team-pack.yaml");
const bytes = (text: string) => new TextEncoder().encode(text);

const question = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  topic: "on-call",
  difficulty: 2,
  answer: "B",
  en: { prompt: `Prompt of ${id}?`, choices: ["one", "two", "three"], explanation: "Because." },
  ...overrides,
});
const packText = (questions: unknown[], header: Record<string, unknown> = {}) =>
  stringify({ pack: "team-pack", title: "Team pack", language: "en", ...header, questions });

describe("reading a question pack", () => {
  it("reads the README's example pack and previews its count, topics and three questions spread over it", () => {
    const { pack, problems } = readPackFile(readFileSync(examplePack));
    expect(problems).toEqual([]);
    expect(pack?.id).toBe("platform-basics");
    expect(pack?.language).toBeUndefined();
    const summary = packSummary(pack ?? { id: "", title: "", questions: [] });
    expect(summary.questions).toBe(3);
    expect(summary.topics).toEqual([
      { name: "postgres", questions: 2 },
      { name: "on-call", questions: 1 },
    ]);
    expect(summary.samples.map((q) => q.id)).toEqual(["pg-index-without-blocking", "pg-default-isolation", "http-503-retry-after"]);
  });

  it("is the example the README shows, word for word", () => {
    expect(readFileSync(join(projectRoot, "README.md"), "utf8")).toContain(`\`\`\`yaml\n${readFileSync(examplePack, "utf8")}\`\`\``);
  });

  it("reads a pack written as JSON", () => {
    const { pack, problems } = readPackFile(bytes(JSON.stringify({ pack: "j", title: "J", language: "en", questions: [question("q1")] })));
    expect(problems).toEqual([]);
    expect(pack?.questions.map((q) => q.id)).toEqual(["q1"]);
  });

  it("lists every problem at once, by question id and line, and returns no pack", () => {
    const long = "x".repeat(packLimits.prompt + 1);
    const text = packText([
      question("fine"),
      question("bad-difficulty", { difficulty: 5 }),
      question("fine"),
      question("answer-past-choices", { answer: "D" }),
      question("too-long", { en: { prompt: long, choices: ["a", "b"], explanation: "e" } }),
      question("escaped-too-long", { en: { prompt: "&".repeat(301), choices: ["a", "b"], explanation: "e" } }),
      question("chinese-in-english-pack", { zh: { prompt: "问？", choices: ["一", "二", "三"], explanation: "因为" } }),
      question("one-choice", { en: { prompt: "p", choices: ["only"], explanation: "e" } }),
    ]);
    const { pack, problems } = readPackFile(bytes(text));
    expect(pack).toBeUndefined();
    const lines = text.split("\n");
    const lineOf = (id: string, nth = 1) => {
      let seen = 0;
      return lines.findIndex((l) => l.includes(`id: ${id}`) && ++seen === nth) + 1;
    };
    expect(problems.map(formatPackProblem)).toEqual([
      `line ${lineOf("bad-difficulty")}, bad-difficulty: difficulty: must be 1, 2 or 3`,
      `line ${lineOf("fine", 2)}, fine: id: used by an earlier question of the pack`,
      `line ${lineOf("answer-past-choices")}, answer-past-choices: answer: D is past the 3 choices of en`,
      `line ${lineOf("too-long")}, too-long: en.prompt: ${packLimits.prompt + 1} characters as sent to Slack; at most ${packLimits.prompt}`,
      `line ${lineOf("escaped-too-long")}, escaped-too-long: en.prompt: 1505 characters as sent to Slack; at most ${packLimits.prompt}`,
      `line ${lineOf("chinese-in-english-pack")}, chinese-in-english-pack: zh: the pack is in en only (language: en)`,
      `line ${lineOf("one-choice")}, one-choice: en.choices: needs at least 2 choices`,
    ]);
  });

  it("wants both languages, with the same choices, in a pack that names no language", () => {
    const both = question("q", {
      en: { prompt: "p?", choices: ["a", "b", "c"], explanation: "e" },
      zh: { prompt: "问？", choices: ["一", "二"], explanation: "因为" },
    });
    const { problems } = readPackFile(bytes(packText([both, question("english-only")], { language: undefined })));
    expect(problems.map((p) => `${p.question}: ${p.message}`)).toEqual([
      "q: choices: en has 3, zh has 2; both need the same choices in the same order",
      "english-only: zh: missing (a pack in one language says so with language: en or language: zh)",
    ]);
  });

  it("refuses a file over 1 MB, over 2,000 questions, not UTF-8, not YAML, or without a header, before reading questions", () => {
    expect(readPackFile(new Uint8Array(packLimits.fileBytes + 1)).problems.map((p) => p.message)).toEqual([
      `the file has ${packLimits.fileBytes + 1} bytes; a pack may have at most 1 MB (${packLimits.fileBytes} bytes)`,
    ]);
    const many = Array.from({ length: packLimits.questions + 1 }, (_, i) => question(`q${i}`));
    expect(readPackFile(bytes(JSON.stringify({ pack: "p", title: "t", language: "en", questions: many }))).problems).toEqual([
      { message: `questions: the pack has ${packLimits.questions + 1} questions; at most ${packLimits.questions}` },
    ]);
    expect(readPackFile(new Uint8Array([0x70, 0x61, 0xff, 0xfe])).problems).toEqual([{ message: "the file is not UTF-8 text" }]);
    expect(readPackFile(bytes("pack: p\ntitle: t\nquestions:\n  - id: a\n    topic: b: c\n")).problems).toEqual([
      { line: 5, message: "Nested mappings are not allowed in compact mappings" },
    ]);
    expect(readPackFile(bytes("- id: a\n")).problems.map((p) => p.message)).toEqual([
      "the file: Invalid input: expected object, received array",
    ]);
    expect(readPackFile(bytes("title: t\nquestions: []\n")).problems.map((p) => p.message)).toEqual([
      "pack: Invalid input: expected string, received undefined",
    ]);
    expect(readPackFile(bytes("pack: p\ntitle: t\nquestions: []\n")).problems.map((p) => p.message)).toEqual([
      "questions: the pack has no questions",
    ]);
  });
});

describe("study-bot pack", () => {
  it("previews a good pack with --dry-run and exits 0, storing nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pack-"));
    const env = { DATABASE_URL: join(dir, "bot.sqlite") };
    const { stdout, code } = await studyBot(["pack", "import", "examples/team-pack.yaml", "--dry-run"], { env });
    expect(code).toBe(0);
    expect(stdout).toContain('Pack platform-basics "Platform team basics": 3 questions');
    expect(stdout).toContain("Topics: postgres (2), on-call (1)");
    expect(stdout).toContain("C. CREATE INDEX CONCURRENTLY ✓");
    expect(stdout).toContain("preview only: nothing was stored");
    expect(existsSync(env.DATABASE_URL)).toBe(false);
  });

  it("imports into a workspace, lists, disables and exports it, and keeps workspaces apart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pack-"));
    const env = { DATABASE_URL: join(dir, "bot.sqlite") };
    const run = (...args: string[]) => studyBot(["pack", ...args], { env });
    const imported = await run("import", "examples/team-pack.yaml", "--workspace", "slack:T1");
    expect(imported.stdout).toContain("imported into slack:T1: 3 added, 0 updated, 0 retired (answers kept), 0 unchanged");
    expect((await run("import", "examples/team-pack.yaml", "--workspace", "slack:T1")).stdout).toContain(
      "0 added, 0 updated, 0 retired (answers kept), 3 unchanged",
    );
    expect((await run("list", "--workspace", "slack:T1")).stdout).toBe(
      "platform-basics\tenabled\t3 questions\ten+zh\tPlatform team basics\n",
    );
    expect((await run("disable", "platform-basics", "--workspace", "slack:T1")).stdout).toBe("platform-basics: disabled\n");
    expect((await run("list", "--workspace", "slack:T1")).stdout).toContain("\tdisabled\t");
    expect((await run("export", "platform-basics", "--workspace", "slack:T1")).stdout).toBe(readFileSync(examplePack, "utf8"));

    await run("import", "examples/team-pack.yaml", "--workspace", "discord:G1");
    await run("remove", "platform-basics", "--workspace", "discord:G1");
    expect((await run("list", "--workspace", "discord:G1")).stdout).toBe("discord:G1 has no question packs\n");
    expect((await run("list", "--workspace", "slack:T1")).stdout).toContain("platform-basics");
    const other = await run("export", "platform-basics", "--workspace", "discord:G1");
    expect([other.code, other.stderr]).toEqual([1, "discord:G1 has no pack platform-basics\n"]);
    const unknown = await run("list", "--workspace", "slack:T9");
    expect([unknown.code, unknown.stderr]).toEqual([1, "no workspace slack:T9 in this database\n"]);
  });

  it("lists every problem of a broken pack on stderr and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pack-"));
    writeFileSync(join(dir, "broken.yaml"), packText([question("a", { answer: "F" }), question("a")]));
    const { stderr, code } = await studyBot(["pack", "import", join(dir, "broken.yaml"), "--dry-run"]);
    expect(code).toBe(1);
    expect(stderr).toContain("broken.yaml: 2 problems, nothing imported:");
    expect(stderr).toMatch(/line \d+, a: answer: F is past the 3 choices of en/);
    expect(stderr).toMatch(/line \d+, a: id: used by an earlier question of the pack/);
  });

  it("explains its usage when an argument is missing or wrong", async () => {
    for (const args of [
      ["pack", "import"],
      ["pack", "list", "extra"],
      ["pack", "import", "examples/team-pack.yaml"],
      ["pack", "list", "--workspace", "irc:x"],
    ]) {
      const { stderr, code } = await studyBot(args);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr, args.join(" ")).toMatch(/^pack: /);
    }
  });
});
