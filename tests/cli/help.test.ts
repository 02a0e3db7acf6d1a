import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot as root, studyBot } from "../helpers/cli.ts";

// Every command the README names, as typed after `study-bot`.
const commands = ["run", "migrate", "seed", "content check", "digest run-due", "discord register", "backup", "workspace forget"];

describe("study-bot --help", () => {
  for (const flag of ["--help", "-h"]) {
    it(`${flag} lists every command, each with a one-line description, and exits 0`, async () => {
      const { stdout, code } = await studyBot([flag]);
      expect(code).toBe(0);
      for (const command of commands) {
        const line = stdout.split("\n").find((l) => l.trimStart().startsWith(`${command} `));
        expect(line, `no line for ${command}`).toBeDefined();
        expect(line?.slice(line.indexOf(command) + command.length).trim().length, `no description for ${command}`).toBeGreaterThan(10);
      }
      expect(stdout).toMatch(/^\s+run\s+.*\(default\)/m);
    });
  }

  it("after a command, prints that command's usage", async () => {
    const run = await studyBot(["run", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: study-bot run\n/);
    expect(run.stdout).not.toContain("migrate");
    const digest = await studyBot(["digest", "--help"]);
    expect(digest.stdout).toMatch(/^Usage: study-bot digest run-due\n/);
  });

  it("without a build, says in one line to run npm run build and exits 1", async () => {
    // A copy of bin/ with no dist/ beside it: the entry point looks for ../dist/bundle/cli.js from its own file.
    const dir = mkdtempSync(join(tmpdir(), "study-bot-no-dist-"));
    mkdirSync(join(dir, "bin"));
    copyFileSync(join(root, "bin", "study-bot.js"), join(dir, "bin", "study-bot.js"));
    const { stdout, stderr, code } = await studyBot(["--help"], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("npm run build");
  });
});
