import { describe, expect, it } from "vitest";
import { nextArticle } from "../../src/features/digests/rotation.ts";

const urls = Array.from({ length: 40 }, (_, i) => `https://highscalability.com/article-${i}/`);

/** A channel's articles in order over `count` digests, as the digest job records them. */
function rotation(channelId: string, count: number): Array<{ url: string; cycle: number }> {
  const picks: Array<{ url: string; cycle: number }> = [];
  let cycle = 0;
  let used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const next = nextArticle(urls, used, channelId, cycle);
    if (!next) throw new Error("no article");
    if (next.cycle !== cycle) used = new Set();
    cycle = next.cycle;
    used.add(next.url);
    picks.push(next);
  }
  return picks;
}

describe("article rotation", () => {
  it("gives every article once per cycle, then starts a new cycle", () => {
    const picks = rotation("slack:T1:C1", urls.length * 2);
    const first = picks.slice(0, urls.length);
    const second = picks.slice(urls.length);
    expect(new Set(first.map((p) => p.url)).size).toBe(urls.length);
    expect(new Set(second.map((p) => p.url)).size).toBe(urls.length);
    expect(first.every((p) => p.cycle === 0)).toBe(true);
    expect(second.every((p) => p.cycle === 1)).toBe(true);
  });

  it("orders each channel and each cycle differently, the same every time it is asked", () => {
    const a = rotation("slack:T1:C1", urls.length * 2).map((p) => p.url);
    const b = rotation("slack:T1:C2", urls.length * 2).map((p) => p.url);
    expect(rotation("slack:T1:C1", urls.length * 2).map((p) => p.url)).toEqual(a);
    expect(b.slice(0, urls.length)).not.toEqual(a.slice(0, urls.length));
    expect(a.slice(urls.length)).not.toEqual(a.slice(0, urls.length));
  });

  it("spreads first picks across the catalog", () => {
    const firsts = new Set(Array.from({ length: 400 }, (_, c) => nextArticle(urls, new Set(), `slack:T1:C${c}`, 0)?.url));
    // 400 channels over 40 articles: a fair hash leaves next to none unpicked.
    expect(firsts.size).toBeGreaterThanOrEqual(36);
  });

  it("lets an article added mid-cycle join the current cycle", () => {
    const used = new Set(urls.slice(0, 39));
    const added = [...urls, "https://highscalability.com/new/"];
    const picks = [
      nextArticle(added, used, "slack:T1:C1", 0),
      nextArticle(added, new Set([...used, urls[39] as string]), "slack:T1:C1", 0),
    ];
    expect(new Set(picks.map((p) => p?.url))).toEqual(new Set([urls[39], "https://highscalability.com/new/"]));
    expect(picks.every((p) => p?.cycle === 0)).toBe(true);
  });
});
