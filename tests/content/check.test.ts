import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ArticleTextOf, articleTextReader, defaultArticleTextsDir } from "../../src/content/article-texts.ts";
import { answerLengthRanks, checkContent, nearDuplicatePrompts } from "../../src/content/check.ts";
import { type Content, loadContent } from "../../src/content/load.ts";
import { answerLetters } from "../../src/content/schema.ts";
import { defaultSeedsDir } from "../../src/content/seed.ts";
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

describe("the article-year rule", () => {
  const url = "http://highscalability.com/blog/2007/7/9/livejournal-architecture.html";
  // Stands in for the article's Chinese text: it dates one event (2005), and 2011 appears only in a link.
  const text = [
    "# LiveJournal 体系结构",
    `> 原文： [${url}](${url})`,
    "2005 年他们把用户分到多个集群。参见[另一篇](http://example.com/blog/2011/1/1/other.html)。",
  ].join("\n\n");
  const texts: ArticleTextOf = (article) => (article.url === url ? text : undefined);

  /** The fixture with its first question tied to the LiveJournal article and given these prompts. */
  function withArticleQuestion(en: string, zh: string, published = "2007-07-09"): Content {
    const content = fixture();
    const [q] = content.questions;
    const article = content.articles.find((a) => a.url === url);
    if (!q || !article) throw new Error("fixture too small");
    (q as { source: object }).source = { article: url };
    q.en.prompt = en;
    q.zh.prompt = zh;
    article.published = published;
    return content;
  }
  /** The article-year issues, checked with the stand-in text (`null`: with no texts at all). */
  const yearIssues = (content: Content, articleText: ArticleTextOf | null = texts) =>
    checkContent(content, { articleText: articleText ?? undefined })
      .issues.filter((i) => i.rule === "article-year")
      .map((i) => `${i.id}: ${i.message}`);

  it("flags a prompt year that is neither the article's publication year nor in its text (a year in a link does not count)", () => {
    const content = withArticleQuestion(
      "In 2009 LiveJournal split users into clusters. Why?",
      "2011 年 LiveJournal 把用户分到多个集群。为什么？",
    );
    expect(yearIssues(content)).toEqual([
      `fx-epoll-1: en prompt names 2009, which is neither the article's year (2007) nor in its text: date the event as the article does, or say "the 2007 article"`,
      `fx-epoll-1: zh prompt names 2011, which is neither the article's year (2007) nor in its text: date the event as the article does, or say "the 2007 article"`,
    ]);
  });

  it('passes "the 2013 article" phrasing, the publication year, and a year the article gives', () => {
    const content = withArticleQuestion(
      "The 2013 article on LiveJournal says that in 2005 it split users into clusters. Why?",
      "2013 年的文章说 LiveJournal 在 2005 年把用户分到多个集群。为什么？",
      "2013-04-15",
    );
    expect(yearIssues(content)).toEqual([]);
    const plain = withArticleQuestion(
      "In 2007 LiveJournal split users into clusters. Why?",
      "2007 年 LiveJournal 把用户分到多个集群。为什么？",
    );
    expect(yearIssues(plain)).toEqual([]);
  });

  it('flags "the YEAR article" when the article was published in another year, even without the texts', () => {
    const content = withArticleQuestion(
      "The 2009 article on LiveJournal says it split users into clusters. Why?",
      "2009 年介绍 LiveJournal 的文章说他们把用户分到多个集群。为什么？",
    );
    const expected = [
      'fx-epoll-1: en prompt names "the 2009 article", but the article was published in 2007',
      'fx-epoll-1: zh prompt names "the 2009 article", but the article was published in 2007',
    ];
    expect(yearIssues(content)).toEqual(expected);
    expect(yearIssues(content, null)).toEqual(expected);
  });

  it("does not judge other years without the article's text, and counts the questions it did check", () => {
    const content = withArticleQuestion(
      "In 2009 LiveJournal split users into clusters. Why?",
      "2009 年 LiveJournal 把用户分到多个集群。为什么？",
    );
    expect(yearIssues(content, null)).toEqual([]);
    expect(checkContent(content).stats.articleYearsChecked).toBe(0);
    // The fixture ties one more question to this article.
    expect(checkContent(content, { articleText: texts }).stats.articleYearsChecked).toBe(2);
  });

  it("does not take sizes, counts or Chinese numbers that are not years for years", () => {
    const content = withArticleQuestion(
      "A 2048-byte buffer served 40% of requests at 20:15. Why?",
      "2000 台服务器各有 2048 字节的缓冲区。为什么？",
    );
    expect(yearIssues(content)).toEqual([]);
  });

  it("reads article N's text from N.md, N from the catalog's translation URL; no directory, no reader", () => {
    const dir = mkdtempSync("/tmp/study-bot-article-texts-");
    writeFileSync(join(dir, "1.md"), text);
    const read = articleTextReader(dir);
    const [livejournal, mixi] = fixture().articles;
    if (!read || !livejournal || !mixi) throw new Error("fixture too small");
    expect(read(livejournal)).toBe(text);
    expect(read(mixi)).toBeUndefined();
    expect(articleTextReader(join(dir, "absent"))).toBeUndefined();
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
    // With the shared article texts beside the project, every case-study prompt's years are looked up in its article.
    if (existsSync(defaultArticleTextsDir)) expect(out).toMatch(/article years: (\d+) questions checked against the article texts in /);
  });

  it("skips looking up prompt years, with a note, when the article texts are not there", () => {
    const out = execFileSync("npx", ["tsx", "src/cli.ts", "content", "check"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, STUDY_ARTICLE_TEXTS_DIR: "/nonexistent/highscalability-zh" },
    });
    expect(out).toContain("content ok:");
    expect(out).toContain("article years: prompt years not looked up in the articles (no article texts at /nonexistent/highscalability-zh");
  });
});

describe("where the keyed answer falls by length", () => {
  it("credits each rank with the chance that always picking it finds the answer, ties broken at random", () => {
    const choices = ["a", "bbbb", "cc", "ddd"];
    expect([0, 1, 2, 3].map((i) => answerLengthRanks(choices, i))).toEqual([
      { longest: 0, "2nd": 0, "3rd": 0, shortest: 1 },
      { longest: 1, "2nd": 0, "3rd": 0, shortest: 0 },
      { longest: 0, "2nd": 0, "3rd": 1, shortest: 0 },
      { longest: 0, "2nd": 1, "3rd": 0, shortest: 0 },
    ]);
    // Code points, not UTF-16 units or bytes; three choices: the 3rd longest is the shortest.
    expect(answerLengthRanks(["同样长", "abc", "一"], 0)).toEqual({ longest: 0.5, "2nd": 0.5, "3rd": 0, shortest: 0 });
    expect(answerLengthRanks(["1", "2", "3", "4"], 2)).toEqual({ longest: 0.25, "2nd": 0.25, "3rd": 0.25, shortest: 0.25 });
    expect(answerLengthRanks(["xx", "y", "zzz"], 1)).toEqual({ longest: 0, "2nd": 0, "3rd": 1, shortest: 1 });
  });

  it("flags a file where one rank holds more than 30% of the answers in either language, naming the questions there", () => {
    const content = fixture();
    const inFile = content.questions.filter((q) => q.file === "questions/fixture.yaml");
    // Four of the eleven (36%) get a keyed Chinese answer longer than every other choice.
    for (const q of inFile.slice(0, 4)) {
      const zh = q.zh.choices as string[];
      const index = answerLetters.indexOf(q.answer);
      zh[index] = `${zh[index]}${"很长的补充说明".repeat(10)}`;
    }
    const flagged = checkContent(content).issues.filter((i) => i.rule === "answer-length");
    expect(flagged).toHaveLength(1);
    expect(flagged[0]?.file).toBe("questions/fixture.yaml");
    expect(flagged[0]?.message).toMatch(/^zh: always picking the longest choice finds the answer in \d+% of the questions \(at most 30%\)/);
    for (const q of inFile.slice(0, 4)) expect(flagged[0]?.message).toContain(q.id);
  });
});

describe("the length-rank table in seeds/README.md", () => {
  it("is what content check computes for the bank today", () => {
    const readme = readFileSync(join(defaultSeedsDir, "README.md"), "utf8");
    const rows = readme.split("\n").filter((line) => /^\| [\w-]+\.yaml \| (en|zh) \|/.test(line));
    const { stats } = checkContent(loadContent(defaultSeedsDir).content);
    const computed = stats.lengthRankShares.map(
      ({ file, language, shares }) =>
        `| ${file.replace("questions/", "")} | ${language} | ${Object.values(shares)
          .map((share) => `${Math.round(100 * share)}%`)
          .join(" | ")} |`,
    );
    expect(rows).toEqual(computed);
  });
});

describe("near-duplicate prompts", () => {
  it("finds prompts sharing most telling words, leaving out words common across the bank", () => {
    const q = (id: string, prompt: string) => ({ id, en: { prompt } });
    const filler = Array.from({ length: 40 }, (_, i) => q(`filler-${i}`, `What does this program print? case ${i} topic${i}`));
    const pairs = nearDuplicatePrompts([
      q("a", "Kafka topic with 12 partitions: how to keep one order's events in order?"),
      q("b", "How do you keep one order's events in order on a Kafka topic with 12 partitions?"),
      q("c", "What does this program print? Redis cluster hash slot of user:1"),
      ...filler,
    ]);
    expect(pairs.map(({ first, second }) => `${first.id}~${second.id}`)).toEqual(["a~b"]);
    expect(pairs[0]?.similarity).toBeGreaterThanOrEqual(0.6);
  });

  it("flags a near-duplicate unless the allow-list gives a reason, and flags allow-list entries that are stale", () => {
    const content = fixture();
    const [first, second] = content.questions;
    if (!first || !second) throw new Error("fixture too small");
    first.en.prompt = "Why does a Kafka consumer group with more consumers than partitions leave some consumers idle?";
    second.en.prompt = "In a Kafka consumer group with more consumers than partitions, why are some consumers idle?";
    expect(rulesOf(content)).toContain(`questions/fixture.yaml: ${second.id}: [near-duplicate]`);

    const allowed = {
      questions: [first.id, second.id] as [string, string],
      reason: "one asks the cause, the other the fix",
      file: "near-duplicates.yaml",
    };
    content.allowedNearDuplicates.push(allowed, { ...allowed, questions: ["fx-epoll-3", "no-such-question"] });
    const rules = rulesOf(content);
    expect(rules).not.toContain(`questions/fixture.yaml: ${second.id}: [near-duplicate]`);
    expect(rules).toContain("near-duplicates.yaml: fx-epoll-3 no-such-question: [near-duplicate]");

    second.en.prompt = "An entirely different question about TCP keep-alive probes?";
    expect(rulesOf(content)).toContain(`near-duplicates.yaml: ${[first.id, second.id].sort().join(" ")}: [near-duplicate]`);
  });
});
