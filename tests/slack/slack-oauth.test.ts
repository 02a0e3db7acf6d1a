import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

describe("Slack: OAuth installs (one deployment, many workspaces)", () => {
  it("installs a workspace through /slack/install and the redirect, stores it, and answers it with its own token", async () => {
    h = await startSlackHarness({ oauth: true });
    const base = h.events.replace("/slack/events", "");
    const install = await fetch(`${base}/slack/install`, { redirect: "manual" });
    expect(install.status).toBe(200);
    const page = await install.text();
    const state = /state=([^&"]+)/.exec(page)?.[1];
    expect(state).toBeTruthy();
    const cookie = install.headers.get("set-cookie")?.split(";")[0] ?? "";
    h.slack.oauthCodes.set("code-T7", { team: "T7", token: "xoxb-team-seven" });

    const callback = await fetch(`${base}/slack/oauth_redirect?code=code-T7&state=${state}`, { headers: { cookie }, redirect: "manual" });
    expect(callback.status).toBe(200);
    const stored = await h.db.selectFrom("slack_installations").selectAll().execute();
    expect(stored.map((row) => row.team_id)).toEqual(["T7"]);

    await h.command("quiz", { team: "T7", channel: "C7" });
    await h.slack.until(() => h.slack.messages.length === 1);
    expect(h.slack.callsTo("chat.postMessage")[0]?.token).toBe("xoxb-team-seven");
  });

  it("with STUDY_SECRETS_KEY, stores the installation encrypted (no token in the row) and answers with its token", async () => {
    const key = randomBytes(32);
    h = await startSlackHarness({ oauth: true, secrets: { key } });
    const base = h.events.replace("/slack/events", "");
    const install = await fetch(`${base}/slack/install`, { redirect: "manual" });
    const state = /state=([^&"]+)/.exec(await install.text())?.[1];
    const cookie = install.headers.get("set-cookie")?.split(";")[0] ?? "";
    h.slack.oauthCodes.set("code-T8", { team: "T8", token: "xoxb-team-eight" });
    const callback = await fetch(`${base}/slack/oauth_redirect?code=code-T8&state=${state}`, { headers: { cookie }, redirect: "manual" });
    expect(callback.status).toBe(200);

    const [row] = await h.db.selectFrom("slack_installations").selectAll().execute();
    expect(row?.team_id).toBe("T8");
    expect(row?.installation).not.toContain("xoxb-");
    await h.command("quiz", { team: "T8", channel: "C8" });
    await h.slack.until(() => h.slack.messages.length === 1);
    expect(h.slack.callsTo("chat.postMessage")[0]?.token).toBe("xoxb-team-eight");
  });

  it("tells a member of a workspace that never installed the app, and does nothing else", async () => {
    h = await startSlackHarness({ oauth: true });
    const sent = await h.command("quiz", { team: "TNOPE" });
    expect(sent.status).toBe(200);
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
    expect(h.replies(sent.responseId)[0]).toContain("not installed in this workspace");
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
    expect(await h.db.selectFrom("rounds").selectAll().execute()).toHaveLength(0);
  });
});
