import { printTable } from "./harness.ts";
import { leaderboardBenchmark } from "./leaderboard.ts";
printTable(await leaderboardBenchmark(false));
process.exit(0);
