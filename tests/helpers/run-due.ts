import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FakeSlack } from "./fake-slack.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** `study-bot digest run-due` as its own process; resolves with its exit (code or signal) and output. */
export function runDue(slack: FakeSlack, databaseUrl: string, extra: Record<string, string> = {}) {
  return new Promise<{ code: number | null; signal: string | null; stdout: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["bin/study-bot.js", "digest", "run-due"],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          SLACK_BOT_TOKEN: "xoxb-test",
          SLACK_SIGNING_SECRET: "s",
          SLACK_API_URL: slack.apiUrl,
          STUDY_CLAIM_STALE_SECONDS: "1",
          ...extra,
        },
      },
      (_error, stdout) => resolve({ code: child.exitCode, signal: child.signalCode, stdout }),
    );
  });
}

/** The digest posts a fake Slack received (they carry study_digest metadata). */
export const digestsIn = (slack: FakeSlack) => slack.messages.filter((m) => m.metadata?.event_type === "study_digest");
