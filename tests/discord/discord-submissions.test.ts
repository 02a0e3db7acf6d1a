import { afterEach, describe, expect, it } from "vitest";
import { type DiscordHarness, startDiscordHarness, visibleText } from "../helpers/discord-harness.ts";
import { sampleSubmission } from "../helpers/sample-submission.ts";

let h: DiscordHarness;
afterEach(async () => {
  await h?.stop();
});

const reviewChannel = "200000000000000002";
const manageServer = "32";
const author = { user: "310000000000000011", name: "Ana" };
const admin = { user: "310000000000000022", name: "Lead", permissions: manageServer };
const owner = { user: "300000000000000001", name: "Owner", permissions: manageServer };

const question = sampleSubmission;

/** The modal a command or click answered with: its custom id and its text inputs. */
function modalOf(token: string) {
  const callback = h.discord.repliesTo(token).find((r) => r.kind === "callback:9");
  const data = callback?.body?.data as
    | { custom_id: string; components: Array<{ components: Array<{ custom_id: string; label: string; value?: string }> }> }
    | undefined;
  if (!data) throw new Error("no modal");
  return { customId: data.custom_id, inputs: data.components.flatMap((row) => row.components) };
}

async function openSubmissions() {
  const token = h.command(
    "study-admin",
    "config",
    [
      { name: "key", type: 3, value: "review-channel" },
      { name: "value", type: 3, value: `<#${reviewChannel}>` },
    ],
    admin,
  );
  await h.answer(token);
}

/** `who` runs /study submit and sends the modal with these texts. */
async function submit(who: typeof author, texts: Record<string, string> = question) {
  const token = h.command("study", "submit", [], who);
  await h.answer(token);
  return h.answer(h.submitForm(modalOf(token).customId, texts, who));
}

const reviewMessage = () => h.discord.messages.filter((m) => m.channel_id === reviewChannel).at(-1);
const reviewButton = (label: string) => {
  const button = reviewMessage()
    ?.components.flatMap((row) => row.components)
    .find((b) => b.label === label);
  if (!button) throw new Error(`no ${label} button`);
  return button.custom_id;
};

describe("Discord: member submissions with a review queue", () => {
  it("a member submits through a modal, an admin approves, the author gets a direct message, and a quiz asks it", async () => {
    h = await startDiscordHarness();
    expect(visibleText(await h.answer(h.command("study", "submit", [], author)))).toContain("Submissions are closed here");
    await openSubmissions();

    const token = h.command("study", "submit", [], author);
    await h.answer(token);
    const modal = modalOf(token);
    expect(modal.inputs.map((i) => i.custom_id)).toEqual(["prompt", "choices", "answer", "explanation", "topic"]);
    expect(visibleText(await h.answer(h.submitForm(modal.customId, question, author)))).toContain("your question is in the review channel");
    const review = reviewMessage();
    expect(visibleText({ embeds: review?.embeds })).toContain("Question submitted by Ana");
    expect(review?.components.flatMap((row) => row.components.map((b) => b.label))).toEqual(["Approve", "Edit", "Reject"]);

    expect(
      visibleText(await h.answer(h.click(reviewButton("Approve"), review?.id ?? "", { ...author, channel: reviewChannel }))),
    ).toContain("Only a server admin");
    const approved = await h.answer(h.click(reviewButton("Approve"), review?.id ?? "", { ...admin, channel: reviewChannel }));
    expect(visibleText(approved)).toContain("Approved: Ana's question is in the team-submissions pack");
    expect(visibleText(review?.edits.at(-1))).toContain("Approved by Lead");
    expect((review?.edits.at(-1)?.components as unknown[] | undefined) ?? []).toEqual([]);

    // The author is told in a direct message: a DM channel opened for them, then a message in it.
    await h.discord.until(() => h.discord.dmChannels.size === 1);
    const [dm, recipient] = [...h.discord.dmChannels][0] ?? [];
    expect(recipient).toBe(author.user);
    await h.discord.until(() => h.discord.messages.some((m) => m.channel_id === dm));
    expect(visibleText({ embeds: h.discord.messages.find((m) => m.channel_id === dm)?.embeds })).toContain("was approved");

    await h.answer(h.command("study", "quiz", [{ name: "topic", type: 3, value: "payments" }]));
    expect(visibleText({ embeds: h.discord.messages.at(-1)?.embeds })).toContain("Which port does our payments API listen on in staging?");
  });

  it("edit opens the modal filled in; reject takes a reason; a member who blocks DMs still gets rejected, and the admin is answered", async () => {
    h = await startDiscordHarness();
    await openSubmissions();
    await submit(author);
    const review = reviewMessage();

    const edit = h.click(reviewButton("Edit"), review?.id ?? "", { ...admin, channel: reviewChannel });
    await h.answer(edit);
    const editModal = modalOf(edit);
    expect(editModal.inputs.map((i) => i.value)).toEqual(Object.values(question));
    const saved = h.submitForm(
      editModal.customId,
      { ...question, prompt: "Which TLS port does staging use?" },
      { ...admin, channel: reviewChannel },
    );
    expect(visibleText(await h.answer(saved))).toContain("Saved");
    expect(visibleText(review?.edits.at(-1))).toContain("Which TLS port does staging use?");

    const reject = h.click(reviewButton("Reject"), review?.id ?? "", { ...admin, channel: reviewChannel });
    await h.answer(reject);
    const reasonModal = modalOf(reject);
    expect(reasonModal.inputs.map((i) => [i.custom_id, i.label])).toEqual([["reason", "Reason (the author sees it)"]]);
    // Discord refuses the direct message (the member allows none from server members): the rejection stands.
    h.discord.failNext("POST /channels/:id/messages", { status: 403, code: 50007, message: "Cannot send messages to this user" });
    const rejected = h.submitForm(
      reasonModal.customId,
      { reason: "We moved staging to 443 last week." },
      { ...admin, channel: reviewChannel },
    );
    expect(visibleText(await h.answer(rejected))).toContain("Rejected: Ana is told why");
    expect(visibleText(review?.edits.at(-1))).toContain("Rejected by Lead: We moved staging to 443 last week.");
    expect(await h.db.selectFrom("submissions").select("status").execute()).toEqual([{ status: "rejected" }]);
  });

  it("an admin approves their own submission only as the owner of a server where no role grants Manage Server", async () => {
    h = await startDiscordHarness();
    await openSubmissions();
    await submit(admin);
    const review = reviewMessage();
    expect(visibleText(await h.answer(h.click(reviewButton("Approve"), review?.id ?? "", { ...admin, channel: reviewChannel })))).toContain(
      "You submitted this question: another admin approves it",
    );
    await submit(owner);
    const own = reviewMessage();
    expect(visibleText(await h.answer(h.click(reviewButton("Approve"), own?.id ?? "", { ...owner, channel: reviewChannel })))).toContain(
      "Approved: Owner's question",
    );
  });
});
