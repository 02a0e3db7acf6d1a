import { type ChildProcess, execFile, type StdioOptions, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The built entry point (vitest's global setup builds it) with `args`, these variables on top of the environment, run
 * from `cwd` (the project by default); resolves with its output and exit code.
 */
export async function studyBot(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["bin/study-bot.js", ...args], {
      cwd: options.cwd ?? projectRoot,
      env: { ...process.env, ...options.env },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const { stdout, stderr, code } = error as { stdout: string; stderr: string; code: number };
    return { stdout, stderr, code };
  }
}

/** `study-bot run` from the built entry point as its own process, with these variables on top of the environment. */
export function spawnStudyBot(env: Record<string, string>, stdio: StdioOptions = "ignore"): ChildProcess {
  return spawn(process.execPath, ["bin/study-bot.js", "run"], { cwd: projectRoot, env: { ...process.env, ...env }, stdio });
}
