import { PermissionFlagsBits } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { nonceFor } from "../../src/adapters/discord/discord-adapter.ts";
import { adminPermissions, type DiscordHarness, startDiscordHarness, visibleText } from "../helpers/discord-harness.ts";
import { fixtureNotes } from "../helpers/fixture-notes.ts";
import { decodePng } from "../helpers/png.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

let h: DiscordHarness;
afterEach(async () => {
  await h?.stop();
});

async function openRoundIn(harness: DiscordHarness, channel: string) {
  await harness.answer(harness.command("study", "quiz", [{ name: "topic", type: 3, value: "net.tcp" }], { channel }));
  const round = harness.discord.messages.filter((m) => m.channel_id === channel).at(-1);
  if (!round) throw new Error("no round");
  return { round, buttons: answerIds(round) };
}

async function openRound(harness: DiscordHarness) {
  await harness.answer(harness.command("study", "quiz", [{ name: "topic", type: 3, value: "net.tcp" }]));
  const round = harness.discord.messages[0];
  if (!round) throw new Error("no round");
  const answer = await latestRoundAnswer(harness.db);
  return { round, buttons: answerIds(round), answer };
}

/** The answer buttons of a round, without its 50/50. */
const answerIds = (round: { components: Array<{ components: Array<{ custom_id: string }> }> }) =>
  round.components.flatMap((row) => row.components.map((b) => b.custom_id)).filter((id) => id.startsWith("answer|"));

const user = (i: number) => String(310000000000000000n + BigInt(i));

describe("Discord: rounds", () => {
  it("takes 30 members clicking at once: 30 answers, 30 ephemeral replies, throttled count edits", async () => {
    h = await startDiscordHarness();
    const { round, buttons } = await openRound(h);
    const tokens = Array.from({ length: 30 }, (_, i) => h.click(buttons[i % buttons.length] as string, round.id, { user: user(i) }));
    const replies = await Promise.all(tokens.map((t) => h.answer(t)));
    expect(replies.every((r) => /^(Correct!|Not quite)/.test(visibleText(r)))).toBe(true);
    // Quick answers go out in one call: an ephemeral reply (type 4, flag 64), no deferral.
    expect(tokens.every((t) => h.discord.repliesTo(t)[0]?.kind === "callback:4")).toBe(true);
    expect(tokens.every((t) => (h.discord.repliesTo(t)[0]?.body?.data as { flags?: number })?.flags === 64)).toBe(true);
    expect(await h.db.selectFrom("answers").selectAll().execute()).toHaveLength(30);
    await h.discord.until(() => round.edits.some((e) => visibleText(e).includes("30 answers so far")));
    expect(round.edits.length).toBeLessThanOrEqual(2);
  });

  it("counts a double click once", async () => {
    h = await startDiscordHarness();
    const { round, buttons } = await openRound(h);
    const [a, b] = [h.click(buttons[0] as string, round.id), h.click(buttons[1] as string, round.id)];
    const texts = [visibleText(await h.answer(a)), visibleText(await h.answer(b))];
    expect(texts.filter((t) => t.includes("You already answered this one"))).toHaveLength(1);
    expect(await h.db.selectFrom("answers").selectAll().execute()).toHaveLength(1);
  });

  it("edits the round message with results at close and answers a late click with 'closed'", async () => {
    h = await startDiscordHarness();
    const { round, buttons, answer } = await openRound(h);
    await h.answer(h.click(buttons[answer] as string, round.id, { user: user(1) }));
    h.clock.advance(11 * 60_000);
    await h.bot.closeDueRounds();
    const results = round.edits.at(-1);
    expect(visibleText(results)).toContain("Right (fastest first): User 0001");
    const rows = (results?.components ?? []) as Array<{ components: Array<{ custom_id: string }> }>;
    expect(rows.flatMap((row) => row.components.map((b) => b.custom_id.split("|")[0]))).toEqual(["report"]);
    expect(visibleText(await h.answer(h.click(buttons[0] as string, round.id, { user: user(2) })))).toMatch(
      /This quiz is closed; the answer was/,
    );
  });

  it("refuses a click from another guild and grades nothing", async () => {
    h = await startDiscordHarness();
    const { round, buttons } = await openRound(h);
    const reply = await h.answer(h.click(buttons[0] as string, round.id, { guild: "100000000000000009" }));
    expect(visibleText(reply)).toContain("belongs to another channel or workspace");
    expect(await h.db.selectFrom("answers").selectAll().execute()).toHaveLength(0);
  });
});

describe("Discord: spaced-repetition review", () => {
  it("shows a missed question as an ephemeral card with buttons and grades the answer privately", async () => {
    h = await startDiscordHarness();
    const { round, buttons, answer } = await openRound(h);
    await h.answer(h.click(buttons[(answer + 1) % buttons.length] as string, round.id));
    h.clock.advance(11 * 60_000);
    const card = await h.answer(h.command("study", "review"));
    expect(visibleText(card)).toContain("Review: 1 card due today");
    const rows = card?.components as Array<{ components: Array<{ custom_id: string }> }> | undefined;
    const choices = rows?.[0]?.components ?? [];
    expect(choices.map((b) => b.custom_id.split("|")[0])).toEqual(["review", "review", "review", "review"]);
    const graded = await h.answer(h.click(choices[answer]?.custom_id ?? "", round.id));
    expect(visibleText(graded)).toMatch(/^Right\./);
  });
});

describe("Discord: question reports", () => {
  it("answers 'Report a problem' with a modal and stores what the member submits", async () => {
    h = await startDiscordHarness();
    const { round } = await openRound(h);
    h.clock.advance(11 * 60_000);
    await h.bot.closeDueRounds();
    const rows = (round.edits.at(-1)?.components ?? []) as Array<{ components: Array<{ custom_id: string }> }>;
    const report = rows[0]?.components[0]?.custom_id ?? "";
    const token = h.click(report, round.id);
    const modal = await h.answer(token);
    expect(h.discord.repliesTo(token)[0]?.kind).toBe("callback:9");
    expect(modal?.title).toBe("Report a problem");
    const reply = await h.answer(h.submitForm(String(modal?.custom_id), { note: "Two choices say the same thing" }));
    expect(visibleText(reply)).toContain("Thanks: the report is saved");
    expect(await h.db.selectFrom("reports").select("note").execute()).toEqual([{ note: "Two choices say the same thing" }]);
  });
});

describe("Discord: digests", () => {
  it("sends the digest with a nonce from (channel, date) and enforce_nonce, plus the question of the day", async () => {
    h = await startDiscordHarness();
    await h.answer(h.command("study-admin", "subscribe", [{ name: "time", type: 3, value: "09:00" }], { permissions: adminPermissions }));
    await h.bot.settle();
    const digestPost = h.discord.calls.find((c) => c.method === "POST" && c.body?.nonce);
    const digest = await h.db.selectFrom("digests").selectAll().executeTakeFirstOrThrow();
    expect(digestPost?.body?.nonce).toBe(nonceFor(`digest:${digest.id}`));
    expect(String(digestPost?.body?.nonce).length).toBeLessThanOrEqual(25);
    expect(digestPost?.body?.enforce_nonce).toBe(true);
    // The subscribe confirmation (no title), then the digest, then its question of the day.
    expect(h.discord.messages.map((m) => m.embeds[0]?.title)).toEqual([undefined, "Today's architecture article", "Question of the day"]);
    // What the article teaches, in the embed's description, under the titles and above the links.
    const note = fixtureNotes.get(digest.article_url);
    const description = visibleText({ embeds: [{ description: h.discord.messages[1]?.embeds[0]?.description }] });
    expect(description).toContain(note?.en.summary);
    for (const takeaway of note?.en.takeaways ?? []) expect(description).toContain(`• ${takeaway}`);
    expect(description.indexOf(note?.en.summary ?? "")).toBeLessThan(description.indexOf("[Original]"));
    expect(JSON.stringify(h.discord.messages[1]?.embeds[0]?.fields)).toContain(`"value":"${note?.minutes} min"`);
  });

  it("starts a thread on the digest for the question of the day; a click in it counts; results are edited there and replied to", async () => {
    h = await startDiscordHarness({ now: "2026-11-23T08:00:00Z" });
    await h.answer(h.command("study-admin", "subscribe", [{ name: "time", type: 3, value: "09:00" }], { permissions: adminPermissions }));
    h.clock.set("2026-11-23T09:00:00Z");
    await h.bot.runDueDigests();
    const digest = h.discord.messages.find((m) => m.embeds[0]?.title === "Today's architecture article");
    if (!digest) throw new Error("no digest");
    const thread = h.discord.threads.get(digest.id);
    expect(thread).toMatchObject({ parent: digest.channel_id, autoArchive: 1440 });
    expect(thread?.name).toMatch(/ · 2026-11-23$/);
    const question = h.discord.messages.find((m) => m.embeds[0]?.title === "Question of the day");
    expect(question?.channel_id).toBe(digest.id);

    // Members answer in the thread, which Discord reports as the interaction's channel.
    const answer = await latestRoundAnswer(h.db);
    const button = question?.components[0]?.components[answer]?.custom_id ?? "";
    expect(visibleText(await h.answer(h.click(button, question?.id ?? "", { channel: digest.id })))).toContain("Correct!");

    h.clock.set("2026-11-24T00:00:01Z");
    await h.bot.closeDueRounds();
    expect(visibleText(question?.edits.at(-1))).toContain("Results");
    const replies = h.discord.messages.filter((m) => m.channel_id === digest.id && m !== question);
    expect(replies.map((m) => visibleText({ embeds: m.embeds }))).toEqual([expect.stringContaining("1 answered, 1 right")]);

    // Without Create Public Threads the question goes to the channel, as with threads off.
    h.discord.granted &= ~PermissionFlagsBits.CreatePublicThreads;
    h.clock.set("2026-11-24T09:00:00Z");
    await h.bot.runDueDigests();
    expect(h.discord.messages.at(-1)).toMatchObject({ channel_id: digest.channel_id });
    expect(h.discord.messages.at(-1)?.embeds[0]?.title).toBe("Question of the day");
  });

  it("marks the subscription failing on Missing Permissions (50013) and config shows why", async () => {
    h = await startDiscordHarness({ now: "2026-11-23T08:00:00Z" });
    await h.answer(h.command("study-admin", "subscribe", [{ name: "time", type: 3, value: "09:00" }], { permissions: adminPermissions }));
    h.clock.set("2026-11-23T09:01:00Z");
    h.discord.failNext("POST /channels/:id/messages", { status: 403, code: 50013, message: "Missing Permissions" });
    await h.bot.runDueDigests();
    expect(visibleText(await h.answer(h.command("study", "config")))).toContain("FAILING: missing permissions (50013)");
  });
});

describe("Discord: pictures", () => {
  it("attaches the recap's PNG to the channel message and a member's heatmap to their private streak", async () => {
    h = await startDiscordHarness({ now: "2026-11-16T10:00:00Z" });
    await h.answer(h.command("study-admin", "subscribe", [{ name: "time", type: 3, value: "09:00" }], { permissions: adminPermissions }));
    await h.bot.settle();
    const { round, buttons } = await openRoundIn(h, "200000000000000002");
    await h.answer(h.click(buttons[0] as string, round.id, { channel: "200000000000000002" }));
    h.clock.set("2026-11-23T09:00:00Z");
    await h.bot.runDueDigests();
    const recapCall = h.discord.calls.find((c) => c.method === "POST" && c.files.length === 1);
    expect(recapCall?.files[0]?.name).toBe("recap-2026-11-23.png");
    // Discord accepted it: a message with a file needs Attach Files, which the invite must grant.
    expect(h.discord.messages.some((m) => m.embeds.some((e) => String((e as { title?: string }).title).startsWith("Weekly recap")))).toBe(
      true,
    );
    const embeds = recapCall?.body?.embeds as Array<{ image?: { url: string } }> | undefined;
    expect(embeds?.[0]?.image?.url).toBe("attachment://recap-2026-11-23.png");
    expect(decodePng(recapCall?.files[0]?.data ?? Buffer.alloc(0)).width).toBeGreaterThan(200);
    // The picture says in words what it shows, as the attachment's description (alt text).
    const described = recapCall?.body?.attachments as Array<{ id: number; description: string }> | undefined;
    expect(described?.[0]?.id).toBe(0);
    expect(described?.[0]?.description).toMatch(/^Weekly recap: the week of 2026-11-16\. Study days over 12 weeks.*Accuracy by branch: /);

    const streak = h.command("study", "streak");
    await h.answer(streak);
    const reply = h.discord.calls.find((c) => c.path.includes(streak) && c.files.length === 1);
    expect(reply?.files[0]?.name).toBe("streak-2026-11-23.png");
    expect(decodePng(reply?.files[0]?.data ?? Buffer.alloc(0)).height).toBeGreaterThan(100);
    const payload = reply?.body as { data?: { attachments?: Array<{ description?: string }> } } | undefined;
    expect(payload?.data?.attachments?.[0]?.description).toMatch(/^.+Study days over 12 weeks, .*: 1 active day/);
  });
});

describe("Discord: gateway resilience", () => {
  it("reconnects after the socket drops, resumes, and posts nothing twice", async () => {
    h = await startDiscordHarness();
    await h.answer(h.command("study-admin", "subscribe", [{ name: "time", type: 3, value: "09:00" }], { permissions: adminPermissions }));
    await h.bot.settle();
    const posted = h.discord.messages.length;
    h.discord.dropConnection();
    await h.discord.until(() => h.discord.gatewayConnections === 2 && h.discord.connected, 15_000);
    await h.discord.until(() => h.discord.resumes.length + h.discord.identifies.length >= 2, 15_000);
    await h.bot.runDueDigests();
    expect(h.discord.messages).toHaveLength(posted);
    expect(visibleText(await h.answer(h.command("study", "help")))).toContain("/study quiz");
  }, 30_000);
});
