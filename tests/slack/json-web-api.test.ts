import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callJson, SlackPlatformError } from "../../src/adapters/slack/json-web-api.ts";

type Answer = { status: number; body: string; retryAfter?: string };

describe("callJson: Web API write methods with JSON bodies", () => {
  let server: Server;
  let api: string;
  let answers: Answer[];
  const seen: Array<{ url: string; authorization: string | undefined; contentType: string | undefined; body: string }> = [];
  const retry = { retries: 3, factor: 2, minTimeout: 1000, maxTimeout: 3000 };
  const pauses: number[] = [];
  const sleep = async (ms: number) => {
    pauses.push(ms);
  };

  beforeEach(async () => {
    seen.length = 0;
    pauses.length = 0;
    answers = [];
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        seen.push({ url: req.url ?? "", authorization: req.headers.authorization, contentType: req.headers["content-type"], body });
        const answer = answers.shift() ?? { status: 200, body: '{"ok":true,"ts":"1.000001"}' };
        res.writeHead(answer.status, {
          "content-type": "application/json",
          ...(answer.retryAfter ? { "retry-after": answer.retryAfter } : {}),
        });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("posts the arguments as JSON with the token in the Authorization header, and returns Slack's answer", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "Ünïcode & <tags>" } }];
    const result = await callJson(api, "chat.postMessage", "xoxb-1", { channel: "C1", text: "hi", blocks }, retry, sleep);
    expect(result).toEqual({ ok: true, ts: "1.000001" });
    expect(seen).toEqual([
      {
        url: "/api/chat.postMessage",
        authorization: "Bearer xoxb-1",
        contentType: "application/json; charset=utf-8",
        body: JSON.stringify({ channel: "C1", text: "hi", blocks }),
      },
    ]);
  });

  it("throws a method's own error as a platform error, without retrying it", async () => {
    answers = [{ status: 200, body: '{"ok":false,"error":"not_in_channel"}' }];
    const error = await callJson(api, "chat.postMessage", "xoxb-1", { channel: "C1" }, retry, sleep).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackPlatformError);
    expect((error as SlackPlatformError).data.error).toBe("not_in_channel");
    expect(seen).toHaveLength(1);
  });

  it("waits a 429's Retry-After, and pauses growing by the factor after other failures, then succeeds", async () => {
    answers = [
      { status: 429, body: '{"ok":false,"error":"ratelimited"}', retryAfter: "7" },
      { status: 503, body: "unavailable" },
      { status: 502, body: "bad gateway" },
    ];
    const result = await callJson(api, "chat.update", "xoxb-1", { channel: "C1", ts: "1.1" }, retry, sleep);
    expect(result.ok).toBe(true);
    expect(seen).toHaveLength(4);
    expect(pauses).toEqual([7000, 2000, 3000]);
  });

  it("gives up after the retries with the last failure, and at once on a 429 without Retry-After", async () => {
    answers = Array.from({ length: 4 }, () => ({ status: 500, body: "oops" }));
    await expect(callJson(api, "chat.postMessage", "xoxb-1", {}, retry, sleep)).rejects.toThrow("chat.postMessage answered HTTP 500");
    expect([seen.length, pauses]).toEqual([4, [1000, 2000, 3000]]);
    answers = [{ status: 429, body: "{}" }];
    await expect(callJson(api, "chat.postMessage", "xoxb-1", {}, retry, sleep)).rejects.toThrow("429 without a Retry-After");
    expect(seen).toHaveLength(5);
  });

  it("retries a refused connection, then reports it", async () => {
    const closed = api;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await expect(callJson(closed, "chat.postMessage", "xoxb-1", {}, { ...retry, retries: 1 }, sleep)).rejects.toThrow(/ECONNREFUSED/);
    expect(pauses).toEqual([1000]);
    server.listen(0, "127.0.0.1");
  });
});
