import { answersBenchmark } from "./answers.ts";
import { printTable } from "./harness.ts";
import { slackHttpBenchmark } from "./slack-http.ts";

const results = [...(await answersBenchmark(false)), ...(await slackHttpBenchmark(false))];
printTable(results);
process.exit(0);
