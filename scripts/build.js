// `npm run build` (npm install and npm ci run it as `prepare`; vitest's global setup and `npm run bench` run it first):
// src/cli.ts bundled with esbuild into dist/bundle/, which bin/study-bot.js runs. esbuild is a dev dependency: it
// runs here, at build time, never when the bot runs. Then the pictures' font (scripts/chart-font.js), made again only when
// its inputs change.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildChartFont } from "./chart-font.js";

const root = fileURLToPath(new URL("..", import.meta.url));
// Two levels below the root, as src/content/ is: import.meta.url-relative paths (../../seeds) resolve the same.
const outdir = join(root, "dist", "bundle");

async function loadEsbuild() {
  try {
    return await import("esbuild");
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    return undefined;
  }
}

async function build() {
  const esbuild = await loadEsbuild();
  if (!esbuild) {
    // An install without dev dependencies (npm ci --omit=dev) still runs `prepare`: it should not fail there, and
    // keeps a dist/ built before. `npm run build` itself fails.
    const asPrepare = process.env.npm_lifecycle_event === "prepare";
    console.error(`study-bot build: esbuild is not installed (a dev dependency); dist/ ${asPrepare ? "left as it is" : "not built"}`);
    process.exitCode = asPrepare ? 0 : 1;
    return;
  }
  rmSync(join(root, "dist"), { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ["src/cli.ts"],
    outdir,
    bundle: true,
    // Dynamic imports (the Slack and Discord adapters) stay separate files, loaded only when used.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    keepNames: true,
    // From node_modules: native addons; packages that locate their own files at run time (pino's and node-cron's workers,
    // discord.js's shard workers); and Bolt, which the adapter import()s: bundled, that CommonJS would lose its named
    // exports. The rest is bundled: as hundreds of separate ES modules, kysely, zod and the Slack Web API client cost
    // tens of MB of memory and most of the start-up time.
    external: ["better-sqlite3", "@resvg/resvg-js", "pg-native", "pino", "node-cron", "discord.js", "@slack/bolt"],
    // CommonJS bundled into ES modules needs `require` for Node's built-ins and the packages above.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    logLevel: "warning",
  });
  await buildChartFont(root);
}

await build();
