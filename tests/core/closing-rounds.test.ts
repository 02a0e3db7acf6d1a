import { describe, expect, it } from "vitest";
import { PermanentDeliveryError } from "../../src/core/ports.ts";
import { maxResultsAttempts } from "../../src/features/rounds/rounds.ts";
import { dialects } from "../helpers/databases.ts";
import { createTestBot } from "../helpers/test-bot.ts";

describe.each(dialects)("closing due rounds, one channel at a time (%s)", (dialect) => {
  it("closes every other channel's round when one results edit fails, and retries that edit a bounded number of times", async () => {
    const { bot, chat, clock, db } = await createTestBot({ dialect });
    await chat.say("ana", "quiz", { channelId: "C1" });
    clock.advance(1000);
    await chat.say("ana", "quiz", { channelId: "C2" });
    const [archived, healthy] = chat.rounds();
    if (!archived || !healthy) throw new Error("two rounds expected");
    chat.failUpdatesOf.set(archived.ref, new Error("the platform answered 500"));
    clock.advance(11 * 60_000);

    await bot.closeDueRounds();
    expect(healthy.edits.at(-1)?.text).toContain("Results");
    expect(chat.failedUpdates).toEqual([archived.ref]);

    // Passes a day apart: each retry waits out its backoff; after the last try the round no longer waits for results.
    for (let pass = 0; pass < 3 * maxResultsAttempts; pass++) {
      clock.advance(24 * 60 * 60_000);
      await bot.closeDueRounds();
    }
    expect(chat.failedUpdates).toHaveLength(maxResultsAttempts);
    const row = await db
      .selectFrom("rounds")
      .select(["results_failure", "results_edited_at"])
      .where("message_ref", "=", archived.ref)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ results_failure: "the platform answered 500", results_edited_at: null });
  });

  it("gives a results edit up at once when the platform refuses it for good", async () => {
    const { bot, chat, clock } = await createTestBot({ dialect });
    await chat.say("ana", "quiz", { channelId: "C1" });
    const [round] = chat.rounds();
    if (!round) throw new Error("a round expected");
    chat.failUpdatesOf.set(round.ref, new PermanentDeliveryError("channel_not_found"));
    clock.advance(11 * 60_000);
    await bot.closeDueRounds();
    clock.advance(24 * 60 * 60_000);
    await bot.closeDueRounds();
    expect(chat.failedUpdates).toEqual([round.ref]);
  });
});
