import { BoundedMap } from "./cache.ts";
import type { Clock } from "./clock.ts";
import { privateReply, type Reply } from "./message.ts";
import type { Scope } from "./scope.ts";

/** Channel-and-board pairs remembered; the least recently posted is forgotten first. */
const remembered = 10_000;

/**
 * When each channel last got each public board, so a board asked for again soon is pointed to instead of posted again.
 * In memory, per process: a restart (or another replica) forgets it, which at worst lets a board be posted twice.
 */
export class PostCooldowns {
  private readonly lastPosted = new BoundedMap<string, number>(remembered);

  constructor(
    private readonly clock: Clock,
    private readonly cooldownMs: number,
  ) {}

  /**
   * Builds and returns the public board `board` unless this channel got it less than the cooldown ago; then the asker is
   * told privately how long ago, under the board's `title`. The post is claimed before building, so two requests
   * arriving together post once; a private answer, a failure to build, or a failed post (the adapter calls
   * onPostFailed) lets the claim go.
   */
  async post(scope: Scope, board: string, title: string, build: () => Promise<Reply>): Promise<Reply> {
    const key = `${scope.channelId}|${board}`;
    const now = this.clock.now().getTime();
    const last = this.lastPosted.get(key);
    // A clock set back posts again rather than reporting a negative age.
    if (last !== undefined && now >= last && now - last < this.cooldownMs) {
      return privateReply([{ type: "text", text: scope.t.postedRecently(title, Math.floor((now - last) / 1000)) }]);
    }
    this.lastPosted.set(key, now);
    const release = () => {
      if (this.lastPosted.get(key) === now) this.lastPosted.delete(key);
    };
    try {
      const reply = await build();
      if (reply.visibility !== "public") {
        release();
        return reply;
      }
      return { ...reply, onPostFailed: release };
    } catch (error) {
      release();
      throw error;
    }
  }
}
