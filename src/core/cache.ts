import { LRUCache } from "lru-cache";
import type { Clock } from "./clock.ts";

/**
 * A bounded cache whose entries expire by the injected clock, so a test that moves the clock expires them.
 * The least recently used entry goes first when `max` is reached.
 */
export function timedCache<K extends {}, V extends {}>(clock: Clock, options: { max: number; ttlMs: number }): LRUCache<K, V> {
  // ttlResolution 0: every read asks the clock, which a test may have moved since the last one.
  return new LRUCache<K, V>({ max: options.max, ttl: options.ttlMs, ttlResolution: 0, perf: { now: () => clock.now().getTime() } });
}

/** A bounded map without expiry: the least recently used entry is forgotten first when `max` is reached. */
export function boundedMap<K extends {}, V extends {}>(max: number): LRUCache<K, V> {
  return new LRUCache<K, V>({ max });
}

/** A bounded set of keys known to be true (stored rows, committed days): the least recently used is forgotten first. */
export class BoundedSet<K extends {}> {
  private readonly entries: LRUCache<K, true>;

  constructor(max: number) {
    this.entries = new LRUCache<K, true>({ max });
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  add(key: K): void {
    this.entries.set(key, true);
  }
}
