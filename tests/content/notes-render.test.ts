import { describe, expect, it } from "vitest";
import { toDiscord } from "../../src/adapters/discord/embeds.ts";
import { toBlockKit } from "../../src/adapters/slack/block-kit.ts";
import { loadContent } from "../../src/content/load.ts";
import { defaultSeedsDir } from "../../src/content/seed.ts";
import { strings } from "../../src/core/i18n.ts";
import { renderDigest } from "../../src/features/digests/render.ts";
import { blockKitErrors } from "../helpers/block-kit-limits.ts";

const { content } = loadContent(defaultSeedsDir);

describe("every article's daily post, with its note", () => {
  it.each(["en", "zh"] as const)("fits Slack's Block Kit and Discord's embed limits (%s)", (language) => {
    expect(content.notes).toHaveLength(content.articles.length);
    const notes = new Map(content.notes.map((n) => [n.url, n]));
    for (const article of content.articles) {
      const message = renderDigest(strings(language), language, {
        digestId: "d",
        localDate: "2026-12-07",
        today: true,
        zhTitle: article.zh_title,
        enTitle: article.en_title,
        published: article.published,
        url: article.url,
        zhUrl: article.zh_translation_url,
        topicNames: article.topics,
        note: notes.get(article.url),
      });
      expect(blockKitErrors(toBlockKit(message)), article.url).toEqual([]);
      const [embed] = toDiscord(message).embeds;
      expect(embed?.description?.length ?? 0, article.url).toBeLessThanOrEqual(4096);
      expect(embed?.description, article.url).not.toMatch(/…$/);
    }
  });
});
