import { answersBenchmark } from "./answers.ts";
import { printTable, type Result, writeResults } from "./harness.ts";
import { leaderboardBenchmark } from "./leaderboard.ts";
import { startupBenchmark } from "./startup.ts";

// Every figure is set against a baseline measured in the same run: these machines are shared and absolute numbers drift.
const quick = process.argv.includes("--quick");
const results: Result[] = [];
for (const bench of [answersBenchmark, leaderboardBenchmark, startupBenchmark]) {
  const started = Date.now();
  results.push(...(await bench(quick)));
  console.error(`${bench.name} done in ${Math.round((Date.now() - started) / 1000)} s`);
}
printTable(results);
writeResults(results);
