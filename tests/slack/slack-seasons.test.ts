import { afterEach, describe, expect, it } from "vitest";
import { unescapeSlackText } from "../../src/adapters/slack/block-kit.ts";
import * as time from "../../src/core/local-time.ts";
import { addScore } from "../../src/store/progress.repository.ts";
import { ensureMember } from "../../src/store/workspaces.repository.ts";
import { type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

/** A member earns points on a day (as answering does). */
async function scored(user: string, name: string, date: string, points: number) {
  const memberId = `slack:T1:${user}`;
  await ensureMember(h.db, { id: memberId, workspaceId: "slack:T1", externalId: user, displayName: name }, h.clock.now());
  await addScore(h.db, {
    workspaceId: "slack:T1",
    memberId,
    points,
    answered: 1,
    correct: 1,
    at: `${date}T10:00:00.000Z`,
    week: time.startOfWeek(date),
    month: time.startOfMonth(date),
  });
}

describe("Slack: seasons", () => {
  it("posts last season's standings once before the first digest of the month; the champion wears a 🏆 on every board", async () => {
    h = await startSlackHarness({ now: "2026-11-30T08:00:00Z", adapter: { admins: new Set(["U1"]) } });
    await h.command("subscribe 09:00");
    await h.slack.until(() => h.slack.messages.some((m) => m.text.includes("daily article at 09:00")));
    await h.bot.settle();
    await scored("U2", "ana", "2026-11-03", 50);
    await scored("U3", "bo", "2026-11-04", 30);
    const before = h.slack.messages.length;

    h.clock.set("2026-12-01T09:00:00Z");
    await h.bot.runDueDigests();
    await h.bot.runDueDigests();
    const posted = h.slack.messages.slice(before).map((m) => unescapeSlackText(m.text));
    expect(posted[0]).toContain("Season November 2026: final standings");
    expect(posted[0]).toContain("Champion: 🏆 ana");
    expect(posted[1]).toContain("Today's architecture article");
    expect(posted.filter((text) => text.includes("final standings"))).toHaveLength(1);

    await h.command("leaderboard all", { user: "U3", channel: "C2" });
    await h.slack.until(() => h.slack.messages.some((m) => m.channel === "C2"));
    const board = unescapeSlackText(h.slack.messages.find((m) => m.channel === "C2")?.text ?? "");
    expect(board).toContain("🏆 ana");
    expect(board).not.toContain("🏆 bo");
  });
});
