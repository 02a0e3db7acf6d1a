import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { ArticleNote } from "../../src/core/catalog.ts";

/** The fixture articles' notes, as written in tests/fixtures/seeds/article-notes/. */
export const fixtureNotes = new Map<string, ArticleNote>(
  (
    parse(readFileSync(new URL("../fixtures/seeds/article-notes/fixture.yaml", import.meta.url), "utf8")) as Array<
      ArticleNote & { url: string }
    >
  ).map(({ url, ...note }) => [url, note]),
);
