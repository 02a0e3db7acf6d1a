import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Form, Reply } from "../../src/core/message.ts";
import { maxPending, submissionPoints } from "../../src/features/submissions/submissions.ts";
import { projectRoot } from "../helpers/cli.ts";
import { dialects } from "../helpers/databases.ts";
import { buttonsOf, FakeChat, textOf } from "../helpers/fake-chat.ts";
import { sampleSubmission } from "../helpers/sample-submission.ts";
import { createTestBot, latestRoundAnswer } from "../helpers/test-bot.ts";

const T1 = { workspaceId: "T1", channelId: "C1" };
const reviews = { workspaceId: "T1", channelId: "REVIEWS" };
const T2 = { workspaceId: "T2", channelId: "C9" };

const question = sampleSubmission;

const formOf = (replies: Reply[]): Form => {
  const form = replies.find((r) => r.form)?.form;
  if (!form) throw new Error(`no form in: ${textOf(replies)}`);
  return form;
};

/** `user` runs /study submit in T1 and sends the form with these texts. */
async function submit(chat: FakeChat, user: string, texts: Record<string, string> = question): Promise<Reply[]> {
  return chat.submitForm(user, formOf(await chat.say(user, "submit", T1, false)), texts, T1);
}

const reviewPosts = (chat: FakeChat) => chat.posts.filter((p) => p.address.channelId === "REVIEWS");
const latestReview = (chat: FakeChat) => reviewPosts(chat).at(-1);
const button = (chat: FakeChat, action: string) => {
  const found = buttonsOf(latestReview(chat)?.message ?? { text: "", blocks: [] }).find((b) => b.action === action);
  if (!found) throw new Error(`no ${action} button`);
  return found;
};

async function openSubmissions(chat: FakeChat) {
  expect(textOf(await chat.say("lead", "config review-channel <#REVIEWS|reviews>", T1))).toContain("review-channel");
}

describe.each(dialects)("member submissions with a review queue (%s)", (dialect) => {
  it("a member submits, an admin approves: the question is in team-submissions, quizzable, credited, and the author is told", async () => {
    const { chat, db } = await createTestBot({ dialect });
    expect(textOf(await chat.say("ana", "submit", T1, false))).toContain("Submissions are closed here");
    expect(textOf(await chat.say("ana", "config review-channel <#REVIEWS|reviews>", T1, false))).toContain("Only a workspace admin");
    await openSubmissions(chat);

    const form = formOf(await chat.say("ana", "submit", T1, false));
    expect(form.fields.map((f) => f.id)).toEqual(["prompt", "choices", "answer", "explanation", "topic"]);
    expect(form.fields.every((f) => f.label.length <= 45)).toBe(true);
    const sent = await chat.submitForm("ana", form, question, T1);
    expect(textOf(sent)).toContain("your question is in the review channel");
    const review = latestReview(chat);
    expect(review?.message.text).toContain("Question submitted by ana");
    expect(review?.message.text).toContain("B. 8443 ✓");
    expect(buttonsOf(review?.message ?? { text: "", blocks: [] }).map((b) => b.action)).toEqual([
      "submission-approve",
      "submission-edit",
      "submission-reject-form",
    ]);

    // Only admins review.
    expect(textOf(await chat.pressButton("bo", button(chat, "submission-approve"), reviews))).toContain("Only a workspace admin");
    const approved = await chat.pressButton("lead", button(chat, "submission-approve"), reviews, true);
    expect(textOf(approved)).toContain("Approved: ana's question is in the team-submissions pack");
    expect(review?.edits.at(-1)?.text).toContain("Approved by lead");
    expect(buttonsOf(review?.edits.at(-1) ?? { text: "", blocks: [] })).toEqual([]);
    expect(chat.told).toEqual([
      expect.objectContaining({
        userId: "ana",
        address: expect.objectContaining({ channelId: "C1" }),
        text: expect.stringContaining(`+${submissionPoints} points`),
      }),
    ]);

    // Points for the author, the pack listed and exported, and a quiz that asks it with the credit line.
    expect(textOf(await chat.say("ana", "leaderboard", T1))).toMatch(new RegExp(`ana\\s*\\|\\s*${submissionPoints}`));
    expect(textOf(await chat.say("ana", "pack", T1))).toContain("team-submissions");
    const exported = (await chat.say("lead", "pack export team-submissions", T1))[0]?.message.files?.[0]?.content.toString();
    expect(exported).toContain("Which port does our payments API listen on in staging?");
    expect(exported).toContain("language: en");
    await chat.say("bo", "quiz payments", T1);
    const round = chat.rounds().at(-1);
    expect(round?.message.text).toContain("Which port does our payments API listen on in staging?");
    expect(await latestRoundAnswer(db)).toBe(1);
    await chat.press("bo", "2", { post: round, where: T1 });
    const feedback = textOf(await chat.press("cy", "2", { post: round, where: T1 }));
    expect(feedback).toContain("Submitted by ana");

    // A second approval (another admin, a stale message) finds it decided.
    const stale = buttonsOf(review?.message ?? { text: "", blocks: [] })[0];
    if (!stale) throw new Error("no approve button");
    expect(textOf(await chat.pressButton("max", stale, reviews, true))).toContain("already approved or rejected");
  });

  it("lists every problem at once, keeps what was typed, and sends it once fixed", async () => {
    const { chat } = await createTestBot({ dialect });
    await openSubmissions(chat);
    const broken = await submit(chat, "ana", {
      prompt: "Which queue does billing read?",
      choices: "a\nb\nc\nd\ne",
      answer: "F",
      explanation: "",
      topic: "billing.queues",
    });
    const text = textOf(broken);
    expect(text).toContain("Not sent yet: 4 things need fixing");
    expect(text).toContain("Explanation (why it is right): empty.");
    expect(text).toContain("Choices: 5 given; 2 to 4");
    expect(text).toContain('Right answer: "F" is not one of the choices');
    expect(text).toContain("Topic: one name, without dots.");
    expect(reviewPosts(chat)).toEqual([]);

    const fix = buttonsOf(broken[0]?.message ?? { text: "", blocks: [] }).find((b) => b.action === "submission-fix");
    if (!fix) throw new Error("no fix button");
    // Another member cannot open it.
    expect(textOf(await chat.pressButton("bo", fix, T1))).toContain("no longer waiting");
    const form = formOf(await chat.pressButton("ana", fix, T1));
    expect(Object.fromEntries(form.fields.map((f) => [f.id, f.initial]))).toEqual({
      prompt: "Which queue does billing read?",
      choices: "a\nb\nc\nd\ne",
      answer: "F",
      explanation: "",
      topic: "billing.queues",
    });
    const sent = await chat.submitForm("ana", form, { ...question, choices: "a | b | c" }, T1);
    expect(textOf(sent)).toContain("your question is in the review channel");
    expect(latestReview(chat)?.message.text).toContain("B. b ✓");
    // The draft became the submission: fixing it again is refused.
    expect(textOf(await chat.pressButton("ana", fix, T1))).toContain("no longer waiting");
  });

  it("an admin cannot approve their own submission unless the platform shows them as the only admin", async () => {
    const { chat } = await createTestBot({ dialect });
    await openSubmissions(chat);
    await submit(chat, "lead");
    expect(textOf(await chat.pressButton("lead", button(chat, "submission-approve"), reviews, true))).toContain(
      "You submitted this question: another admin approves it",
    );
    chat.soleAdmins.add("lead");
    expect(textOf(await chat.pressButton("lead", button(chat, "submission-approve"), reviews, true))).toContain("Approved");
  });

  it("reject asks for a reason and tells the author privately; edit opens the form filled in and updates the review", async () => {
    const { chat } = await createTestBot({ dialect });
    await openSubmissions(chat);
    await submit(chat, "ana");
    const review = latestReview(chat);

    const editForm = formOf(await chat.pressButton("lead", button(chat, "submission-edit"), reviews, true));
    expect(editForm.fields.find((f) => f.id === "prompt")?.initial).toBe(question.prompt);
    expect(textOf(await chat.submitForm("lead", editForm, { ...question, answer: "" }, reviews, true))).toContain("Not sent yet");
    expect(review?.edits).toEqual([]);
    expect(
      textOf(await chat.submitForm("lead", editForm, { ...question, prompt: "Which TLS port does staging use?" }, reviews, true)),
    ).toContain("Saved");
    expect(review?.edits.at(-1)?.text).toContain("Which TLS port does staging use?");

    const reasonForm = formOf(await chat.pressButton("lead", button(chat, "submission-reject-form"), reviews, true));
    expect(reasonForm.fields.map((f) => f.id)).toEqual(["reason"]);
    expect(textOf(await chat.submitForm("lead", reasonForm, { reason: "  " }, reviews, true))).toContain("needs a reason");
    expect(chat.told).toEqual([]);
    expect(textOf(await chat.submitForm("lead", reasonForm, { reason: "We moved staging to 443 last week." }, reviews, true))).toContain(
      "Rejected: ana is told why",
    );
    expect(chat.told).toEqual([
      expect.objectContaining({ userId: "ana", text: expect.stringContaining("We moved staging to 443 last week.") }),
    ]);
    expect(review?.edits.at(-1)?.text).toContain("Rejected by lead: We moved staging to 443 last week.");
    expect(
      textOf(await chat.pressButton("lead", { action: "submission-approve", value: reasonForm.value, label: "", key: "" }, reviews, true)),
    ).toContain("already approved or rejected");
    expect(textOf(await chat.say("ana", "pack", T1))).not.toContain("team-submissions");
  });

  it("approvals at once of several submissions all land in the pack; two of one submission, once", async () => {
    const { chat } = await createTestBot({ dialect });
    await openSubmissions(chat);
    const approvals = [];
    for (const [i, member] of ["ana", "bo", "cy", "di", "ed", "flo"].entries()) {
      await submit(chat, member, { ...question, prompt: `Question ${i}?` });
      approvals.push(button(chat, "submission-approve"));
    }
    const [first] = approvals;
    if (!first) throw new Error("no approval");
    const results = await Promise.all([...approvals, first].map((approve, i) => chat.pressButton(`admin${i}`, approve, reviews, true)));
    expect(results.map((r) => textOf(r).startsWith("Approved"))).toEqual([true, true, true, true, true, true, false]);
    expect(textOf(results[6] ?? [])).toContain("already approved or rejected");
    const exported = (await chat.say("lead", "pack export team-submissions", T1))[0]?.message.files?.[0]?.content.toString() ?? "";
    expect(exported.match(/prompt:/g)).toHaveLength(6);
    expect(textOf(await chat.say("lead", "pack", T1))).toContain("6 questions");
  });

  it("a submission the review channel refused waits, and is posted once when the channel is set again, however often", async () => {
    const { chat, bot } = await createTestBot({ dialect });
    await openSubmissions(chat);
    chat.failWith = new Error("not_in_channel");
    expect(textOf(await submit(chat, "ana"))).toContain("the review channel refused the post");
    chat.failWith = undefined;
    expect(reviewPosts(chat)).toEqual([]);
    // Three admins set it at once; their posts are held until all three passes have had time to reach the platform.
    let release = () => {};
    chat.holdPosts = new Promise((resolve) => {
      release = resolve;
    });
    await Promise.all([openSubmissions(chat), openSubmissions(chat), openSubmissions(chat)]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await bot.settle();
    expect(reviewPosts(chat)).toHaveLength(1);
    expect(textOf(await chat.pressButton("lead", button(chat, "submission-approve"), reviews, true))).toContain("Approved");
  });

  it(`allows ${maxPending} pending submissions per member`, async () => {
    const { chat } = await createTestBot({ dialect });
    await openSubmissions(chat);
    for (let i = 0; i < maxPending; i++) await submit(chat, "ana", { ...question, prompt: `Question ${i}?` });
    expect(reviewPosts(chat)).toHaveLength(maxPending);
    expect(textOf(await chat.say("ana", "submit", T1, false))).toContain(`You have ${maxPending} questions waiting for review`);
    expect(textOf(await submit(chat, "bo"))).toContain("your question is in the review channel");
  });

  it("another workspace can neither review nor quiz a workspace's submissions; a report on one goes to the review channel", async () => {
    const { chat, bot, clock } = await createTestBot({ dialect });
    await openSubmissions(chat);
    await submit(chat, "ana");
    const approve = button(chat, "submission-approve");
    expect(textOf(await chat.pressButton("mallory", approve, T2, true))).toContain("belongs to another channel or workspace");
    await chat.pressButton("lead", approve, reviews, true);
    expect(textOf(await chat.say("bo", "quiz payments", T2))).toContain('No topic matches "payments"');
    expect(textOf(await chat.say("bo", "pack export team-submissions", T2))).toContain('This workspace has no pack "team-submissions"');
    expect(textOf(await chat.say("bo", "pack", T2))).toContain("This workspace has no question packs");

    await chat.say("bo", "quiz payments", T1);
    const round = chat.rounds().at(-1);
    clock.advance(11 * 60_000);
    await bot.closeDueRounds();
    const report = buttonsOf(round?.edits.at(-1) ?? { text: "", blocks: [] }).find((b) => b.action === "report");
    if (!report) throw new Error("no report button");
    await chat.submitForm("bo", formOf(await chat.pressButton("bo", report, T1)), { note: "8443 is production, not staging" }, T1);
    const reported = latestReview(chat)?.message.text;
    expect(reported).toContain("A team question was reported");
    expect(reported).toContain("bo reported team-submissions/s-");
    expect(reported).toContain("8443 is production, not staging");
  });

  it("the same workspace id on another platform is another workspace: it sees no pack and no submission of it", async () => {
    const slack = new FakeChat("slack");
    const { bot } = await createTestBot({ dialect, chat: slack });
    const discord = new FakeChat("discord");
    bot.addAdapter(discord);
    await discord.start(bot);
    await slack.say("lead", `pack import ${join(projectRoot, "examples/team-pack.yaml")}`, T1);
    await openSubmissions(slack);
    await submit(slack, "ana");
    const approve = button(slack, "submission-approve");

    // discord:T1 is not slack:T1: the Slack review button does nothing there, and none of the questions reach it.
    expect(textOf(await discord.pressButton("lead", approve, reviews, true))).toContain("belongs to another channel or workspace");
    await slack.pressButton("lead", approve, reviews, true);
    expect(textOf(await slack.say("bo", "pack", T1))).toContain("team-submissions");
    expect(textOf(await discord.say("bo", "pack", T1))).toContain("This workspace has no question packs");
    for (const topic of ["payments", "on-call"]) expect(textOf(await discord.say("bo", `quiz ${topic}`, T1))).toContain("No topic matches");
    expect(textOf(await discord.say("bo", "pack export team-submissions", T1))).toContain('This workspace has no pack "team-submissions"');
    expect(textOf(await discord.say("bo", "submit", T1, false))).toContain("Submissions are closed here");
    expect(textOf(await slack.say("bo", "quiz payments", T1))).toContain("Quiz posted");
  });
});
