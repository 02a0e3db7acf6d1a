#!/usr/bin/env node
// The bundle `npm run build` makes (npm install runs it) when it was built from the sources as they are now: about half
// the memory and a fraction of the start-up of tsx. After an edit, the TypeScript through tsx, so nothing runs stale.
import { bundleEntry, isFresh } from "../scripts/build.js";

if (isFresh()) {
  await import(bundleEntry);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli.ts");
}
