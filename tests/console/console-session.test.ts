import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freshDatabaseUrl } from "../helpers/databases.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Runs `npm start` as a newcomer would, with input piped in; resolves with what it printed and its exit code. */
function npmStart(input: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["start", "--silent"], { cwd: root, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(input);
  });
}

const freshDatabase = () => join(mkdtempSync(join(tmpdir(), "study-bot-console-")), "bot.sqlite");

describe("console bot through npm start", () => {
  it("answers a round from piped input, sees itself on the leaderboard and exits 0 at end of input", async () => {
    const { stdout, code } = await npmStart("/study quiz\n1\n/study leaderboard\n", { DATABASE_URL: freshDatabase(), USER: "newcomer" });
    expect(code).toBe(0);
    expect(stdout).toContain("== Quiz ==");
    expect(stdout).toMatch(/\[1\] A {2}\[2\] B/);
    expect(stdout).toMatch(/Correct! \+\d+ points\.|Not quite: the answer is [A-F]\./);
    expect(stdout).toContain("== Leaderboard: this week ==");
    // The streak column is 1 on a study day and 0 at a weekend (the real clock decides).
    expect(stdout).toMatch(/\n1\s+newcomer\s+\d+\s+(100|0)%\s+[01]\n/);
  }, 60_000);

  it("shows today's article with its links on /study digest", async () => {
    const { stdout, code } = await npmStart("/study digest\n", { DATABASE_URL: freshDatabase(), STUDY_TIMEZONE: "Asia/Shanghai" });
    expect(code).toBe(0);
    expect(stdout).toMatch(/== (Today's architecture article|Architecture article for \d{4}-\d{2}-\d{2}) ==/);
    expect(stdout).toMatch(/Original: http:\/\/highscalability\.com\/blog\//);
    expect(stdout).toMatch(/中文翻译: https:\/\/github\.com\/apachecn\/highscalability-examples-zh\//);
    expect(stdout).toContain("[r] Mark as read");
  }, 60_000);

  it("keeps its data between runs", async () => {
    const database = freshDatabase();
    await npmStart("/study quiz\n2\n", { DATABASE_URL: database, USER: "ana" });
    const { stdout } = await npmStart("/study leaderboard all\n", { DATABASE_URL: database, USER: "ana" });
    expect(stdout).toMatch(/\n1\s+ana\s+/);
  }, 60_000);

  it("stops with one clear line, not a stack trace, on a corrupt database or a bad setting", async () => {
    const corrupt = freshDatabase();
    writeFileSync(corrupt, "not a database ".repeat(100));
    const bad = await npmStart("", { DATABASE_URL: corrupt });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(
      `study-bot: cannot open the database ${corrupt}: the file is not a valid SQLite database (corrupt, or another kind of file)`,
    );
    const tz = await npmStart("", { DATABASE_URL: freshDatabase(), STUDY_TIMEZONE: "Mars/Base" });
    expect(tz.code).toBe(1);
    expect(tz.stderr.trim()).toBe("study-bot: STUDY_TIMEZONE: 'Mars/Base' is not an IANA timezone (e.g. Asia/Shanghai)");
  }, 60_000);

  it("runs the same session on PostgreSQL when DATABASE_URL is a postgres:// URL", async () => {
    const url = await freshDatabaseUrl("postgres");
    const { stdout, code } = await npmStart("/study quiz\n1\n/study leaderboard\n", { DATABASE_URL: url, USER: "pg-user" });
    expect(code).toBe(0);
    expect(stdout).toMatch(/\n1\s+pg-user\s+\d+\s+(100|0)%\s+[01]\n/);
  }, 60_000);

  it("names an unreachable PostgreSQL in one line, without the password", async () => {
    const bad = await npmStart("", { DATABASE_URL: "postgres://bot:secret@127.0.0.1:1/nowhere" });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^study-bot: cannot reach the database postgres:\/\/\*\*\*@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/);
    expect(bad.stderr).not.toContain("secret");
  }, 60_000);

  it("offers a private review after a quiz", async () => {
    const database = freshDatabase();
    const { stdout, code } = await npmStart("/study quiz\n1\n/study review\n", { DATABASE_URL: database, USER: "ana" });
    expect(code).toBe(0);
    expect(stdout).toMatch(/== Review: 1 card due today ==|Nothing to review today\. Your next card is due/);
  }, 60_000);
});
