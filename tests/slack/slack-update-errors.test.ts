import { WebAPIPlatformError } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import type { OutMessage } from "../../src/core/message.ts";
import { type ChannelAddress, PermanentDeliveryError } from "../../src/core/ports.ts";
import { type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";

const address: ChannelAddress = { platform: "slack", workspaceId: "T1", channelId: "C1" };
const message = (text: string): OutMessage => ({ text, blocks: [{ type: "text", text }] });

let h: SlackHarness;
afterEach(() => h.stop());

describe("Slack: edits that can never land", () => {
  it("refuses for good to edit a message in an archived channel, as to post there", async () => {
    h = await startSlackHarness();
    const ts = await h.adapter.post(address, message("round"));
    h.slack.archived.add("C1");
    const edit = await h.adapter.update(address, ts, message("results")).catch((e: unknown) => e);
    expect(edit).toBeInstanceOf(PermanentDeliveryError);
    expect((edit as Error).message).toBe("is_inactive");
    await expect(h.adapter.post(address, message("digest"))).rejects.toThrow(new PermanentDeliveryError("is_archived"));
    expect(h.slack.messages.map((m) => m.edits.length)).toEqual([0]);
  });

  it("refuses for good to edit a message that is gone, and leaves a passing failure to be retried", async () => {
    h = await startSlackHarness();
    await expect(h.adapter.update(address, "1700000000.000001", message("results"))).rejects.toThrow(
      new PermanentDeliveryError("message_not_found"),
    );
    const ts = await h.adapter.post(address, message("round"));
    h.slack.failNext("chat.update", { error: "internal_error" });
    const edit = await h.adapter.update(address, ts, message("results")).catch((e: unknown) => e);
    expect(edit).toBeInstanceOf(WebAPIPlatformError);
    expect(edit).not.toBeInstanceOf(PermanentDeliveryError);
  });
});
