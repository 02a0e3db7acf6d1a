import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { findDeclaration } from "../src/core/commands.ts";
import type { Platform } from "../src/core/ports.ts";
import { commandDeclarations } from "../src/features/declarations.ts";
import { consoleBot } from "./helpers/console-harness.ts";
import { adminPermissions, type DiscordHarness, startDiscordHarness, visibleText } from "./helpers/discord-harness.ts";
import { type SlackHarness, startSlackHarness } from "./helpers/slack-harness.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const role = "500000000000000001";

/** Every `/study …` in the first column of the README's command table, as the words after /study. */
const documented = readme
  .split("\n")
  .filter((line) => line.startsWith("| `/study"))
  .flatMap((line) => [...(line.split(/(?<!\\)\|/)[1] ?? "").matchAll(/`\/study([^`]*)`/g)].map((m) => (m[1] ?? "").trim()));

/** The documented usages a platform offers: some (a file path) exist only on the console. */
const offeredOn = (platform: Platform) =>
  documented.filter((usage) => {
    const declaration = findDeclaration(commandDeclarations, invocation(usage, "console"));
    return !declaration?.platforms || declaration.platforms.includes(platform);
  });

/** A usage made concrete: optional [parts] left out, each <placeholder> given a value that works on the platform. */
function invocation(usage: string, platform: "slack" | "discord" | "console"): string[] {
  const sample: Record<string, string> = {
    name: "backend",
    "group-or-role": { slack: "@backend", discord: `<@&${role}>`, console: "backend-group" }[platform],
    "question-id": "case-adstage-heroku-ecu",
    channel: "here",
  };
  return usage
    .replace(/\[[^\]]*\]/g, "")
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => (word.startsWith("<") ? (sample[word.slice(1, -1)] ?? word) : word));
}

const unknown = /Unknown command/;

let slack: SlackHarness | undefined;
let discord: DiscordHarness | undefined;
afterEach(async () => {
  await slack?.stop();
  await discord?.stop();
  slack = discord = undefined;
});

describe("README command table", () => {
  it("lists every declared command, and nothing the bot does not declare", () => {
    expect(documented.length).toBeGreaterThan(10);
    for (const usage of documented) expect(findDeclaration(commandDeclarations, invocation(usage, "console")), usage).toBeDefined();
    const tops = new Set(documented.map((usage) => usage.split(/\s+/)[0] || "help"));
    for (const declaration of commandDeclarations) expect(tops, declaration.path.join(" ")).toContain(declaration.path[0]);
  });

  it("every command is reachable on the console", async () => {
    const { input, session, terminal } = await consoleBot();
    for (const usage of documented) {
      const before = session.printed.length;
      input.write(`/study ${invocation(usage, "console").join(" ")}\n`);
      const started = Date.now();
      while (session.printed.length === before && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      const answer = session.printed.slice(before);
      expect(answer, usage).not.toBe("");
      expect(answer, usage).not.toMatch(unknown);
    }
    await terminal.stop();
  });

  it("every command is reachable on Slack", async () => {
    slack = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    const h = slack;
    h.slack.userGroup("S1", "backend", ["U1"]);
    for (const usage of offeredOn("slack")) {
      const posted = h.slack.messages.length;
      const views = h.slack.views.length;
      const sent = await h.command(invocation(usage, "slack").join(" "));
      // An answer, a post, or a form opened (pack import asks for its file in one).
      await h.slack.until(() => h.replies(sent.responseId).length > 0 || h.slack.messages.length > posted || h.slack.views.length > views);
      const seen = [...h.replies(sent.responseId), ...h.slack.messages.slice(posted).map((m) => m.text)].join("\n");
      expect(seen, usage).not.toMatch(unknown);
    }
  });

  it("every command is reachable on Discord, as a registered /study or /study-admin subcommand", async () => {
    discord = await startDiscordHarness();
    const h = discord;
    for (const usage of offeredOn("discord")) {
      const words = invocation(usage, "discord");
      const declaration = findDeclaration(commandDeclarations, words);
      const top = commandDeclarations.find((d) => d.path.length === 1 && d.path[0] === declaration?.path[0]);
      const name = declaration?.access === "admin" || (top?.access !== "anyone" && words.length > 1) ? "study-admin" : "study";
      // After the subcommand, the words fill its options in order; the last option takes the rest.
      const values = words.slice(1);
      const options = (top?.options ?? []).flatMap((option, i, all) => {
        const value = i === all.length - 1 ? values.slice(i).join(" ") : values[i];
        return value ? [{ name: option.name, type: option.kind === "member" ? 6 : 3, value }] : [];
      });
      const token = h.command(name, words[0] ?? "help", options, { permissions: adminPermissions });
      expect(visibleText(await h.answer(token)), usage).not.toMatch(unknown);
    }
  });
});
