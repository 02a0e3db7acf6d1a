import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { checkContent } from "../../src/content/check.ts";
import { type Content, loadContent } from "../../src/content/load.ts";
import { fixtureSeeds } from "../helpers/test-bot.ts";

function fixture(): Content {
  const { content, issues } = loadContent(fixtureSeeds);
  expect(issues).toEqual([]);
  return structuredClone(content);
}

const rulesOf = (content: Content) => checkContent(content).issues.map((i) => `${i.file}: ${i.id}: [${i.rule}]`);

describe("content check rules", () => {
  it("passes the fixture content", () => {
    expect(checkContent(fixture()).issues).toEqual([]);
  });

  it("flags duplicate ids and duplicate prompts (case and white space folded)", () => {
    const content = fixture();
    const [first, second] = content.questions;
    if (!first || !second) throw new Error("fixture too small");
    content.questions.push({ ...first });
    second.en.prompt = `  ${first.en.prompt.toUpperCase().replace(" ", "   ")} `;
    const rules = rulesOf(content);
    expect(rules).toContain("questions/fixture.yaml: fx-epoll-1: [duplicate-id]");
    expect(rules).toContain("questions/fixture.yaml: fx-epoll-2: [duplicate-prompt]");
  });

  it("flags unknown topics on questions, articles and parents", () => {
    const content = fixture();
    (content.questions[0] as { topic: string }).topic = "net.nope";
    (content.articles[0] as { topics: string[] }).topics = ["nope"];
    content.topics.push({ id: "orphan.child", zh: "孤儿", en: "Orphan", file: "topics/fixture.yaml" });
    const rules = rulesOf(content);
    expect(rules).toContain("questions/fixture.yaml: fx-epoll-1: [unknown-topic]");
    expect(rules).toContain("articles.tsv: http://highscalability.com/blog/2007/7/9/livejournal-architecture.html: [unknown-topic]");
    expect(rules).toContain("topics/fixture.yaml: orphan.child: [unknown-topic]");
  });

  it("flags a leaf topic with fewer than 3 questions", () => {
    const content = fixture();
    content.questions = content.questions.filter((q) => q.id !== "fx-epoll-3");
    expect(rulesOf(content)).toContain("topics/fixture.yaml: net.epoll: [leaf-questions]");
  });

  it("flags choice counts that differ between languages and an answer past the choices", () => {
    const content = fixture();
    const q = content.questions[0];
    if (!q) throw new Error("fixture too small");
    q.zh.choices = q.zh.choices.slice(0, 3);
    const r = content.questions[1];
    if (!r) throw new Error("fixture too small");
    r.zh.choices = r.zh.choices.slice(0, 2);
    r.en.choices = r.en.choices.slice(0, 2);
    (r as { answer: string }).answer = "D";
    const rules = rulesOf(content);
    expect(rules).toContain("questions/fixture.yaml: fx-epoll-1: [choice-count]");
    expect(rules).toContain("questions/fixture.yaml: fx-epoll-2: [answer]");
  });

  it("flags an answer position holding more than 35% of the bank", () => {
    const content = fixture();
    for (const q of content.questions.slice(0, 5)) (q as { answer: string }).answer = "A";
    expect(rulesOf(content)).toContain("questions/: (all questions): [answer-position]");
  });

  it("flags an article-tied question whose URL is not in the catalog and an unknown book", () => {
    const content = fixture();
    (content.questions[0] as { source: object }).source = { article: "http://highscalability.com/not-in-catalog" };
    (content.questions[1] as { source: object }).source = { book: "no-such-book" };
    const rules = rulesOf(content);
    expect(rules).toContain("questions/fixture.yaml: fx-epoll-1: [source]");
    expect(rules).toContain("questions/fixture.yaml: fx-epoll-2: [source]");
  });

  it("reports schema problems (missing language, too many choices, no article topics) while loading", async () => {
    const { mkdtempSync, cpSync, readFileSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const dir = join(mkdtempSync("/tmp/study-bot-schema-"), "seeds");
    cpSync(fixtureSeeds, dir, { recursive: true });
    const questions = join(dir, "questions", "fixture.yaml");
    const yaml = readFileSync(questions, "utf8");
    writeFileSync(
      questions,
      yaml
        .replace(
          /(- id: fx-epoll-1\n(?:.*\n)*?) {2}en:\n {4}prompt: Fixture question fx-epoll-1\n {4}choices: \[first, second, third, fourth\]\n {4}explanation: Explanation of fx-epoll-1\n/,
          "$1",
        )
        .replace(
          "choices: [first, second, third, fourth]\n    explanation: Explanation of fx-tcp-1",
          "choices: [a, b, c, d, e, f, g]\n    explanation: Explanation of fx-tcp-1",
        ),
    );
    const articles = join(dir, "articles.tsv");
    writeFileSync(articles, readFileSync(articles, "utf8").replace("\tnet.tcp\n", "\t\n"));
    const { issues } = loadContent(dir);
    const found = issues.map((i) => `${i.file}: ${i.id}: [${i.rule}] ${i.message}`);
    expect(found).toContain("questions/fixture.yaml: fx-epoll-1: [schema] en: Invalid input: expected object, received undefined");
    expect(found).toContain("questions/fixture.yaml: fx-tcp-1: [schema] en.choices: allows at most 6 choices");
    expect(found).toContain(
      "articles.tsv: http://highscalability.com/blog/2007/7/11/friendster-architecture.html: [schema] topics: needs at least one topic",
    );
  });
});

describe("YAML pitfalls", () => {
  it("flags prose cut short by an unquoted ' #', which YAML reads as a comment", async () => {
    const { mkdtempSync, cpSync, readFileSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const dir = join(mkdtempSync("/tmp/study-bot-comment-"), "seeds");
    cpSync(fixtureSeeds, dir, { recursive: true });
    const questions = join(dir, "questions", "fixture.yaml");
    writeFileSync(
      questions,
      readFileSync(questions, "utf8").replace("explanation: Explanation of fx-tcp-2", "explanation: Use the macro #define X 1"),
    );
    const { issues } = loadContent(dir);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: "questions/fixture.yaml", rule: "yaml-comment" });
    expect(issues[0]?.message).toContain('quote the value ("define X 1")');
  });
});

describe("the project's own content", () => {
  it("passes `study-bot content check` with at least 400 questions, 218 articles and 60 case-study questions", () => {
    const out = execFileSync("npx", ["tsx", "src/cli.ts", "content", "check"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const questions = Number(/(\d+) questions/.exec(out)?.[1]);
    const hard = Number(/3=(\d+)/.exec(out)?.[1]);
    expect(questions).toBeGreaterThanOrEqual(400);
    expect(hard / questions).toBeGreaterThanOrEqual(0.25);
    expect(out).toContain("218 articles");
    expect(Number(/tied to an article: (\d+)/.exec(out)?.[1])).toBeGreaterThanOrEqual(60);
  });
});
