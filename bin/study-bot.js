#!/usr/bin/env node
// Runs the build: dist/bundle/cli.js, which `npm run build` makes from src/ (npm install runs it as `prepare`).
// Nothing here compiles TypeScript: after editing src/, run `npm run build` again.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/bundle/cli.js", import.meta.url);

if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  console.error("study-bot: dist/bundle/cli.js is missing: run `npm run build` first (npm install runs it)");
  process.exitCode = 1;
}
