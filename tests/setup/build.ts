import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** `npm run build` once before any test: the tests that spawn bin/study-bot.js (or npm start) run the current src/. */
export default function setup() {
  execFileSync(process.execPath, ["scripts/build.js"], { cwd: root, stdio: "inherit" });
}
