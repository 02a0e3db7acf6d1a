import { LRUCache } from "lru-cache";
import type { Clock } from "./clock.ts";

/**
 * A bounded cache whose entries expire by the injected clock, so a test that moves the clock expires them.
 * The least recently used entry goes first when `max` is reached. lru-cache allocates its arrays for `max` entries up
 * front, so this is for caches of at most some tens of thousands of entries.
 */
export function timedCache<K extends {}, V extends {}>(clock: Clock, options: { max: number; ttlMs: number }): LRUCache<K, V> {
  // ttlResolution 0: every read asks the clock, which a test may have moved since the last one.
  return new LRUCache<K, V>({ max: options.max, ttl: options.ttlMs, ttlResolution: 0, perf: { now: () => clock.now().getTime() } });
}

/**
 * A map of at most `max` entries without expiry; the least recently used is forgotten first. It grows as it fills:
 * lru-cache's up-front arrays for the 100,000-entry memories below cost every process about 14 MB and 0.1 s at start
 * (npm run bench, fan-out: `digest run-due` with nothing to post).
 */
export class BoundedMap<K, V> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly entries = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Forgets every entry that matches: a walk over all of them, for rare events (a member forgotten). */
  deleteWhere(matches: (key: K, value: V) => boolean): void {
    for (const [key, value] of this.entries) if (matches(key, value)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A bounded set of keys known to be true (stored rows, committed days): the least recently used is forgotten first. */
export class BoundedSet<K> {
  private readonly entries: BoundedMap<K, true>;

  constructor(max: number) {
    this.entries = new BoundedMap<K, true>(max);
  }

  has(key: K): boolean {
    return this.entries.get(key) === true;
  }

  add(key: K): void {
    this.entries.set(key, true);
  }

  deleteWhere(matches: (key: K) => boolean): void {
    this.entries.deleteWhere((key) => matches(key));
  }
}
