import { afterEach, describe, expect, it } from "vitest";
import { sampleSubmission } from "../helpers/sample-submission.ts";
import { type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

// The explanation's < and > must reach Slack escaped.
const question = { ...sampleSubmission, explanation: "Staging terminates TLS on the service itself, on 8443 <not 443>." };

/** Submits the latest modal as `user` with these texts, by block id. */
function submitView(texts: Record<string, string>, user: string) {
  const values = Object.fromEntries(Object.entries(texts).map(([id, value]) => [id, { text: { type: "plain_text_input", value } }]));
  return h.submitView(values, user);
}

/** A member's /study command, waiting for a modal or a private reply. */
async function commandOpening(text: string, user: string) {
  const views = h.slack.views.length;
  const sent = await h.command(text, { user });
  await h.slack.until(() => h.slack.views.length > views || h.replies(sent.responseId).length > 0);
  return h.replies(sent.responseId);
}

/** A click on a button of the review message, waiting for a modal or a private reply. */
async function clickReview(action: string, user: string) {
  const review = h.slack.messages.filter((m) => m.channel === "CREVIEW").at(-1);
  const actions = review?.blocks.find((b) => b.type === "actions") as { elements: Array<{ action_id: string; value: string }> } | undefined;
  const element = actions?.elements.find((e) => e.action_id.startsWith(`${action}:`));
  if (!element) throw new Error(`no ${action} button on the review message`);
  const views = h.slack.views.length;
  const clicked = await h.click(element.action_id, element.value, { user, channel: "CREVIEW" });
  await h.slack.until(() => h.slack.views.length > views || h.replies(clicked.responseId).length > 0);
  return h.replies(clicked.responseId);
}

async function openSubmissions() {
  h.slack.channelName("CREVIEW", "reviews");
  const set = await h.command("config review-channel #reviews", { user: "U1" });
  await h.slack.until(() => h.slack.messages.some((m) => m.text.includes("review-channel")));
  expect(set.status).toBe(200);
}

describe("Slack: member submissions with a review queue", () => {
  it("a member submits through a modal, an admin approves in the review channel, the author is told, and a quiz asks it", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    await openSubmissions();

    expect(await commandOpening("submit", "U2")).toEqual([]);
    const view = h.slack.views.at(-1)?.view as { title: { text: string }; blocks: Array<Record<string, unknown>> };
    expect(view.title.text).toBe("Submit a question");
    expect(view.blocks.map((b) => b.block_id)).toEqual(["prompt", "choices", "answer", "explanation", "topic"]);
    expect(view.blocks[1]).toMatchObject({ type: "input", optional: false, element: { type: "plain_text_input", multiline: true } });

    const [sent] = await submitView(question, "U2");
    expect(sent).toMatchObject({ channel: "C1", user: "U2" });
    expect(sent?.text).toContain("your question is in the review channel");
    const review = h.slack.messages.find((m) => m.channel === "CREVIEW");
    // The explanation's < and > reach Slack escaped, as every text the bot sends.
    expect(JSON.stringify(review?.blocks)).toContain("8443 &lt;not 443&gt;");

    expect((await clickReview("submission-approve", "U2"))[0]).toContain("Only a workspace admin can do that.");
    expect((await clickReview("submission-approve", "U1"))[0]).toContain("Approved: U2's question is in the team-submissions pack");
    expect(review?.edits.at(-1)?.text).toContain("Approved by U1");
    expect(review?.edits.at(-1)?.blocks.some((b) => b.type === "actions")).toBe(false);
    await h.slack.until(() => h.slack.ephemerals.some((e) => e.text.includes("was approved")));
    expect(h.slack.ephemerals.find((e) => e.text.includes("was approved"))).toMatchObject({ channel: "C1", user: "U2" });

    const quiz = await h.command("quiz payments", { user: "U3" });
    await h.slack.until(() => h.slack.messages.some((m) => m.channel === "C1" && m.text.includes("payments API")));
    expect(quiz.status).toBe(200);
  });

  it("an admin's edit opens the modal filled in, and reject asks for a reason the author is told privately", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    await openSubmissions();
    await commandOpening("submit", "U2");
    await submitView(question, "U2");

    await clickReview("submission-edit", "U1");
    const edit = h.slack.views.at(-1)?.view as { blocks: Array<{ element: { initial_value?: string } }>; private_metadata: string };
    expect(edit.blocks.map((b) => b.element.initial_value)).toEqual(Object.values(question));
    // What filled the form in stays out of private_metadata (at most 3000 characters on Slack).
    expect(edit.private_metadata).not.toContain("payments API");
    expect((await submitView({ ...question, prompt: "Which TLS port does staging use?" }, "U1"))[0]?.text).toContain("Saved");
    const review = h.slack.messages.find((m) => m.channel === "CREVIEW");
    expect(review?.edits.at(-1)?.text).toContain("Which TLS port does staging use?");

    await clickReview("submission-reject-form", "U1");
    expect(h.slack.views.at(-1)?.view).toMatchObject({ title: { text: "Reject the submission" } });
    const told = h.slack.ephemerals.length;
    const rejected = await submitView({ reason: "We moved staging to 443 last week." }, "U1");
    await h.slack.until(() => h.slack.ephemerals.slice(told).some((e) => e.user === "U1"));
    expect(h.slack.ephemerals.slice(told).find((e) => e.user === "U1")?.text).toContain("Rejected: U2 is told why");
    expect(rejected.length).toBeGreaterThan(0);
    expect(h.slack.ephemerals.slice(told)).toContainEqual(
      expect.objectContaining({ channel: "C1", user: "U2", text: expect.stringContaining("We moved staging to 443 last week.") }),
    );
    expect(await h.db.selectFrom("packs").selectAll().execute()).toEqual([]);
  });

  it("an admin approves their own submission only when users.list shows no other admin", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set() } });
    h.slack.users.set("U1", { is_admin: true });
    h.slack.users.set("U9", { is_owner: true });
    await openSubmissions();
    await commandOpening("submit", "U1");
    await submitView(question, "U1");
    expect((await clickReview("submission-approve", "U1"))[0]).toContain("You submitted this question: another admin approves it");
    h.slack.users.set("U9", {});
    expect((await clickReview("submission-approve", "U1"))[0]).toContain("Approved");
    expect(h.slack.calls.filter((c) => c.method === "users.list")).toHaveLength(2);
  });
});
