import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { type Dialect, dialects, freshDatabaseUrl } from "../helpers/databases.ts";
import { channelId, guildId } from "../helpers/discord-harness.ts";
import { FakeDiscord } from "../helpers/fake-discord.ts";
import { FakeSlack } from "../helpers/fake-slack.ts";
import { digestsIn, runDue } from "../helpers/run-due.ts";
import { subscribeChannel, subscribeSlackChannels } from "../helpers/subscriptions.ts";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let slack: FakeSlack;
afterEach(async () => {
  await slack?.stop();
});

/** A fake Slack, and a new migrated database of the dialect (a file, for SQLite) that run-due processes share. */
async function startCrashRun(dialect: Dialect) {
  slack = new FakeSlack();
  await slack.start();
  const url = await freshDatabaseUrl(dialect, join(mkdtempSync(join(tmpdir(), "study-bot-crash-")), "bot.sqlite"));
  const db = openDatabase(url);
  await migrateToLatest(db);
  return { url, db };
}

describe.each(dialects)("crash safety through the real process (%s)", (dialect) => {
  it("a process killed after Slack accepted the digest but before the commit leaves exactly one post", async () => {
    const { url, db } = await startCrashRun(dialect);
    await subscribeSlackChannels(db, 1);

    const killed = await runDue(slack, url, {}, "after-digest-post");
    expect(killed.signal).toBe("SIGKILL");
    expect(digestsIn(slack)).toHaveLength(1);
    expect((await db.selectFrom("digests").select("status").executeTakeFirstOrThrow()).status).toBe("claimed");

    await pause(1100);
    const restarted = await runDue(slack, url);
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain("digests posted: 0");
    expect(slack.callsTo("conversations.history")).toHaveLength(1);
    expect(digestsIn(slack)).toHaveLength(1);
    const digest = await db.selectFrom("digests").selectAll().executeTakeFirstOrThrow();
    expect(digest.status).toBe("posted");
    expect(digest.message_ref).toBe(digestsIn(slack)[0]?.ts);

    // run-due twice more: nothing new.
    await runDue(slack, url);
    expect(digestsIn(slack)).toHaveLength(1);

    // The question of the day, overdue now; a process killed between the close and the results edit.
    await db
      .updateTable("rounds")
      .set({ closes_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    const round = await db.selectFrom("rounds").selectAll().executeTakeFirstOrThrow();
    const message = slack.messages.find((m) => m.ts === round.message_ref);
    expect((await runDue(slack, url, {}, "before-results-edit")).signal).toBe("SIGKILL");
    expect(message?.edits).toHaveLength(0);
    await pause(1100);
    expect((await runDue(slack, url)).code).toBe(0);
    expect(message?.edits).toHaveLength(1);
    expect(message?.edits[0]?.text).toContain("Results");
    await runDue(slack, url);
    expect(message?.edits).toHaveLength(1);
    await db.destroy();
  }, 60_000);

  it("a process killed after opening the daily thread but before recording it leaves one digest and one question in its thread (Slack)", async () => {
    const { url, db } = await startCrashRun(dialect);
    await subscribeSlackChannels(db, 1);

    expect((await runDue(slack, url, {}, "after-thread-open")).signal).toBe("SIGKILL");
    expect(digestsIn(slack)).toHaveLength(1);
    expect(await db.selectFrom("rounds").selectAll().execute()).toEqual([]);
    await pause(1100);
    expect((await runDue(slack, url)).code).toBe(0);
    await runDue(slack, url);
    const [digest] = digestsIn(slack);
    expect(digestsIn(slack)).toHaveLength(1);
    const inThread = slack.messages.filter((m) => m.thread_ts);
    expect(inThread).toHaveLength(1);
    expect(inThread[0]?.thread_ts).toBe(digest?.ts);
    expect(await db.selectFrom("rounds").select(["thread_id", "message_ref"]).execute()).toEqual([
      { thread_id: digest?.ts, message_ref: inThread[0]?.ts },
    ]);
    await db.destroy();
  }, 60_000);

  it("a process killed after starting the daily thread but before recording it leaves one thread and one question in it (Discord)", async () => {
    const { url, db } = await startCrashRun(dialect);
    const discord = new FakeDiscord();
    await discord.start();
    try {
      await subscribeChannel(db, "discord", guildId, channelId);
      const env = { DISCORD_TOKEN: "test-token", DISCORD_API_URL: discord.apiUrl };

      expect((await runDue(slack, url, env, "after-thread-open")).signal).toBe("SIGKILL");
      expect(discord.threads.size).toBe(1);
      await pause(1100);
      expect((await runDue(slack, url, env)).code).toBe(0);
      await runDue(slack, url, env);
      // The digest's second send carried the same nonce, so Discord returned the first; starting its thread again
      // found the thread (160004); the question went into it once.
      const [root] = [...discord.threads.keys()];
      expect(discord.threads.size).toBe(1);
      expect(discord.messages.filter((m) => m.channel_id === channelId)).toHaveLength(1);
      expect(discord.messages.filter((m) => m.channel_id === root)).toHaveLength(1);
      expect(discord.calls.filter((c) => c.path.endsWith("/threads"))).toHaveLength(2);
      await db.destroy();
    } finally {
      await discord.stop();
    }
  }, 60_000);
});
