// `npm run build` (npm install runs it as `prepare`): src/cli.ts bundled into dist/bundle/ for bin/study-bot.js.
// The bundle is a speed-up, never a requirement: bin/study-bot.js runs it only when isFresh(), else the TypeScript.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// Two levels below the root, as src/content/ is: import.meta.url-relative paths (../../seeds) resolve the same.
const outdir = join(root, "dist", "bundle");
const stamp = join(outdir, "sources.sha256");
export const bundleEntry = new URL("../dist/bundle/cli.js", import.meta.url).href;

/** A hash of what the bundle is made from: the sources, the locked dependency versions and this script. */
function sourcesHash() {
  const digest = createHash("sha256");
  const add = (path) => {
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path).sort()) add(join(path, entry));
    else digest.update(path).update(readFileSync(path));
  };
  for (const path of ["src", "migrations", "package-lock.json", "tsconfig.json", "scripts/build.js"]) add(join(root, path));
  return digest.digest("hex");
}

/** True when dist/bundle/ was built from the sources as they are now. */
export function isFresh() {
  try {
    return readFileSync(stamp, "utf8") === sourcesHash();
  } catch {
    return false;
  }
}

async function build() {
  // Hashed before bundling: a file edited during the build leaves the bundle stale, not stamped as fresh.
  const hash = sourcesHash();
  const esbuild = await import("esbuild");
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
  writeFileSync(stamp, hash);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
