import { describe, expect, it } from "vitest";
import { commandDefinitions, commandText } from "../../src/adapters/discord/commands.ts";
import { buttonActionPattern } from "../../src/adapters/slack/slack-adapter.ts";
import { declarationsOn, findDeclaration } from "../../src/core/commands.ts";
import { actionIds, commandDeclarations } from "../../src/features/declarations.ts";

interface DefinedOption {
  name: string;
  type: number;
  choices?: Array<{ value: string }>;
}

/** Every text a Discord member can send: each subcommand with each choice of each option (a sample value for free ones). */
function discordInvocations() {
  const sent: Array<{ command: string; text: string }> = [];
  for (const definition of commandDefinitions()) {
    for (const sub of (definition.options ?? []) as Array<{ name: string; options?: DefinedOption[] }>) {
      const options = sub.options ?? [];
      const variants: Array<Array<{ name: string; value: string }>> = [[]];
      for (const option of options) {
        const values = option.choices?.map((c) => c.value) ?? ["x"];
        const next = variants.flatMap((v) => values.map((value) => [...v, { name: option.name, value }]));
        variants.push(...next);
      }
      for (const chosen of variants) sent.push({ command: definition.name, text: commandText(sub.name, chosen) });
    }
  }
  return sent;
}

describe("command and action declarations reach every platform", () => {
  it("lets a Discord member reach every declared command, admin ones only through /study-admin", () => {
    const reached = new Map<string, Set<string>>();
    for (const { command, text } of discordInvocations()) {
      const declaration = findDeclaration(commandDeclarations, text.split(" "));
      if (!declaration) continue;
      const key = declaration.path.join(" ");
      reached.set(key, (reached.get(key) ?? new Set()).add(command));
    }
    for (const declaration of declarationsOn(commandDeclarations, "discord")) {
      const key = declaration.path.join(" ");
      expect(reached.get(key), `/${key} cannot be reached on Discord`).toBeDefined();
      if (declaration.access === "admin") expect([...(reached.get(key) ?? [])]).toEqual(["study-admin"]);
    }
  });

  it("leaves out of Slack only pack export, whose file a private reply there cannot carry", () => {
    const offered = new Set(declarationsOn(commandDeclarations, "slack").map((d) => d.path.join(" ")));
    const missing = commandDeclarations.map((d) => d.path.join(" ")).filter((path) => !offered.has(path));
    expect(missing).toEqual(["pack export"]);
    expect(declarationsOn(commandDeclarations, "discord")).toEqual(commandDeclarations);
  });

  it("routes every declared button action through Slack's action listener, and nothing else", () => {
    for (const id of actionIds) expect(buttonActionPattern.test(`${id}:0`), id).toBe(true);
    expect(buttonActionPattern.test("frobnicate:0")).toBe(false);
    expect(actionIds).toEqual(
      expect.arrayContaining(["answer", "read", "review", "review-easy", "review-next", "report", "report-submit"]),
    );
  });

  it("declares each command path and action once, with a usage line and an English description", () => {
    const paths = commandDeclarations.map((d) => d.path.join(" "));
    expect(new Set(paths).size).toBe(paths.length);
    expect(new Set(actionIds).size).toBe(actionIds.length);
    for (const d of commandDeclarations) {
      expect(d.usage).toMatch(/^\/study /);
      expect(d.description.length).toBeGreaterThan(0);
      expect(d.description.length).toBeLessThanOrEqual(100);
    }
  });
});
