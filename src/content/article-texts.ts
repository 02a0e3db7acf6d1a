import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ArticleSeed } from "./schema.ts";

/** An article's Chinese text, or undefined when there is no file for it. */
export type ArticleTextOf = (article: ArticleSeed) => string | undefined;

// The translated articles live outside the project, beside it: ../shared/data/highscalability-zh/N.md. Resolved from
// this file like seeds/ is (scripts/build.js puts the bundle as deep as src/content/), so it works from dist/ too.
export const defaultArticleTextsDir = fileURLToPath(new URL("../../../shared/data/highscalability-zh", import.meta.url));

/** Where `content check` reads the article texts: STUDY_ARTICLE_TEXTS_DIR, else ../shared beside the project. */
export function articleTextsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STUDY_ARTICLE_TEXTS_DIR || defaultArticleTextsDir;
}

/**
 * Reads the article texts in `dir`; undefined when the directory is not there (the rules that need the texts skip).
 * An article's file is N.md, N from its translation URL (…/docs/N.md), as in the catalog.
 */
export function articleTextReader(dir: string): ArticleTextOf | undefined {
  if (!existsSync(dir)) return undefined;
  const read = new Map<string, string | undefined>();
  return (article) => {
    const number = /\/(\d+)\.md$/.exec(article.zh_translation_url)?.[1];
    if (number === undefined) return undefined;
    if (!read.has(number)) {
      const path = join(dir, `${number}.md`);
      read.set(number, existsSync(path) ? readFileSync(path, "utf8") : undefined);
    }
    return read.get(number);
  };
}
