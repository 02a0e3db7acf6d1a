import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { freshDatabaseUrl } from "../helpers/databases.ts";
import { FakeSlack } from "../helpers/fake-slack.ts";
import { digestsIn, runDue } from "../helpers/run-due.ts";
import { subscribeSlackChannels } from "../helpers/subscriptions.ts";

let slack: FakeSlack;
afterEach(async () => {
  await slack?.stop();
});

const perChannel = (messages: Array<{ channel: string }>) => {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.channel, (counts.get(m.channel) ?? 0) + 1);
  return counts;
};

/** A fake Slack and a fresh PostgreSQL database with 200 subscribed channels, all due. */
async function twoHundredChannels() {
  slack = new FakeSlack();
  await slack.start();
  const url = await freshDatabaseUrl("postgres");
  const db = openDatabase(url);
  await migrateToLatest(db);
  await subscribeSlackChannels(db, 200);
  return { url, db };
}

describe("replicas on one PostgreSQL", () => {
  it("two processes running the minute job at the same moment post 200 digests once each, then edit each round's results once", async () => {
    const { url, db } = await twoHundredChannels();

    const [a, b] = await Promise.all([runDue(slack, url), runDue(slack, url)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const digests = digestsIn(slack);
    expect(digests).toHaveLength(200);
    expect([...perChannel(digests).values()].every((n) => n === 1)).toBe(true);
    // Between them the two passes posted everything, each channel by exactly one of them.
    const total = [a, b].reduce((sum, r) => sum + Number(/digests posted: (\d+)/.exec(r.stdout)?.[1]), 0);
    expect(total).toBe(200);

    await db
      .updateTable("rounds")
      .set({ closes_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    await Promise.all([runDue(slack, url), runDue(slack, url)]);
    const rounds = await db.selectFrom("rounds").select("message_ref").execute();
    expect(rounds).toHaveLength(200);
    for (const round of rounds) expect(slack.messages.find((m) => m.ts === round.message_ref)?.edits).toHaveLength(1);
    await db.destroy();
  }, 120_000);

  it("when one replica is killed mid-fan-out, the other finishes the rest with no channel posted twice", async () => {
    const { url, db } = await twoHundredChannels();

    const killed = await runDue(slack, url, {}, "after-digest-post:50");
    expect(killed.signal).toBe("SIGKILL");
    const before = digestsIn(slack).length;
    expect(before).toBeGreaterThanOrEqual(50);
    expect(before).toBeLessThan(200);

    // Every claim left in flight needs a history read: this fake models an app listed in the Slack Marketplace, which
    // may read history about once a second (tier 3). Outside the Marketplace it is once a minute; the digest tests cover it.
    slack.historyIntervalMs = 0;
    await new Promise((r) => setTimeout(r, 1100));
    const survivor = await runDue(slack, url);
    expect(survivor.code).toBe(0);
    const digests = digestsIn(slack);
    expect(digests).toHaveLength(200);
    expect([...perChannel(digests).values()].every((n) => n === 1)).toBe(true);
    expect(await db.selectFrom("digests").where("status", "!=", "posted").selectAll().execute()).toHaveLength(0);
    await db.destroy();
  }, 120_000);
});
