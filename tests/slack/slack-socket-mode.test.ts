import { afterEach, describe, expect, it } from "vitest";
import { type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

describe("Slack: Socket Mode", () => {
  it("connects with the app token and handles a slash command and a click over the socket", async () => {
    h = await startSlackHarness({ adapter: { appToken: "xapp-test" } });
    await h.slack.until(() => h.slack.socketConnected);
    const ack = await h.slack.envelope("slash_commands", {
      command: "/study",
      text: h.slack.slashCommandText("quiz"),
      team_id: "T1",
      team_domain: "acme",
      channel_id: "C1",
      user_id: "U1",
      user_name: "ana",
      response_url: h.slack.responseUrl("socket-1"),
      trigger_id: "1.2.3",
      api_app_id: "A1",
    });
    expect(ack).toEqual({});
    await h.slack.until(() => h.slack.messages.length === 1 && h.replies("socket-1").length === 1);
    const actions = h.slack.messages[0]?.blocks.find((b) => b.type === "actions") as { elements: Array<{ value: string }> } | undefined;
    const value = actions?.elements[0]?.value;
    await h.slack.envelope("interactive", {
      type: "block_actions",
      user: { id: "U2", username: "bo", name: "bo", team_id: "T1" },
      team: { id: "T1", domain: "acme" },
      channel: { id: "C1", name: "study" },
      container: { type: "message", channel_id: "C1", message_ts: h.slack.messages[0]?.ts },
      message: { ts: h.slack.messages[0]?.ts, text: "Quiz", blocks: [] },
      api_app_id: "A1",
      trigger_id: "1.2.4",
      response_url: h.slack.responseUrl("socket-2"),
      actions: [{ action_id: "answer:0", block_id: "actions-4", value, type: "button", action_ts: "1" }],
    });
    await h.slack.until(() => h.replies("socket-2").length === 1);
    expect(h.replies("socket-2")[0]).toMatch(/^(Correct!|Not quite)/);
    expect(await h.db.selectFrom("answers").selectAll().execute()).toHaveLength(1);
  });
});
