import { afterEach, describe, expect, it } from "vitest";
import { answerButtons, postSigned, type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

describe("Slack: /study subcommands end to end", () => {
  it("answers /study help privately through response_url, after a quick ack", async () => {
    h = await startSlackHarness();
    const sent = await h.command("help");
    expect(sent.status).toBe(200);
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
    const reply = h.slack.responses.find((r) => r.id === sent.responseId)?.body;
    expect(reply?.response_type).toBe("ephemeral");
    expect(String(reply?.text)).toContain("/study quiz [topic]");
    expect((reply?.blocks as Array<{ type: string }> | undefined)?.[0]?.type).toBe("header");
  });

  it("posts a quiz with chat.postMessage as Block Kit: header, question, choices, context, one button per choice, then 50/50", async () => {
    h = await startSlackHarness();
    const sent = await h.command("quiz epoll");
    await h.slack.until(() => h.slack.messages.length === 1 && h.replies(sent.responseId).length === 1);
    const [round] = h.slack.messages;
    expect(round?.channel).toBe("C1");
    // The answer buttons, then the 50/50 in its own actions block.
    expect(round?.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context", "actions", "actions"]);
    const actions = round?.blocks[4] as { elements: Array<{ action_id: string; value: string; text: { text: string } }> } | undefined;
    const elements = actions?.elements ?? [];
    expect(elements.map((e) => e.text.text)).toEqual(["A", "B", "C", "D"]);
    expect(elements.map((e) => e.action_id)).toEqual(["answer:0", "answer:1", "answer:2", "answer:3"]);
    expect(h.replies(sent.responseId)[0]).toContain("Quiz posted");
  });

  it("shows the digest privately with both titles and links, and never posts it", async () => {
    h = await startSlackHarness();
    const sent = await h.command("digest");
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
    const body = h.slack.responses[0]?.body;
    expect(JSON.stringify(body?.blocks)).toMatch(/<http:\/\/highscalability\.com\/blog\/[^|]+\|Original>/);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("posts the leaderboard to the channel and answers streak, topics and config privately", async () => {
    h = await startSlackHarness();
    for (const text of ["streak", "topics", "config"]) {
      const sent = await h.command(text);
      await h.slack.until(() => h.replies(sent.responseId).length === 1);
    }
    expect(h.slack.responses.map((r) => r.body.response_type)).toEqual(["ephemeral", "ephemeral", "ephemeral"]);
    await h.command("leaderboard month");
    await h.slack.until(() => h.slack.messages.length === 1);
    expect(h.slack.messages[0]?.text).toContain("Leaderboard: this month");
  });

  it("refuses subscribe to a member who is not an admin, and lets an owner or a STUDY_ADMINS member", async () => {
    h = await startSlackHarness();
    h.slack.users.set("UOWNER", { is_owner: true });
    const refused = await h.command("subscribe 08:30", { user: "U1" });
    await h.slack.until(() => h.replies(refused.responseId).length === 1);
    expect(h.replies(refused.responseId)[0]).toContain("Only a workspace admin can do that.");
    const owner = await h.command("subscribe 08:30", { user: "UOWNER" });
    await h.slack.until(() => h.slack.messages.some((m) => m.text.includes("daily article at 08:30")));
    const listed = await h.command("unsubscribe", { user: "UADMIN-LISTED" });
    await h.slack.until(() => h.slack.messages.some((m) => m.text.includes("no longer get the daily article")));
    expect(owner.status).toBe(200);
    expect(listed.status).toBe(200);
    expect(h.slack.callsTo("users.info").map((c) => c.params.user)).toEqual(["U1", "UOWNER"]);
    await h.command("config timezone Asia/Shanghai", { user: "UOWNER" });
    await h.slack.until(() => h.slack.messages.some((m) => m.text.includes("timezone is now Asia/Shanghai")));
    expect(h.slack.callsTo("users.info")).toHaveLength(2);
  });

  it("answers a bad subcommand with the specific message and usage", async () => {
    h = await startSlackHarness();
    const sent = await h.command("subscribe 25:99");
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
    expect(h.replies(sent.responseId)[0]).toBe(
      '⚠️ "25:99" is not a time: use HH:MM, 24-hour (e.g. 09:00).\nUsage: /study subscribe [HH:MM]',
    );
  });

  it("tells the user to invite the bot when a public post gets not_in_channel", async () => {
    h = await startSlackHarness();
    h.slack.failNext("chat.postMessage", { error: "not_in_channel" });
    const sent = await h.command("quiz");
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
    // The round could not be posted: the member hears why instead of silence, and the channel is free for the next quiz.
    expect(h.replies(sent.responseId)[0]).toContain("Something went wrong");
    h.slack.failNext("chat.postMessage", { error: "not_in_channel" });
    const board = await h.command("leaderboard");
    await h.slack.until(() => h.replies(board.responseId).length === 1);
    expect(h.replies(board.responseId)[0]).toContain("/invite @study-bot");
    // The board never reached the channel: once the bot is invited, asking again posts it, with no cooldown to wait out.
    h.clock.advance(5000);
    await h.command("leaderboard");
    await h.slack.until(() => h.slack.messages.some((m) => m.text.startsWith("Leaderboard")));
  });

  it("with one bot token, serves every request as the token's workspace: another team id creates no workspace", async () => {
    h = await startSlackHarness();
    await h.command("quiz", { team: "T1", channel: "C1" });
    // A member of another organisation in a Slack Connect channel.
    await h.command("quiz", { team: "T2", channel: "C9" });
    await h.slack.until(() => h.slack.messages.length === 2);
    const rows = await h.db.selectFrom("rounds").select(["workspace_id", "channel_id"]).orderBy("channel_id").execute();
    expect(rows).toEqual([
      { workspace_id: "slack:T1", channel_id: "slack:T1:C1" },
      { workspace_id: "slack:T1", channel_id: "slack:T1:C9" },
    ]);
    expect(await h.db.selectFrom("workspaces").select("id").execute()).toEqual([{ id: "slack:T1" }]);
  });
});

describe("Slack: squads", () => {
  it("maps a user group to a squad and ranks squads by their members' points", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["ULEAD"]) } });
    h.slack.userGroup("S1", "backend", ["U1", "U2"]);
    await h.command("config squad backend @backend", { user: "ULEAD" });
    await h.slack.until(() => h.slack.messages.some((m) => m.text === "Squad backend is now the group S1."));
    await h.command("quiz net.tcp");
    await h.slack.until(() => h.slack.messages.some((m) => m.text.startsWith("Quiz")));
    const round = h.slack.messages.find((m) => m.text.startsWith("Quiz"));
    const elements = (
      round?.blocks.find((b) => b.type === "actions") as { elements: Array<{ action_id: string; value: string }> } | undefined
    )?.elements;
    const right = elements?.[await latestRoundAnswer(h.db)];
    const clicked = await h.click(right?.action_id ?? "", right?.value ?? "", { user: "U1" });
    await h.slack.until(() => h.replies(clicked.responseId).length === 1);
    await h.command("leaderboard squads");
    await h.slack.until(() => h.slack.messages.some((m) => m.text.startsWith("Squads: this week")));
    expect(h.slack.callsTo("usergroups.users.list")[0]?.params.usergroup).toBe("S1");
    // U1 answered right; U2 did not study, so the two-member squad has no streak yet (quorum 2).
    expect(h.slack.messages.find((m) => m.text.startsWith("Squads"))?.text).toMatch(/1 \| backend \| [1-9]\d* \| 1 \| 0$/);
  });
});

describe("Slack: throttling", () => {
  it("posts a leaderboard once per cooldown, and lists each squad's user group once in five minutes", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["ULEAD"]) } });
    await h.command("leaderboard");
    await h.slack.until(() => h.slack.messages.length === 1);
    h.clock.advance(12_000);
    const again = await h.command("leaderboard", { user: "U2" });
    await h.slack.until(() => h.replies(again.responseId).length === 1);
    expect(h.replies(again.responseId)).toEqual(['"Leaderboard: this week" was posted here 12 s ago: scroll up.']);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(1);

    h.slack.userGroup("S1", "backend", ["U1", "U2"]);
    h.slack.userGroup("S2", "frontend", ["U3"]);
    await h.command("config squad backend @backend", { user: "ULEAD" });
    await h.command("config squad frontend @frontend", { user: "ULEAD" });
    await h.slack.until(() => h.slack.messages.filter((m) => m.text.startsWith("Squad ")).length === 2);
    await h.command("leaderboard squads");
    await h.slack.until(() => h.slack.messages.filter((m) => m.text.startsWith("Squads")).length === 1);
    h.clock.advance(60_000);
    await h.command("leaderboard squads");
    await h.slack.until(() => h.slack.messages.filter((m) => m.text.startsWith("Squads")).length === 2);
    expect(h.slack.callsTo("usergroups.users.list").map((c) => c.params.usergroup)).toEqual(["S1", "S2"]);
  });
});

describe("Slack: mentions typed after /study", () => {
  it("shows another member's streak from a typed @name, which Slack sends as <@U…|name>", async () => {
    h = await startSlackHarness();
    h.slack.userName("U2", "bo");
    await h.command("quiz net.tcp");
    await h.slack.until(() => h.slack.messages.length === 1);
    const clicked = await h.click(...(answerButtons(h.slack.messages[0] ?? { blocks: [] })[0] as [string, string]), { user: "U2" });
    await h.slack.until(() => h.replies(clicked.responseId).length === 1);
    const sent = await h.command("streak @bo", { user: "U1" });
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
    expect(h.replies(sent.responseId)[0]).toMatch(/^Streak: U2\b/);
  });

  it("refuses a typed @name that is no user group, and maps nothing", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["ULEAD"]) } });
    const sent = await h.command("config squad backend @nobody", { user: "ULEAD" });
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
    expect(h.replies(sent.responseId)[0]).toContain('No user group or role "@nobody"');
    expect(await h.db.selectFrom("squads").selectAll().execute()).toEqual([]);
  });

  it("reads &, < and > as typed (Slack sends them as entities)", async () => {
    h = await startSlackHarness();
    const sent = await h.command("quiz a<b&c");
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
    expect(h.replies(sent.responseId)[0]).toContain('"a<b&c"');
  });
});

describe("Slack: hostile text never becomes a mention or broadcast", () => {
  // The harness fails any test in which the bot sent <!channel>, <!here>, <!everyone>, <!subteam^…>, <@…> or <#…>.
  it("escapes a display name, a squad name and a topic argument in blocks and in the plain text", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    h.slack.userGroup("S1", "backend", ["U1"]);
    await h.command("quiz net.tcp", { name: "<!channel> & co" });
    await h.slack.until(() => h.slack.messages.length === 1);
    const clicked = await h.click(...(answerButtons(h.slack.messages[0] ?? { blocks: [] })[0] as [string, string]), {
      name: "<!channel> & co",
    });
    await h.slack.until(() => h.replies(clicked.responseId).length === 1);
    await h.command("leaderboard");
    await h.command("config squad <!here> @backend");
    const topic = await h.command("quiz <!everyone>");
    await h.slack.until(() => h.slack.messages.length === 3 && h.replies(topic.responseId).length === 1);
    const board = h.slack.messages.find((m) => m.text.startsWith("Leaderboard"));
    expect(board?.text).toContain("&lt;!channel&gt; &amp; co");
    expect(h.slack.messages.find((m) => m.text.startsWith("Squad"))?.text).toBe("Squad &lt;!here&gt; is now the group S1.");
    expect(h.replies(topic.responseId)[0]).toContain('No topic matches "<!everyone>"');
    expect(h.slack.pings).toEqual([]);
  });
});

describe("Slack: request verification", () => {
  it("rejects a bad signature and a stale timestamp with 401, and handles nothing", async () => {
    h = await startSlackHarness();
    const body = new URLSearchParams({ command: "/study", text: "quiz", team_id: "T1", channel_id: "C1", user_id: "U1" }).toString();
    expect((await postSigned(h.events, body, { secret: "wrong-secret" })).status).toBe(401);
    expect((await postSigned(h.events, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    // A timestamp from the future is a replay kept for later: refused like an old one.
    expect((await postSigned(h.events, body, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.slack.calls.filter((c) => c.method !== "auth.test")).toHaveLength(0);
  });

  it("answers 400 at once to a signed body that is JSON but not an object (null), and keeps serving", async () => {
    h = await startSlackHarness();
    const json = await postSigned(h.events, "null", { headers: { "content-type": "application/json" } });
    const form = await postSigned(h.events, "payload=null");
    expect([json.status, form.status]).toEqual([400, 400]);
    expect(Math.max(json.ms, form.ms)).toBeLessThan(1000);
    const sent = await h.command("help");
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
  });

  it("answers 400 to a malformed body or payload JSON, and keeps serving", async () => {
    h = await startSlackHarness();
    expect((await postSigned(h.events, '{"type": "event_callback", ', { headers: { "content-type": "application/json" } })).status).toBe(
      400,
    );
    expect((await postSigned(h.events, "payload=%7Bnot-json")).status).toBe(400);
    const sent = await h.command("help");
    expect(sent.status).toBe(200);
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
  });
});
