import { describe, expect, it } from "vitest";
import { BoundedMap, BoundedSet, timedCache } from "../../src/core/cache.ts";
import { ManualClock } from "../helpers/manual-clock.ts";

describe("the kernel's caches", () => {
  it("expire timed entries when the injected clock passes their lifetime, and keep at most max", () => {
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    const cache = timedCache<string, number>(clock, { max: 2, ttlMs: 5_000 });
    cache.set("a", 1);
    clock.advance(4_999);
    expect(cache.get("a")).toBe(1);
    clock.advance(2);
    expect(cache.get("a")).toBeUndefined();
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect([cache.has("a"), cache.has("b"), cache.has("c")]).toEqual([false, true, true]);
  });

  it("forget the least recently used entry of a bounded map or set, not the oldest one used since", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1);
    map.set("b", 2);
    expect(map.get("a")).toBe(1); // "b" is now the least recently used
    map.set("c", 3);
    expect([map.has("a"), map.has("b"), map.has("c"), map.size]).toEqual([true, false, true, 2]);
    const set = new BoundedSet<string>(1);
    set.add("x");
    set.add("y");
    expect([set.has("x"), set.has("y")]).toEqual([false, true]);
  });
});
