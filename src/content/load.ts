import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { isPair, isScalar, LineCounter, parseDocument, visit } from "yaml";
import type { ZodType } from "zod";
import {
  type AllowedNearDuplicateSeed,
  type ArticleNoteSeed,
  type ArticleSeed,
  allowedNearDuplicateSchema,
  articleNoteSchema,
  articleSchema,
  type Located,
  type QuestionSeed,
  questionSchema,
  type ReadingSeed,
  readingSchema,
  type TopicSeed,
  topicSchema,
} from "./schema.ts";

/** One content problem: the file, the item, the rule broken, and what is wrong. */
export interface ContentIssue {
  file: string;
  id: string;
  rule: string;
  message: string;
}

export interface Content {
  topics: Located<TopicSeed>[];
  questions: Located<QuestionSeed>[];
  articles: Located<ArticleSeed>[];
  notes: Located<ArticleNoteSeed>[];
  reading: Located<ReadingSeed>[];
  allowedNearDuplicates: Located<AllowedNearDuplicateSeed>[];
}

/** Pairs of questions the near-duplicate rule allows, each with its reason; optional. */
export const nearDuplicatesFile = "near-duplicates.yaml";

export const articleColumns = ["url", "zh_title", "en_title", "published", "zh_translation_url", "topics"] as const;

/** Reads every content file below `dir`, collecting schema problems instead of stopping at the first. */
export function loadContent(dir: string): { content: Content; issues: ContentIssue[] } {
  const issues: ContentIssue[] = [];
  const name = (path: string) => relative(dir, path) || path;
  const yamlFiles = (sub: string) =>
    (existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)) : [])
      .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
      .sort()
      .map((f) => join(dir, sub, f));

  const content: Content = {
    topics: yamlFiles("topics").flatMap((f) => readYamlList(f, name(f), topicSchema, issues)),
    questions: yamlFiles("questions").flatMap((f) => readYamlList(f, name(f), questionSchema, issues)),
    reading: readYamlList(join(dir, "reading.yaml"), "reading.yaml", readingSchema, issues),
    articles: readArticles(join(dir, "articles.tsv"), issues),
    notes: yamlFiles("article-notes").flatMap((f) => readYamlList(f, name(f), articleNoteSchema, issues)),
    allowedNearDuplicates: existsSync(join(dir, nearDuplicatesFile))
      ? readYamlList(join(dir, nearDuplicatesFile), nearDuplicatesFile, allowedNearDuplicateSchema, issues)
      : [],
  };
  return { content, issues };
}

const proseKeys = new Set(["prompt", "choices", "explanation", "zh", "en", "title", "summary", "takeaways", "reason"]);

function readYamlList<T>(path: string, file: string, schema: ZodType<T>, issues: ContentIssue[]): Located<T>[] {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, "utf8"), { lineCounter: lines });
  const [syntax] = doc.errors;
  if (syntax) {
    issues.push({ file, id: `line ${syntax.linePos?.[0]?.line ?? "?"}`, rule: "yaml", message: syntax.message.split("\n")[0] ?? "" });
    return [];
  }
  // In plain YAML text, " #" starts a comment: prose that contains it is silently cut short unless quoted.
  visit(doc, {
    Scalar(_key, node, path) {
      const inProse = path.some((ancestor) => isPair(ancestor) && isScalar(ancestor.key) && proseKeys.has(String(ancestor.key.value)));
      if (!node.comment || !inProse) return;
      const line = lines.linePos(node.range?.[0] ?? 0).line;
      issues.push({
        file,
        id: `line ${line}`,
        rule: "yaml-comment",
        message: `text after " #" was read as a comment: quote the value ("${node.comment.trim()}")`,
      });
    },
  });
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) {
    issues.push({ file, id: "(file)", rule: "schema", message: "must be a YAML list" });
    return [];
  }
  const items: Located<T>[] = [];
  data.forEach((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      items.push({ ...parsed.data, file });
      return;
    }
    const id = typeof raw?.id === "string" ? raw.id : typeof raw?.url === "string" ? raw.url : `item ${index + 1}`;
    for (const issue of parsed.error.issues) {
      const field = issue.path.join(".");
      issues.push({ file, id, rule: "schema", message: field ? `${field}: ${issue.message}` : issue.message });
    }
  });
  return items;
}

function readArticles(path: string, issues: ContentIssue[]): Located<ArticleSeed>[] {
  const file = "articles.tsv";
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const header = lines.shift()?.split("\t") ?? [];
  if (header.join("\t") !== articleColumns.join("\t")) {
    issues.push({ file, id: "line 1", rule: "schema", message: `header must be: ${articleColumns.join(" | ")}` });
    return [];
  }
  const articles: Located<ArticleSeed>[] = [];
  lines.forEach((line, index) => {
    const cells = line.split("\t");
    const row = Object.fromEntries(articleColumns.map((column, i) => [column, cells[i]?.trim() ?? ""]));
    const topics = (row.topics ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    const parsed = articleSchema.safeParse({ ...row, topics });
    if (parsed.success) {
      articles.push({ ...parsed.data, file });
      return;
    }
    for (const issue of parsed.error.issues) {
      issues.push({ file, id: row.url || `line ${index + 2}`, rule: "schema", message: `${issue.path.join(".")}: ${issue.message}` });
    }
  });
  return articles;
}
