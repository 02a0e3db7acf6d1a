import { isNode, isSeq, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { answerLetters, idPattern, languageBlock } from "../../content/schema.ts";
import type { Strings } from "../../core/i18n.ts";
import type { Block } from "../../core/message.ts";

/**
 * What a team's pack may hold. A question's round and results are one Discord embed (description at most 4096
 * characters, with the header, answer and source lines) and Slack sections of at most 3000 characters each, counted
 * after Slack's escaping: so a question's prompt, choices and explanation together stay within 3000.
 */
export const packLimits = {
  fileBytes: 1024 * 1024,
  questions: 2000,
  prompt: 1500,
  choice: 200,
  explanation: 1000,
  questionText: 3000,
  title: 100,
  description: 500,
  author: 100,
  topic: 40,
} as const;

export type PackLanguage = "en" | "zh";

const optionalText = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must have at most ${max} characters`);

const packHeaderSchema = z
  .object({
    pack: z.string().regex(idPattern, "must be lowercase [a-z0-9-] segments joined by dots, e.g. payments-runbooks"),
    title: optionalText(packLimits.title),
    description: optionalText(packLimits.description).optional(),
    author: optionalText(packLimits.author).optional(),
    language: z.enum(["en", "zh"], { message: "must be en or zh (leave it out for a pack in both)" }).optional(),
    questions: z.array(z.unknown(), { message: "must be a list of questions" }),
  })
  .strict();

const packQuestionSchema = z
  .object({
    id: z.string().regex(idPattern, "must be lowercase [a-z0-9-] segments joined by dots"),
    topic: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(packLimits.topic, `must have at most ${packLimits.topic} characters`)
      .regex(/^[^.\n]+$/, "must be one name, without dots or line breaks"),
    difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)], { message: "must be 1, 2 or 3" }),
    answer: z.enum(answerLetters, { message: "must be a letter A-F" }),
    source: z
      .object({ url: z.string().url("must be a URL") })
      .strict()
      .optional(),
    zh: languageBlock.optional(),
    en: languageBlock.optional(),
  })
  .strict();

export type PackQuestion = z.infer<typeof packQuestionSchema>;

export interface PackFile {
  id: string;
  title: string;
  description?: string;
  author?: string;
  /** Set when every question is in this language only; they are shown in it whatever the workspace's language. */
  language?: PackLanguage;
  questions: PackQuestion[];
}

/** One thing wrong with a pack file: where (the question and its line, when known) and what. */
export interface PackProblem {
  question?: string;
  line?: number;
  message: string;
}

export function formatPackProblem(problem: PackProblem): string {
  const where = [problem.line !== undefined ? `line ${problem.line}` : undefined, problem.question].filter(Boolean).join(", ");
  return where ? `${where}: ${problem.message}` : problem.message;
}

/** Characters as Slack receives them: it needs &, < and > escaped as &amp;, &lt; and &gt;. */
export function sentLength(text: string): number {
  let length = 0;
  for (const character of text) length += character === "&" ? 5 : character === "<" || character === ">" ? 4 : 1;
  return length;
}

/**
 * Reads a pack (YAML, or JSON, which YAML reads too) and checks all of it before anything is stored, returning every
 * problem at once. A pack comes back only when there are none.
 */
export function readPackFile(bytes: Uint8Array): { pack?: PackFile; text?: string; problems: PackProblem[] } {
  if (bytes.byteLength > packLimits.fileBytes) {
    return {
      problems: [{ message: `the file has ${bytes.byteLength} bytes; a pack may have at most 1 MB (${packLimits.fileBytes} bytes)` }],
    };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { problems: [{ message: "the file is not UTF-8 text" }] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    const message = (e: Error) => (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    return { problems: doc.errors.map((e) => ({ line: e.linePos?.[0]?.line, message: message(e) })) };
  }
  const header = packHeaderSchema.safeParse(doc.toJS());
  if (!header.success) {
    return { problems: header.error.issues.map((issue) => ({ message: `${issue.path.join(".") || "the file"}: ${issue.message}` })) };
  }
  const { questions: raw, pack, ...rest } = header.data;
  const problems: PackProblem[] = [];
  if (raw.length === 0) problems.push({ message: "questions: the pack has no questions" });
  if (raw.length > packLimits.questions) {
    problems.push({ message: `questions: the pack has ${raw.length} questions; at most ${packLimits.questions}` });
  }
  const itemNodes = doc.get("questions", true);
  const lineOf = (index: number) => {
    const item = isSeq(itemNodes) ? itemNodes.items[index] : undefined;
    const start = isNode(item) ? item.range?.[0] : undefined;
    return start === undefined ? undefined : lines.linePos(start).line;
  };
  const questions: PackQuestion[] = [];
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const line = lineOf(index);
    const named = (item as { id?: unknown } | null)?.id;
    const question = typeof named === "string" ? named : `question ${index + 1}`;
    const fail = (message: string) => problems.push({ question, line, message });
    const parsed = packQuestionSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) fail(`${issue.path.join(".") || "question"}: ${issue.message}`);
      return;
    }
    const q = parsed.data;
    if (seen.has(q.id)) fail("id: used by an earlier question of the pack");
    seen.add(q.id);
    const wanted: PackLanguage[] = rest.language ? [rest.language] : ["en", "zh"];
    for (const language of ["en", "zh"] as const) {
      if (!wanted.includes(language) && q[language]) fail(`${language}: the pack is in ${rest.language} only (language: ${rest.language})`);
      if (wanted.includes(language) && !q[language]) {
        fail(`${language}: missing${rest.language ? "" : " (a pack in one language says so with language: en or language: zh)"}`);
      }
    }
    const blocks = wanted.flatMap((language) => (q[language] ? [[language, q[language]] as const] : []));
    const [first, second] = blocks;
    if (first && second && first[1].choices.length !== second[1].choices.length) {
      fail(`choices: en has ${q.en?.choices.length}, zh has ${q.zh?.choices.length}; both need the same choices in the same order`);
    }
    for (const [language, block] of blocks) {
      const answerIndex = answerLetters.indexOf(q.answer);
      if (answerIndex >= block.choices.length) fail(`answer: ${q.answer} is past the ${block.choices.length} choices of ${language}`);
      const over = (what: string, value: string, max: number) => {
        if (sentLength(value) > max) fail(`${language}.${what}: ${sentLength(value)} characters as sent to Slack; at most ${max}`);
      };
      over("prompt", block.prompt, packLimits.prompt);
      for (const [i, choice] of block.choices.entries()) over(`choices.${i}`, choice, packLimits.choice);
      over("explanation", block.explanation, packLimits.explanation);
      const total = sentLength(block.prompt) + block.choices.reduce((sum, c) => sum + sentLength(c), 0) + sentLength(block.explanation);
      if (total > packLimits.questionText) {
        fail(`${language}: prompt, choices and explanation have ${total} characters together; at most ${packLimits.questionText}`);
      }
    }
    questions.push(q);
  });
  if (problems.length > 0) return { problems };
  return { pack: { id: pack, ...rest, questions }, text, problems };
}

/** What a preview shows: the count, the topics with their counts, and three questions spread over the pack. */
export function packSummary(pack: PackFile): {
  questions: number;
  topics: Array<{ name: string; questions: number }>;
  samples: PackQuestion[];
} {
  const topics = new Map<string, number>();
  for (const q of pack.questions) topics.set(q.topic, (topics.get(q.topic) ?? 0) + 1);
  const n = pack.questions.length;
  const sampleIndexes = [...new Set([0, Math.floor(n / 2), n - 1])].filter((i) => i >= 0 && i < n);
  return {
    questions: n,
    topics: [...topics].map(([name, questions]) => ({ name, questions })),
    samples: sampleIndexes.map((i) => pack.questions[i] as PackQuestion),
  };
}

/** What an import shows first: the count, the topics, and three questions spread over the pack with their answers. */
export function packPreview(t: Strings, pack: PackFile): Block[] {
  const { questions, topics, samples } = packSummary(pack);
  const language = pack.language ?? "en";
  const blocks: Block[] = [
    { type: "header", text: t.packPreview(pack.id, pack.title, questions) },
    { type: "text", text: t.packTopics(topics.map((topic) => `${topic.name} (${topic.questions})`).join(", ")) },
  ];
  if (pack.language) blocks.push({ type: "context", text: t.packOneLanguage(pack.language) });
  const sampleText = samples.map((q) => {
    const block = q[language];
    const choices = (block?.choices ?? []).map((choice, i) => `${answerLetters[i]}. ${choice}${answerLetters[i] === q.answer ? " ✓" : ""}`);
    return [`${q.id} · ${q.topic}`, block?.prompt ?? "", ...choices].join("\n");
  });
  blocks.push({ type: "text", text: `${t.packSamples}:\n\n${sampleText.join("\n\n")}` });
  return blocks;
}
