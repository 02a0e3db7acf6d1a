import { z } from "zod";

export const idPattern = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/;
const text = z.string().trim().min(1, "must not be empty");

export const topicSchema = z
  .object({
    id: z.string().regex(idPattern, "must be lowercase segments of [a-z0-9-] joined by dots"),
    ref: z.string().optional(),
    zh: text,
    en: text,
  })
  .strict();

export const languageBlock = z
  .object({
    prompt: text,
    choices: z.array(text).min(2, "needs at least 2 choices").max(6, "allows at most 6 choices"),
    explanation: text,
  })
  .strict();

export const answerLetters = ["A", "B", "C", "D", "E", "F"] as const;

export const questionSchema = z
  .object({
    id: z.string().regex(idPattern, "must be [a-z0-9-] segments joined by dots"),
    topic: z.string().min(1),
    difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)], { message: "must be 1, 2 or 3" }),
    answer: z.enum(answerLetters, { message: "must be a letter A-F" }),
    source: z.union([
      z.object({ roadmap: z.string().min(1) }).strict(),
      z.object({ article: z.string().url() }).strict(),
      z.object({ book: z.string().min(1) }).strict(),
    ]),
    zh: languageBlock,
    en: languageBlock,
  })
  .strict();

export const readingSchema = z
  .object({
    id: z.string().regex(idPattern, "must be [a-z0-9-] segments"),
    title: text,
    en: text,
    author: z.string().optional(),
    topics: z.array(z.string()).default([]),
  })
  .strict();

export const articleSchema = z.object({
  url: z.string().url(),
  zh_title: text,
  en_title: text,
  published: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD"),
  zh_translation_url: z.string().url(),
  topics: z.array(z.string().min(1)).min(1, "needs at least one topic").max(4, "allows at most 4 topics"),
});

/** Length bounds of an article note, per language: the summary is 2-3 sentences, each takeaway one line. */
export const noteBounds = {
  en: { summary: [120, 480], takeaway: [10, 120] },
  zh: { summary: [50, 220], takeaway: [10, 60] },
} as const;

const noteBlock = (bounds: (typeof noteBounds)["en" | "zh"]) =>
  z
    .object({
      summary: text
        .min(bounds.summary[0], `must have at least ${bounds.summary[0]} characters`)
        .max(bounds.summary[1], `must have at most ${bounds.summary[1]} characters`),
      takeaways: z
        .array(
          text
            .min(bounds.takeaway[0], `must have at least ${bounds.takeaway[0]} characters`)
            .max(bounds.takeaway[1], `must have at most ${bounds.takeaway[1]} characters`),
        )
        .length(3, "must be exactly 3"),
    })
    .strict();

/** What the daily post says of its article: a summary and three takeaways in each language, and a reading time. */
export const articleNoteSchema = z
  .object({
    url: z.string().url(),
    minutes: z.number().int("must be whole minutes").min(1).max(60),
    en: noteBlock(noteBounds.en),
    zh: noteBlock(noteBounds.zh),
  })
  .strict();

/** Two questions whose English prompts read alike but test different things, and why: the near-duplicate rule lets them be. */
export const allowedNearDuplicateSchema = z
  .object({
    questions: z.tuple([z.string(), z.string()]),
    reason: text.min(20, "must say why the two questions are different (at least 20 characters)"),
  })
  .strict();

export type TopicSeed = z.infer<typeof topicSchema>;
export type ArticleNoteSeed = z.infer<typeof articleNoteSchema>;
export type QuestionSeed = z.infer<typeof questionSchema>;
export type ReadingSeed = z.infer<typeof readingSchema>;
export type ArticleSeed = z.infer<typeof articleSchema>;
export type AllowedNearDuplicateSeed = z.infer<typeof allowedNearDuplicateSchema>;

/** Where an item came from, for messages that name the file and the item. */
export type Located<T> = T & { file: string };
