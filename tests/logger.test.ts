import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";

describe("logs", () => {
  it("never carry a token: token fields are redacted and token-shaped text is masked", () => {
    const file = join(mkdtempSync(join(tmpdir(), "study-bot-log-")), "log.json");
    const log = createLogger("info", pino.destination({ dest: file, sync: true }));
    log.info(
      { token: "xoxb-1-2-secret", installation: { botToken: "xoxb-3-4-secret" }, request: { headers: { authorization: "Bearer abc" } } },
      "stored",
    );
    log.error(
      { err: new Error("auth failed for xoxb-5-6-secret (header Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.OTAx.abcdefghijkl)") },
      "slack call failed",
    );
    log.warn({ appToken: "xapp-1-A1-secret" }, "socket");
    const written = readFileSync(file, "utf8");
    expect(written).not.toMatch(/secret|xox[a-z]-|xapp-|MTIzNDU2/);
    expect(written.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(6);
    expect(written).toContain('"msg":"slack call failed"');
  });
});
