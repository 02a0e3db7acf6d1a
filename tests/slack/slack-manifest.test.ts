import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { slackScopes } from "../../src/adapters/slack/bolt-app.ts";
import { postSigned, type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";
import { manifestFiles, readManifest } from "../helpers/slack-manifest.ts";

const run = promisify(execFile);
const manifests = Object.entries(manifestFiles).map(([mode, file]) => ({ mode, file, manifest: readManifest(file) }));

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("Slack: app manifests", () => {
  it("type-check against the Manifest type @slack/web-api ships (apps.manifest.create's argument)", async () => {
    // A generated module that must compile: unknown or misspelt keys and wrong value types fail tsc.
    const dir = new URL("../../node_modules/.cache/study-bot-manifests/", import.meta.url);
    mkdirSync(dir, { recursive: true });
    for (const { mode, manifest } of manifests) {
      writeFileSync(
        new URL(`${mode}.ts`, dir),
        `import type { AppsManifestCreateArguments } from "@slack/web-api";\n` +
          `export const manifest = ${JSON.stringify(manifest, null, 2)} satisfies AppsManifestCreateArguments["manifest"];\n`,
      );
    }
    const compilerOptions = { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", skipLibCheck: true, types: [] };
    writeFileSync(new URL("tsconfig.json", dir), JSON.stringify({ compilerOptions, include: ["*.ts"] }));
    const tsc = new URL("../../node_modules/.bin/tsc", import.meta.url).pathname;
    const result = await run(tsc, ["-p", dir.pathname]).then(
      () => "",
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe("");
  }, 60_000);

  it.each(manifests)(
    "$file: the bot's scopes, /study escaped, interactivity, the Home tab and its event, app_uninstalled and tokens_revoked, and the documented lengths",
    ({ manifest }) => {
      expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...slackScopes].sort());
      const [command, ...others] = manifest.features.slash_commands;
      expect(others).toEqual([]);
      expect(command.command).toBe("/study");
      expect(command.should_escape).toBe(true);
      expect(command.description.length).toBeLessThanOrEqual(2000);
      expect(command.usage_hint.length).toBeLessThanOrEqual(1000);
      expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
      expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
      expect(manifest.features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
      expect(manifest.settings.interactivity.is_enabled).toBe(true);
      expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_home_opened", "app_uninstalled", "tokens_revoked"]);
      // The home is published to the Home tab; clicks on it are answered in the Messages tab, which members only read.
      expect(manifest.features.app_home).toEqual({
        home_tab_enabled: true,
        messages_tab_enabled: true,
        messages_tab_read_only_enabled: true,
      });
    },
  );

  it("Socket Mode has no request URLs; HTTP mode has the four, on one https address", () => {
    const [socket, http] = [readManifest(manifestFiles.socket), readManifest(manifestFiles.http)];
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toMatch(/"(url|request_url|redirect_urls)"/);
    expect(http.settings.socket_mode_enabled).toBe(false);
    const urls = [
      http.features.slash_commands[0].url,
      http.settings.event_subscriptions.request_url,
      http.settings.interactivity.request_url,
      ...http.oauth_config.redirect_urls,
    ].map((u: string) => new URL(u));
    expect(urls.map((u) => u.pathname)).toEqual(["/slack/events", "/slack/events", "/slack/events", "/slack/oauth_redirect"]);
    expect(new Set(urls.map((u) => u.origin)).size).toBe(1);
    expect(urls[0]?.protocol).toBe("https:");
  });

  it("HTTP mode answers Slack's URL check (url_verification) with the challenge", async () => {
    h = await startSlackHarness();
    const body = JSON.stringify({
      token: "unused",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    const answer = await postSigned(h.events, body, { headers: { "content-type": "application/json" } });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
  });
});
