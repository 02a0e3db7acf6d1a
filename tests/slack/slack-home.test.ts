import { afterEach, describe, expect, it } from "vitest";
import { unescapeSlackText } from "../../src/adapters/slack/block-kit.ts";
import { DashboardLinks } from "../../src/features/dashboard/links.ts";
import { markSubscriptionsFailing } from "../../src/store/workspaces.repository.ts";
import { homeClickBody, homeOpenedBody } from "../helpers/fake-slack-home.ts";
import { answerButtons, postSigned, type SlackHarness, startSlackHarness, viewSubmissionBody } from "../helpers/slack-harness.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

type Json = Record<string, unknown>;

/** Every text a member reads in a view's blocks, entities decoded, one per line. */
function viewText(view: Json | undefined): string {
  const texts: string[] = [];
  JSON.stringify(view?.blocks ?? [], (_key, value) => {
    if (value && typeof value === "object" && typeof value.text === "string") texts.push(value.text);
    return value;
  });
  return unescapeSlackText(texts.join("\n"));
}

/** The fields of a view's section blocks, by label (rendered `*label*\nvalue`). */
function viewFields(view: Json | undefined): Map<string, string> {
  const fields = ((view?.blocks as Json[] | undefined) ?? []).flatMap((b) => (b.fields as Array<{ text: string }> | undefined) ?? []);
  return new Map(
    fields.map(
      (f) =>
        unescapeSlackText(f.text)
          .match(/^\*(.*)\*\n([\s\S]*)$/)
          ?.slice(1, 3) as [string, string],
    ),
  );
}

/** A member opens the app's Home tab; resolves with the home Slack then shows them. */
async function openHome(user: string): Promise<Json | undefined> {
  const before = h.slack.homes.published.filter((p) => p.user === user).length;
  const sent = await postSigned(h.events, homeOpenedBody(h.slack.app, user), { headers: { "content-type": "application/json" } });
  expect(sent.status).toBe(200);
  await h.slack.until(() => h.slack.homes.published.filter((p) => p.user === user).length > before);
  return h.slack.homes.latest(user);
}

/** A quiz on `topic` in `channel`, answered by each member right or wrong, then closed. */
async function quizAnswered(topic: string, answers: Array<{ user: string; right: boolean }>, channel = "C1"): Promise<void> {
  const sent = await h.command(`quiz ${topic}`, { channel, user: answers[0]?.user });
  await h.slack.until(() => h.replies(sent.responseId).length === 1);
  const round = h.slack.messages.filter((m) => m.channel === channel).at(-1);
  const buttons = answerButtons(round ?? { blocks: [] });
  const right = await latestRoundAnswer(h.db);
  for (const a of answers) {
    const [actionId, value] = buttons[a.right ? right : (right + 1) % buttons.length] as [string, string];
    const clicked = await h.click(actionId, value, { user: a.user, channel });
    await h.slack.until(() => h.replies(clicked.responseId).length === 1);
  }
  h.clock.advance(11 * 60_000);
  await h.bot.closeDueRounds();
}

/** A click on a button of the member's home, as Slack sends it (no channel, no response_url). */
async function clickHome(user: string, label: string): Promise<void> {
  expect((await postSigned(h.events, homeClickBody(h.slack.homes, user, label))).status).toBe(200);
}

/** The member's cards due, with their questions' answers. */
const dueCards = () =>
  h.db
    .selectFrom("cards")
    .innerJoin("questions", "questions.id", "cards.question_id")
    .select(["cards.question_id", "questions.answer"])
    .execute();

/** Answers a review card right in the member's direct messages, as a click on the card's button. */
async function reviewRight(card: { question_id: string; answer: number } | undefined): Promise<void> {
  const answered = await h.click("review:0", `${card?.question_id}:${card?.answer}:${h.clock.now().getTime()}`, {
    user: "U1",
    channel: "DU1",
  });
  await h.slack.until(() => h.replies(answered.responseId).length === 1);
}

/** The member's direct messages with the app. */
const dms = (user: string) => h.slack.messages.filter((m) => m.channel === `D${user}`);

describe("Slack App Home: app_home_opened -> views.publish", () => {
  it("shows streak, freezes and rank as /study streak and /study leaderboard say them, and nothing admin for a member", async () => {
    h = await startSlackHarness({ now: "2026-11-20T10:00:00Z", bot: { homeRefreshMs: 100 } });
    for (const user of ["U1", "U2"]) h.slack.users.set(user, {});
    await quizAnswered("net.tcp", [{ user: "U2", right: true }]);
    h.clock.set("2026-11-23T10:00:00Z");
    await quizAnswered("net.tcp", [
      { user: "U1", right: true },
      { user: "U2", right: true },
    ]);

    const home = await openHome("U2");
    const [call] = h.slack.callsTo("views.publish");
    expect(call?.token).toBe("xoxb-test");
    expect(call?.params.user_id).toBe("U2");
    expect((call?.params.view as Json | undefined)?.type).toBe("home");
    const fields = viewFields(home);
    const streak = await h.command("streak", { user: "U2" });
    await h.slack.until(() => h.replies(streak.responseId).length === 1);
    const said = new Map(
      h
        .replies(streak.responseId)[0]
        ?.split("\n")
        .map((line) => line.split(": ") as [string, string]),
    );
    for (const label of ["Personal streak", "Longest", "Freezes held", "Team streak"])
      expect(fields.get(label), label).toBe(said.get(label));
    expect(fields.get("Personal streak")).toBe("2 study days");
    await h.command("leaderboard week", { user: "U2" });
    await h.slack.until(() => h.slack.messages.some((m) => m.text.startsWith("Leaderboard")));
    const board = h.slack.messages.find((m) => m.text.startsWith("Leaderboard"))?.text ?? "";
    const rank = board
      .split("\n")
      .find((line) => /^\d+ \| U2 \|/.test(line))
      ?.split(" | ")[0];
    expect(fields.get("Rank this week")).toBe(`#${rank} of 2`);
    expect(rank).toBe("2");

    const text = viewText(home);
    expect(text).toContain("U2: your study home");
    expect(text).not.toContain("Daily article subscriptions");
    expect(text).not.toContain("/dashboard/");
    // The Messages tab is not the home: nothing is published for it.
    const calls = h.slack.callsTo("views.publish").length;
    await postSigned(h.events, homeOpenedBody(h.slack.app, "U1", "messages"), { headers: { "content-type": "application/json" } });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.slack.callsTo("views.publish")).toHaveLength(calls);
  });

  it("shows an admin the subscriptions, a failing one with its reason, and the dashboard link only when it is on", async () => {
    const links = new DashboardLinks("https://study.example.com", "s".repeat(32));
    h = await startSlackHarness({ bot: { dashboard: links, homeRefreshMs: 100 } });
    h.slack.users.set("UOWNER", { is_owner: true });
    h.slack.users.set("U1", {});
    const now = h.clock.now();
    await h.command("subscribe 08:30", { user: "UOWNER", channel: "C1" });
    await h.command("subscribe 09:00", { user: "UOWNER", channel: "C2" });
    await h.slack.until(() => h.slack.messages.filter((m) => m.text.includes("daily article at")).length === 2);
    await h.bot.settle();
    // As a digest pass marks a channel the bot was removed from.
    await markSubscriptionsFailing(h.db, { channelId: "slack:T1:C2" }, "not_in_channel", now);

    const admin = viewText(await openHome("UOWNER"));
    expect(admin).toContain("Daily article subscriptions\n#C1 at 08:30: active\n#C2 at 09:00: FAILING: not_in_channel");
    const adminLink = /<(https:\/\/study\.example\.com\/dashboard\/[^|>]+)\|Open the dashboard>/.exec(
      JSON.stringify(h.slack.homes.latest("UOWNER")),
    )?.[1];
    expect(links.verify(adminLink?.split("/").at(-1) ?? "", now)).toMatchObject({ memberId: "slack:T1:UOWNER", admin: true });

    const member = viewText(await openHome("U1"));
    expect(member).not.toContain("Daily article subscriptions");
    const memberLink = /<(https:\/\/study\.example\.com\/dashboard\/[^|>]+)\|/.exec(JSON.stringify(h.slack.homes.latest("U1")))?.[1];
    expect(links.verify(memberLink?.split("/").at(-1) ?? "", now)).toMatchObject({ memberId: "slack:T1:U1", admin: false });
  });
});

describe("Slack App Home: its buttons", () => {
  it("Start review sends the due card to the member's direct messages, where it is answered, and the home follows", async () => {
    h = await startSlackHarness({ bot: { homeRefreshMs: 100 } });
    h.slack.users.set("U1", {});
    await quizAnswered("net.tcp", [{ user: "U1", right: false }]);
    const home = viewText(await openHome("U1"));
    expect(home).toContain("1 review card due today.");

    await clickHome("U1", "Start review");
    await h.slack.until(() => dms("U1").length === 1);
    const [card] = dms("U1");
    expect(card?.text).toContain("Review: 1 card due today");
    const question = await h.db
      .selectFrom("cards")
      .innerJoin("questions", "questions.id", "cards.question_id")
      .select("questions.answer")
      .executeTakeFirstOrThrow();
    const [actionId, value] = answerButtons(card ?? { blocks: [] })[question.answer] as [string, string];
    const published = h.slack.homes.published.length;
    const answered = await h.click(actionId, value, { user: "U1", channel: "DU1" });
    await h.slack.until(() => h.replies(answered.responseId).length === 1);
    expect(h.replies(answered.responseId)[0]).toContain("Right");
    await h.slack.until(() => h.slack.homes.published.length > published);
    expect(viewText(h.slack.homes.latest("U1"))).toContain("Nothing to review today.");
  });

  it("Quiz me posts in the channel of the last answer; when that refuses, it asks where at once and remembers the pick", async () => {
    h = await startSlackHarness({ bot: { homeRefreshMs: 100 } });
    h.slack.users.set("U1", {});
    await quizAnswered("net.tcp", [{ user: "U1", right: false }], "C1");
    await quizAnswered("net.tcp", [{ user: "U1", right: true }], "C1");
    const home = viewText(await openHome("U1"));
    expect(home).toContain("Your weakest topics (your own answers; two at least)\nTCP (net.tcp): 1 of 2 right");

    await clickHome("U1", "Quiz me: TCP");
    await h.slack.until(() => dms("U1").length === 1);
    expect(dms("U1")[0]?.text).toContain("Quiz posted");
    expect(dms("U1")[0]?.text).toContain("In the channel where you last answered a quiz.");
    const posted = h.slack.messages.filter((m) => m.channel === "C1" && m.text.startsWith("Quiz")).at(-1);
    expect(await h.db.selectFrom("rounds").select("question_id").where("status", "=", "open").executeTakeFirst()).toBeDefined();
    expect(posted?.text).toContain("TCP");
    h.clock.advance(11 * 60_000);
    await h.bot.closeDueRounds();

    // The bot was removed from C1: the member is asked for another channel at once, with the reason, in a channel picker.
    h.slack.archived.add("C1");
    const views = h.slack.views.length;
    await clickHome("U1", "Quiz me: TCP");
    await h.slack.until(() => h.slack.views.length > views);
    expect(await h.db.selectFrom("rounds").select("id").where("status", "=", "open").execute()).toEqual([]);
    const modal = h.slack.views.at(-1)?.view as Json;
    const picker = (modal.blocks as Json[])[0] as { element: { type: string }; label: { text: string } };
    expect(picker.element.type).toBe("conversations_select");
    expect(picker.label.text).toBe("I cannot post in your last channel (is_archived). Channel for the quiz");

    // A picked value that is no channel id changes nothing.
    await submitHomeView(modal, { channel: { channel: { type: "conversations_select", selected_conversation: "C3 <!here>" } } }, "U1");
    await h.slack.until(() => dms("U1").length === 2);
    expect(dms("U1")[1]?.text).toBe("That is not a channel: pick one from the list.");
    expect(await h.db.selectFrom("members").select("last_channel_id").where("id", "=", "slack:T1:U1").executeTakeFirst()).toEqual({
      last_channel_id: null,
    });

    await submitHomeView(modal, { channel: { channel: { type: "conversations_select", selected_conversation: "C3" } } }, "U1");
    await h.slack.until(() => dms("U1").length === 3 && h.slack.messages.some((m) => m.channel === "C3"));
    expect(dms("U1")[2]?.text).toContain("In the channel you picked");
    h.clock.advance(11 * 60_000);
    await h.bot.closeDueRounds();
    await clickHome("U1", "Quiz me: TCP");
    await h.slack.until(() => h.slack.messages.filter((m) => m.channel === "C3" && m.text.startsWith("Quiz")).length === 2);
  });
});

/** Submits a modal opened from the home, as Slack posts a view_submission. */
async function submitHomeView(view: Json, values: Json, user: string): Promise<void> {
  expect((await postSigned(h.events, viewSubmissionBody(view, values, user))).status).toBe(200);
}

describe("Slack App Home: refreshes", () => {
  it("publishes an open home again after answers, once per interval with the latest state", async () => {
    h = await startSlackHarness({ bot: { homeRefreshMs: 400 } });
    h.slack.users.set("U1", {});
    await quizAnswered("net.tcp", [{ user: "U1", right: false }]);
    await quizAnswered("net.epoll", [{ user: "U1", right: false }]);
    expect(viewText(await openHome("U1"))).toContain("2 review cards due today.");
    for (const card of await dueCards()) await reviewRight(card);
    await h.slack.until(() => h.slack.homes.published.length === 2);
    // Two answers within the interval made one refresh, and it shows both.
    expect(viewText(h.slack.homes.latest("U1"))).toContain("Nothing to review today.");
    await new Promise((r) => setTimeout(r, 600));
    expect(h.slack.callsTo("views.publish")).toHaveLength(2);
  });

  it("never holds up an answer's reply for a slow views.publish, and a refresh after it lands after it", async () => {
    h = await startSlackHarness({ bot: { homeRefreshMs: 100 } });
    h.slack.users.set("U1", {});
    await quizAnswered("net.tcp", [{ user: "U1", right: false }]);
    await quizAnswered("net.epoll", [{ user: "U1", right: false }]);
    await openHome("U1");
    const held = h.slack.holdNext("views.publish");
    const [first, second] = await dueCards();
    await reviewRight(first);
    await h.slack.until(() => held.arrived());
    // The refresh showing one card left is still with Slack: the next answer is answered, and its refresh waits.
    await reviewRight(second);
    await new Promise((r) => setTimeout(r, 300));
    held.release();
    await h.slack.until(() => h.slack.homes.published.length === 3);
    expect(viewText(h.slack.homes.published[1]?.view)).toContain("1 review card due today.");
    expect(viewText(h.slack.homes.latest("U1"))).toContain("Nothing to review today.");
  });

  it("a 429 from views.publish is waited out (Retry-After) and the final state still lands; members who never opened it get none", async () => {
    h = await startSlackHarness({ bot: { homeRefreshMs: 100 } });
    h.slack.users.set("U1", {});
    h.slack.users.set("U2", {});
    await openHome("U1");
    h.slack.failNext("views.publish", { status: 429, retryAfter: 1 });
    await quizAnswered("net.tcp", [
      { user: "U1", right: false },
      { user: "U2", right: false },
    ]);
    await h.slack.until(() => h.slack.homes.published.length === 2, 8000);
    expect(viewText(h.slack.homes.latest("U1"))).toContain("1 review card due today.");
    expect(h.slack.callsTo("views.publish").map((c) => c.params.user_id)).toEqual(["U1", "U1", "U1"]);
  });
});
