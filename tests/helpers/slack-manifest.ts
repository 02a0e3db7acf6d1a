import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** What a fake Slack needs to know about the app, as Slack learns it from the manifest the app was created from. */
export interface SlackAppConfig {
  /** The bot scopes an install grants. */
  scopes: ReadonlySet<string>;
  /** Slash commands, and whether Slack escapes mentions in their text. */
  commands: ReadonlyMap<string, { shouldEscape: boolean }>;
  /** The bot events Slack sends the app. */
  botEvents: ReadonlySet<string>;
  /** Whether the app has a Home tab: views.publish of a home view answers not_enabled without one. */
  homeTab: boolean;
}

export const manifestFiles = { socket: "manifest.yaml", http: "manifest.http.yaml" } as const;

export function readManifest(file: string = manifestFiles.socket) {
  return parse(readFileSync(new URL(`../../slack/${file}`, import.meta.url), "utf8"));
}

export function appConfigFrom(manifest = readManifest()): SlackAppConfig {
  const commands = (manifest.features?.slash_commands ?? []) as Array<{ command: string; should_escape?: boolean }>;
  return {
    scopes: new Set(manifest.oauth_config?.scopes?.bot ?? []),
    // should_escape defaults to false, as in Slack's manifest reference.
    commands: new Map(commands.map((c) => [c.command, { shouldEscape: c.should_escape ?? false }])),
    botEvents: new Set(manifest.settings?.event_subscriptions?.bot_events ?? []),
    homeTab: manifest.features?.app_home?.home_tab_enabled === true,
  };
}
