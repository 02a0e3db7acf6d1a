import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../src", import.meta.url));
const coreDir = join(src, "core");
/** The only packages the kernel may load: pure JavaScript, no SDK, no SQL driver or query builder, no native addon. */
const allowedPackages = new Set(["lru-cache", "luxon"]);

/** The modules a file loads when it runs: type-only imports are erased, so they load nothing. */
function runtimeImports(source: string): string[] {
  const specs: string[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+["']([^"']+)["']/gms)) {
    const [, , typeOnly, clause = "", spec = ""] = m;
    const allTypes =
      /^\{[^}]*\}$/.test(clause.trim()) &&
      clause
        .replace(/[{}\s]/g, "")
        .split(",")
        .filter(Boolean)
        .every((x) => x.startsWith("type"));
    if (!typeOnly && !allTypes) specs.push(spec);
  }
  for (const m of source.matchAll(/^\s*import\s+["']([^"']+)["']/gm)) specs.push(m[1] ?? "");
  for (const m of source.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) specs.push(m[1] ?? "");
  return specs;
}

/** Every module the kernel's files load, followed through relative imports all the way down. */
function kernelClosure() {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = readdirSync(coreDir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(coreDir, f));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of runtimeImports(readFileSync(file, "utf8"))) {
      if (spec.startsWith(".")) {
        const target = resolve(dirname(file), spec);
        expect(existsSync(target), `${relative(src, file)} imports a missing ${spec}`).toBe(true);
        queue.push(target);
      } else packages.set(spec, relative(src, file));
    }
  }
  return { files, packages };
}

describe("kernel boundary (src/core, followed transitively)", () => {
  const { files, packages } = kernelClosure();

  it("follows the kernel's imports: the delivery module reaches the gate, and type-only imports are not followed", () => {
    expect([...files].map((f) => relative(src, f))).toContain("core/gate.ts");
    expect(runtimeImports('import type { Db } from "../store/database.ts";')).toEqual([]);
    expect(runtimeImports('import { type A, type B } from "./x.ts";')).toEqual([]);
    expect(runtimeImports('import { type A, b } from "./x.ts";')).toEqual(["./x.ts"]);
  });

  it("loads no module outside src/core: no feature, adapter, store or chart code", () => {
    const outside = [...files].map((f) => relative(src, f)).filter((f) => !f.startsWith("core/"));
    expect(outside).toEqual([]);
  });

  it("loads only Node's built-ins and pure packages: no platform SDK, SQL driver, query builder or native addon", () => {
    const builtins = new Set(builtinModules);
    const bad = [...packages].filter(([spec]) => !spec.startsWith("node:") && !builtins.has(spec) && !allowedPackages.has(spec));
    expect(bad).toEqual([]);
  });
});
