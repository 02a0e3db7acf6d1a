import { afterEach, describe, expect, it } from "vitest";
import { csvRecords, readAsAnki } from "../helpers/exported-files.ts";
import { answerButtons, type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";
import { appConfigFrom } from "../helpers/slack-manifest.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** U1 answers a quiz on net.tcp in C1 wrongly. */
async function missOne(harness: SlackHarness): Promise<void> {
  await harness.command("quiz net.tcp");
  await harness.slack.until(() => harness.slack.messages.length === 1);
  const buttons = answerButtons(harness.slack.messages[0] ?? { blocks: [] });
  const wrong = buttons[((await latestRoundAnswer(harness.db)) + 1) % buttons.length] as [string, string];
  const clicked = await harness.click(...wrong);
  await harness.slack.until(() => harness.replies(clicked.responseId).length === 1);
}

async function exportAs(harness: SlackHarness, text: string, user: string): Promise<string> {
  const sent = await harness.command(text, { user });
  await harness.slack.until(() => harness.replies(sent.responseId).length === 1);
  return harness.replies(sent.responseId)[0] ?? "";
}

describe("Slack: /study export", () => {
  it("uploads the member's two files into their direct messages with the app, and says so in the ephemeral reply", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U2"]) } });
    h.slack.users.set("U1", {});
    h.slack.users.set("U2", {});
    await missOne(h);

    const reply = await exportAs(h, "export", "U1");
    expect(reply).toContain("The files are in your direct messages with study-bot");
    expect(h.slack.callsTo("conversations.open").map((c) => c.params.users)).toEqual(["U1"]);
    expect(h.slack.files.directMessages.get("DU1")).toBe("U1");
    expect(h.slack.uploads.map((u) => [u.filename, u.channel])).toEqual([
      ["study-history-2026-11-23.csv", "DU1"],
      ["study-missed-2026-11-23.txt", "DU1"],
    ]);
    const [history, missed] = h.slack.uploads;
    expect(csvRecords(history?.bytes ?? Buffer.alloc(0)).map((r) => [r.kind, r.correct])).toEqual([["answer", "0"]]);
    const anki = readAsAnki(missed?.bytes ?? Buffer.alloc(0));
    expect(anki.notes).toHaveLength(1);
    expect(anki.notes[0]?.tags).toEqual(["net.tcp"]);
    // Nothing went to the channel: the reply there is ephemeral, the files are in the direct messages.
    expect(h.slack.messages.filter((m) => m.channel === "C1")).toHaveLength(1);

    // The team's export is an admin's: a member is refused and nothing is uploaded.
    expect(await exportAs(h, "export team", "U1")).toContain("Only a workspace admin can do that.");
    expect(h.slack.uploads).toHaveLength(2);
    expect(await exportAs(h, "export team", "U2")).toContain("team-weeks-2026-11-23.csv");
    expect(h.slack.uploads.slice(2).map((u) => [u.filename, u.channel])).toEqual([
      ["team-weeks-2026-11-23.csv", "DU2"],
      ["team-topics-2026-11-23.csv", "DU2"],
    ]);
    expect(csvRecords(h.slack.uploads[2]?.bytes ?? Buffer.alloc(0)).map((r) => [r.user_id, r.answers])).toEqual([["U1", "1"]]);
  });

  it("without im:write, Slack refuses the direct message: the member is told why and no file is uploaded", async () => {
    const app = appConfigFrom();
    h = await startSlackHarness({ app: { ...app, scopes: new Set([...app.scopes].filter((s) => s !== "im:write")) } });
    h.slack.users.set("U1", {});
    await missOne(h);
    expect(await exportAs(h, "export", "U1")).toContain("Slack refused to send you the files (missing_scope)");
    expect(h.slack.uploads).toEqual([]);
  });
});

describe("fake Slack: uploads and direct messages", () => {
  it("refuses a user id as files.completeUploadExternal's channel, a direct message the app never opened, and missing arguments", async () => {
    h = await startSlackHarness();
    const call = async (method: string, params: Record<string, string>) => {
      const response = await fetch(`${h?.slack.apiUrl}${method}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: "xoxb-test", ...params }),
      });
      return (await response.json()) as { ok: boolean; error?: string };
    };
    const files = JSON.stringify([{ id: "F1" }]);
    expect(await call("files.completeUploadExternal", { files, channel_id: "U1" })).toMatchObject({ error: "invalid_arguments" });
    expect(await call("files.completeUploadExternal", { files, channel_id: "DU1" })).toMatchObject({ error: "channel_not_found" });
    expect(await call("files.completeUploadExternal", { channel_id: "C1" })).toMatchObject({ error: "invalid_arguments" });
    expect(await call("files.getUploadURLExternal", { filename: "a.csv" })).toMatchObject({ error: "invalid_arguments" });
    expect(await call("conversations.open", {})).toMatchObject({ error: "invalid_arguments" });
    expect(await call("conversations.open", { users: "U404" })).toMatchObject({ error: "user_not_found" });
  });
});
