import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const coreDir = fileURLToPath(new URL("../../src/core", import.meta.url));
const forbidden = [/^@slack\//, /^discord\.js$/, /^@discordjs\//, /^better-sqlite3$/, /^pg$/, /^kysely$/, /adapters\//];

function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? "",
  );
}

describe("core boundary", () => {
  const files = readdirSync(coreDir).filter((f) => f.endsWith(".ts"));

  it("finds the core's files and their imports", () => {
    expect(files.length).toBeGreaterThan(5);
    expect(importsOf(readFileSync(join(coreDir, "study-bot.ts"), "utf8"))).toContain("./ports.ts");
  });

  it.each(files)("%s imports no platform SDK, SQL driver, query builder or adapter", (file) => {
    const bad = importsOf(readFileSync(join(coreDir, file), "utf8")).filter((spec) => forbidden.some((rule) => rule.test(spec)));
    expect(bad).toEqual([]);
  });
});
