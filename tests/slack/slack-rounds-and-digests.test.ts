import { afterEach, describe, expect, it } from "vitest";
import { unescapeSlackText } from "../../src/adapters/slack/block-kit.ts";
import { fixtureNotes } from "../helpers/fixture-notes.ts";
import { decodePng } from "../helpers/png.ts";
import { answerButtons, postSigned, type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

async function openRound(harness: SlackHarness) {
  await harness.command("quiz net.tcp");
  await harness.slack.until(() => harness.slack.messages.length === 1);
  const round = harness.slack.messages[0];
  if (!round) throw new Error("no round");
  const answer = await latestRoundAnswer(harness.db);
  return { round, buttons: answerButtons(round), answer };
}

describe("Slack: rounds", () => {
  it("takes 50 members clicking at once: 50 answers, 50 ephemeral replies, count edits at most every 2 s", async () => {
    h = await startSlackHarness();
    const { round, buttons } = await openRound(h);
    const clicks = await Promise.all(
      Array.from({ length: 50 }, (_, i) => h.click(...(buttons[i % buttons.length] as [string, string]), { user: `U${100 + i}` })),
    );
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    await h.slack.until(() => clicks.every((c) => h.replies(c.responseId).length === 1));
    expect(clicks.every((c) => h.slack.responses.find((r) => r.id === c.responseId)?.body.response_type === "ephemeral")).toBe(true);
    expect(await h.db.selectFrom("answers").selectAll().execute()).toHaveLength(50);
    await h.slack.until(() => round.edits.some((e) => e.text.includes("50 answers so far")));
    // The first edit goes out at once, the next no sooner than 2 s later: never one chat.update per click.
    expect(round.edits.length).toBeLessThanOrEqual(2);
  });

  it("counts a double click once and tells the member", async () => {
    h = await startSlackHarness();
    const { buttons } = await openRound(h);
    const [first, second] = await Promise.all([h.click(...(buttons[0] as [string, string])), h.click(...(buttons[1] as [string, string]))]);
    await h.slack.until(() => h.replies(first.responseId).length + h.replies(second.responseId).length === 2);
    const texts = [...h.replies(first.responseId), ...h.replies(second.responseId)];
    expect(texts.filter((t) => t.includes("You already answered this one"))).toHaveLength(1);
    expect(await h.db.selectFrom("answers").selectAll().execute()).toHaveLength(1);
  });

  it("edits the round with the results at close (buttons gone) and answers a late click with 'closed'", async () => {
    h = await startSlackHarness();
    const { round, buttons, answer } = await openRound(h);
    const right = await h.click(...(buttons[answer] as [string, string]), { user: "UFAST" });
    await h.slack.until(() => h.replies(right.responseId).length === 1);
    expect(h.replies(right.responseId)[0]).toMatch(/^Correct! \+\d+ points\./);
    h.clock.advance(11 * 60_000);
    await h.bot.closeDueRounds();
    const results = round.edits.at(-1);
    expect(results?.text).toContain("Right (fastest first): UFAST");
    expect(JSON.stringify(results?.blocks)).not.toContain('"action_id":"answer:');
    expect(JSON.stringify(results?.blocks)).toContain('"action_id":"report:0"');
    const late = await h.click(...(buttons[0] as [string, string]), { user: "ULATE" });
    await h.slack.until(() => h.replies(late.responseId).length === 1);
    expect(h.replies(late.responseId)[0]).toMatch(/^This quiz is closed; the answer was [A-D]\./);
  });

  it("lands the results after an answer-count edit that was already under way when the round closed", async () => {
    h = await startSlackHarness();
    const { round, buttons, answer } = await openRound(h);
    const countEdit = h.slack.holdNext("chat.update");
    const click = await h.click(...(buttons[answer] as [string, string]), { user: "UFAST" });
    await h.slack.until(() => h.replies(click.responseId).length === 1 && countEdit.arrived());
    h.clock.advance(11 * 60_000);
    const closing = h.bot.closeDueRounds();
    // Slack answers the count edit only after the results edit has had time to go out.
    await h.slack.until(() => round.edits.length > 0, 500).catch(() => {});
    countEdit.release();
    await closing;
    await h.slack.until(() => round.edits.length === 2);
    expect(round.edits[0]?.text).not.toContain("Right (fastest first)");
    expect(round.edits.at(-1)?.text).toContain("Right (fastest first): UFAST");
    expect(JSON.stringify(round.edits.at(-1)?.blocks)).not.toContain('"action_id":"answer:');
  });

  it("counts a Slack Connect member's click in the token's workspace, and refuses a click sent for another channel", async () => {
    h = await startSlackHarness();
    const { buttons } = await openRound(h);
    const connect = await h.click(...(buttons[0] as [string, string]), { team: "T2", user: "UGUEST" });
    await h.slack.until(() => h.replies(connect.responseId).length === 1);
    expect(await h.db.selectFrom("answers").select("member_id").execute()).toEqual([{ member_id: "slack:T1:UGUEST" }]);
    const sent = await h.click(...(buttons[0] as [string, string]), { channel: "C2", user: "UEVIL" });
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
    expect(h.replies(sent.responseId)[0]).toContain("belongs to another channel or workspace");
    expect(await h.db.selectFrom("answers").selectAll().execute()).toHaveLength(1);
  });
});

describe("Slack: spaced-repetition review", () => {
  it("shows a missed question privately as a card with buttons, one at a time, and grades the answer", async () => {
    h = await startSlackHarness();
    const { buttons, answer } = await openRound(h);
    const wrong = await h.click(...(buttons[(answer + 1) % buttons.length] as [string, string]));
    await h.slack.until(() => h.replies(wrong.responseId).length === 1);
    h.clock.advance(11 * 60_000);
    const session = await h.command("review");
    await h.slack.until(() => h.replies(session.responseId).length === 1);
    const card = h.slack.responses.find((r) => r.id === session.responseId)?.body;
    expect(card?.response_type).toBe("ephemeral");
    expect(String(card?.text)).toContain("Review: 1 card due today");
    const elements = ((card?.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>) ?? []).find(
      (b) => b.type === "actions",
    )?.elements;
    expect(elements?.map((e) => e.action_id)).toEqual(["review:0", "review:1", "review:2", "review:3"]);
    const graded = await h.click(elements?.[answer]?.action_id ?? "", elements?.[answer]?.value ?? "");
    await h.slack.until(() => h.replies(graded.responseId).length === 1);
    expect(h.replies(graded.responseId)[0]).toMatch(/^Right\./);
    expect(h.slack.responses.find((r) => r.id === graded.responseId)?.body.response_type).toBe("ephemeral");
  });
});

describe("Slack: question reports", () => {
  it("opens a modal from 'Report a problem', stores what the member submits, and lists it for admins without a ping", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    const { round } = await openRound(h);
    h.clock.advance(11 * 60_000);
    await h.bot.closeDueRounds();
    const results = round.edits.at(-1);
    const report = (
      results?.blocks.find((b) => b.type === "actions") as { elements: Array<{ action_id: string; value: string }> } | undefined
    )?.elements[0];
    expect(report?.action_id).toBe("report:0");
    await h.click(report?.action_id ?? "", report?.value ?? "");
    await h.slack.until(() => h.slack.views.length === 1);
    const view = h.slack.views[0]?.view as { callback_id: string; private_metadata: string; blocks: Array<{ type: string }> };
    expect(h.slack.views[0]?.trigger_id).toBe("13345224609.738474920.8088930838d88f008e0");
    expect(view.blocks[0]?.type).toBe("input");

    const submission = {
      type: "view_submission",
      team: { id: "T1", domain: "acme" },
      user: { id: "U1", username: "ana", name: "ana", team_id: "T1" },
      api_app_id: "A1",
      token: "unused",
      trigger_id: "1.2.3",
      view: {
        ...view,
        id: "V1",
        type: "modal",
        state: { values: { note: { text: { type: "plain_text_input", value: "<!here> The explanation cites the wrong RFC & <b>" } } } },
      },
    };
    expect((await postSigned(h.events, new URLSearchParams({ payload: JSON.stringify(submission) }).toString())).status).toBe(200);
    await h.slack.until(() => h.slack.ephemerals.length === 1);
    expect(h.slack.ephemerals[0]).toMatchObject({ channel: "C1", user: "U1" });
    expect(h.slack.ephemerals[0]?.text).toContain("Thanks: the report is saved");
    expect(await h.db.selectFrom("reports").select("note").execute()).toEqual([
      { note: "<!here> The explanation cites the wrong RFC & <b>" },
    ]);
    // The same form sent back by another member, or from another workspace, is ignored.
    for (const other of [
      { ...submission.user, id: "U2" },
      { ...submission.user, team_id: "T2" },
    ]) {
      const forged = { ...submission, user: other, team: { id: other.team_id, domain: "x" } };
      expect((await postSigned(h.events, new URLSearchParams({ payload: JSON.stringify(forged) }).toString())).status).toBe(200);
    }
    await h.slack.until(() => false, 300).catch(() => {});
    expect(await h.db.selectFrom("reports").selectAll().execute()).toHaveLength(1);
    const listed = await h.command("config reports");
    await h.slack.until(() => h.replies(listed.responseId).length === 1);
    expect(h.replies(listed.responseId)[0]).toContain("<!here> The explanation cites the wrong RFC & <b>");
  });
});

describe("Slack: digests", () => {
  it("posts the digest with study_digest metadata, a Mark-as-read button, and the question of the day", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    await h.command("subscribe 09:00");
    await h.slack.until(() => h.slack.messages.length === 3);
    const digest = h.slack.messages.find((m) => m.metadata);
    expect(digest?.metadata?.event_type).toBe("study_digest");
    expect(String(digest?.metadata?.event_payload.key)).toMatch(/^digest:/);
    expect(JSON.stringify(digest?.blocks)).toContain('"action_id":"read:0"');
    // The note, as Block Kit sections under the titles (the fake checks Block Kit's limits).
    const stored = await h.db.selectFrom("digests").select("article_url").executeTakeFirstOrThrow();
    const note = fixtureNotes.get(stored.article_url);
    const sections = (digest?.blocks ?? [])
      .filter((b) => b.type === "section")
      .map((b) => unescapeSlackText(String((b.text as { text?: string } | undefined)?.text)));
    expect(sections.slice(1, 3)).toEqual([note?.en.summary, (note?.en.takeaways ?? []).map((t) => `• ${t}`).join("\n")]);
    const read = await h.click(
      "read:0",
      (digest?.blocks.find((b) => b.type === "actions") as { elements: Array<{ value: string }> } | undefined)?.elements[0]?.value ?? "",
    );
    await h.slack.until(() => h.replies(read.responseId).length === 1);
    expect(h.replies(read.responseId)[0]).toContain("+2 points");
  });

  /** The crash: the digest's claim was committed and Slack accepted the post at 09:00, but the confirmation never was. */
  async function crashedAfterPosting(): Promise<void> {
    h = await startSlackHarness({ now: "2026-11-23T08:00:00Z", adapter: { admins: new Set(["U1"]) } });
    await h.command("subscribe 09:00");
    await h.slack.until(() => h.slack.messages.length === 1);
    await h.bot.settle();
    h.clock.set("2026-11-23T09:00:00Z");
    await h.command("digest");
    await h.slack.until(() => h.slack.responses.length === 1);
    const digest = await h.db.selectFrom("digests").selectAll().executeTakeFirstOrThrow();
    await h.db.updateTable("digests").set({ status: "claimed", claimed_at: h.clock.now().toISOString() }).execute();
    await h.adapter.post(channel, { text: "digest", blocks: [] }, { key: `digest:${digest.id}` });
  }
  const channel = { platform: "slack", workspaceId: "T1", channelId: "C1" } as const;
  const chatter = async (count: number) => {
    for (let i = 0; i < count; i++) await h.adapter.post(channel, { text: `chatter ${i}`, blocks: [] });
  };
  async function expectConfirmedOnce(): Promise<void> {
    expect(h.slack.messages.filter((m) => m.metadata)).toHaveLength(1);
    const confirmed = await h.db.selectFrom("digests").selectAll().executeTakeFirstOrThrow();
    expect(confirmed.status).toBe("posted");
    expect(confirmed.message_ref).toBe(h.slack.messages.find((m) => m.metadata)?.ts);
  }

  it("finds a digest posted before a crash through conversations.history instead of posting again", async () => {
    await crashedAfterPosting();
    h.clock.advance(5 * 60_000);
    await h.bot.runDueDigests();
    expect(h.slack.callsTo("conversations.history")).toHaveLength(1);
    await expectConfirmedOnce();
  });

  it("reads only the minutes around the claim, so later chatter does not push the digest off the 15-message page", async () => {
    await crashedAfterPosting();
    h.clock.advance(10 * 60_000);
    await chatter(20);
    await h.bot.runDueDigests();
    const [call] = h.slack.callsTo("conversations.history");
    expect(Number(call?.params.limit)).toBeLessThanOrEqual(15);
    expect(Number(call?.params.latest)).toBeLessThan(h.clock.now().getTime() / 1000);
    await expectConfirmedOnce();
  });

  it("pages through a busy window, waiting out the one-a-minute limit between pages", async () => {
    await crashedAfterPosting();
    h.slack.historyIntervalMs = 1000;
    h.clock.advance(60_000);
    await chatter(20);
    h.clock.advance(4 * 60_000);
    await h.bot.runDueDigests();
    expect(h.slack.callsTo("conversations.history").map((c) => c.params.cursor !== undefined)).toEqual([false, true, true]);
    await expectConfirmedOnce();
  });

  it("takes a rate-limited history read as 'look again later', never as 'not posted'", async () => {
    await crashedAfterPosting();
    h.clock.advance(5 * 60_000);
    h.slack.failNext("conversations.history", { status: 429, retryAfter: 60 });
    await h.bot.runDueDigests();
    expect(h.slack.messages.filter((m) => m.metadata)).toHaveLength(1);
    expect((await h.db.selectFrom("digests").select("status").executeTakeFirstOrThrow()).status).toBe("claimed");
    h.clock.advance(60_000);
    await h.bot.runDueDigests();
    await expectConfirmedOnce();
  });

  it("retries a 429 after Retry-After and then posts", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    h.slack.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    await h.command("subscribe 09:00");
    await h.slack.until(() => h.slack.messages.some((m) => m.metadata), 8000);
    expect(h.slack.callsTo("chat.postMessage").length).toBeGreaterThanOrEqual(2);
  });

  it("marks the subscription failing on channel_not_found and shows the reason in config", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    await h.command("subscribe 07:00");
    await h.slack.until(() => h.slack.messages.length === 3);
    h.clock.advance(24 * 3600_000);
    h.slack.failNext("chat.postMessage", { error: "channel_not_found" });
    await h.bot.runDueDigests();
    const sent = await h.command("config");
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
    expect(JSON.stringify(h.slack.responses.at(-1)?.body)).toContain("FAILING: channel_not_found");
  });
});

describe("Slack: weekly recap picture", () => {
  it("uploads the recap's PNG to the channel with files.uploadV2", async () => {
    h = await startSlackHarness({ now: "2026-11-16T10:00:00Z", adapter: { admins: new Set(["U1"]) } });
    await h.command("subscribe 09:00");
    await h.slack.until(() => h.slack.messages.length === 3);
    await h.bot.settle();
    // Someone studies in the week of 16 November, so the next Monday has something to recap.
    await h.command("quiz net.tcp", { channel: "C2" });
    await h.slack.until(() => h.slack.messages.some((m) => m.channel === "C2"));
    const quiz = h.slack.messages.find((m) => m.channel === "C2");
    const clicked = await h.click(...(answerButtons(quiz ?? { blocks: [] })[0] as [string, string]), { channel: "C2" });
    await h.slack.until(() => h.replies(clicked.responseId).length === 1);

    h.clock.set("2026-11-23T09:00:00Z");
    await h.bot.runDueDigests();
    const recap = h.slack.messages.find((m) => m.text.startsWith("Weekly recap"));
    expect(recap?.metadata?.event_payload.key).toMatch(/^recap:/);
    expect(h.slack.uploads).toHaveLength(1);
    const [upload] = h.slack.uploads;
    expect(upload?.channel).toBe("C1");
    expect(upload?.filename).toBe("recap-2026-11-23.png");
    expect(decodePng(upload?.bytes ?? Buffer.alloc(0)).width).toBeGreaterThan(200);
  });
});

describe("Slack: Events API", () => {
  it("handles app_uninstalled once although Slack retries the delivery", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    await h.command("subscribe 07:00");
    await h.slack.until(() => h.slack.messages.length >= 1);
    const event = JSON.stringify({
      token: "unused",
      team_id: "T1",
      api_app_id: "A1",
      type: "event_callback",
      event_id: "Ev123",
      event_time: 1_700_000_000,
      event: { type: "app_uninstalled" },
      authorizations: [{ team_id: "T1", user_id: "UBOT", is_bot: true }],
    });
    const json = { "content-type": "application/json" };
    const first = await postSigned(h.events, event, { headers: json });
    const retry = await postSigned(h.events, event, {
      headers: { ...json, "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await h.slack.until(() => false, 200).catch(() => {});
    const sub = await h.db.selectFrom("subscriptions").selectAll().executeTakeFirstOrThrow();
    expect(sub.status).toBe("failing");
    expect(sub.failure_reason).toBe("app uninstalled from the workspace");
    expect(await h.db.selectFrom("processed_events").selectAll().execute()).toHaveLength(1);
  });

  const eventCallback = (id: string, event: Record<string, unknown>) =>
    JSON.stringify({
      token: "unused",
      team_id: "T1",
      api_app_id: "A1",
      type: "event_callback",
      event_id: id,
      event_time: 1_700_000_000,
      event,
      authorizations: [{ team_id: "T1", user_id: "UBOT", is_bot: true }],
    });
  const json = { "content-type": "application/json" };
  const subscription = () => h.db.selectFrom("subscriptions").selectAll().executeTakeFirstOrThrow();

  it("handles Slack's retry of an app_uninstalled whose work failed the first time", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    await h.command("subscribe 07:00");
    await h.slack.until(() => h.slack.messages.length >= 1);
    // The first delivery's work fails (the database, say); Slack then retries the event.
    const removed = h.bot.workspaceRemoved.bind(h.bot);
    h.bot.workspaceRemoved = async () => {
      h.bot.workspaceRemoved = removed;
      throw new Error("database unavailable");
    };
    await postSigned(h.events, eventCallback("Ev9", { type: "app_uninstalled" }), { headers: json });
    await h.slack.until(() => h.bot.workspaceRemoved === removed);
    expect((await subscription()).status).toBe("active");
    await postSigned(h.events, eventCallback("Ev9", { type: "app_uninstalled" }), {
      headers: { ...json, "x-slack-retry-num": "1", "x-slack-retry-reason": "http_error" },
    });
    await h.slack.until(() => false, 300).catch(() => {});
    expect((await subscription()).status).toBe("failing");
    expect(await h.db.selectFrom("processed_events").selectAll().execute()).toHaveLength(1);
  });

  it("treats a revoked bot token like an uninstall, and ignores revoked user tokens", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    await h.command("subscribe 07:00");
    await h.slack.until(() => h.slack.messages.length >= 1);
    await postSigned(h.events, eventCallback("Ev10", { type: "tokens_revoked", tokens: { oauth: ["U5"] } }), { headers: json });
    await h.slack.until(() => false, 300).catch(() => {});
    expect((await subscription()).status).toBe("active");
    await postSigned(h.events, eventCallback("Ev11", { type: "tokens_revoked", tokens: { bot: ["UBOT"] } }), { headers: json });
    await h.slack.until(() => false, 300).catch(() => {});
    expect(await subscription()).toMatchObject({ status: "failing", failure_reason: "bot token revoked in the workspace" });
  });
});
