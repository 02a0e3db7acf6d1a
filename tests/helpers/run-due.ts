import { execFile } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { FakeSlack } from "./fake-slack.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

const crashPoint = pathToFileURL(fileURLToPath(new URL("./crash-point.mjs", import.meta.url))).href;

/**
 * `study-bot digest run-due` as its own process; resolves with its exit (code or signal) and output. With `crashAt`
 * (a crash point of src/features and how many times it passes: "after-digest-post:50") the process kills itself there.
 */
export function runDue(slack: FakeSlack, databaseUrl: string, extra: Record<string, string> = {}, crashAt?: string) {
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
          ...(crashAt ? { STUDY_TEST_CRASH: crashAt, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${crashPoint}` } : {}),
          ...extra,
        },
      },
      (_error, stdout) => resolve({ code: child.exitCode, signal: child.signalCode, stdout }),
    );
  });
}

/** The digest posts a fake Slack received (they carry study_digest metadata). */
export const digestsIn = (slack: FakeSlack) => slack.messages.filter((m) => m.metadata?.event_type === "study_digest");
