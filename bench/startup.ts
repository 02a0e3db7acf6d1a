import { spawn } from "node:child_process";
import type { Result } from "./harness.ts";
import { percentile } from "./harness.ts";
import { benchDatabase } from "./setup.ts";

/** Milliseconds from spawning a process until its stdout shows `marker`. */
function timeToOutput(args: string[], env: Record<string, string>, marker: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes(marker)) {
        resolve(Number(process.hrtime.bigint() - started) / 1e6);
        child.stdin.end();
      }
    });
    child.on("error", reject);
  });
}

/** Process start to ready (console mode, migrated database), against a bare Node process printing one line. */
export async function startupBenchmark(quick: boolean): Promise<Result[]> {
  const { db, path } = await benchDatabase(new Date());
  await db.destroy();
  const runs = quick ? 3 : 7;
  const bot: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    bot.push(await timeToOutput(["bin/study-bot.js", "run"], { DATABASE_URL: path }, "study-bot console"));
    bare.push(await timeToOutput(["-e", "process.stdout.write('ready')"], {}, "ready"));
  }
  const figure = percentile(bot, 50);
  const baseline = percentile(bare, 50);
  return [{ name: "startup", figure, unit: "ms", baseline, ratio: baseline / figure, target: "< 1500 ms", pass: figure < 1500 }];
}
