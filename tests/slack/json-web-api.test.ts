import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRequestError } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonWebApi } from "../../src/adapters/slack/json-web-api.ts";

type Answer = { status: number; body: string; retryAfter?: string };
interface Seen {
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
  remotePort: number | undefined;
  at: number;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, host = "127.0.0.1"): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return server;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe("JsonWebApi: Web API write methods and response_url replies as JSON", () => {
  let server: Server;
  let api: string;
  let answers: Answer[];
  const seen: Seen[] = [];
  const retry = { retries: 3, factor: 2, minTimeout: 50, maxTimeout: 3000 };

  beforeEach(async () => {
    seen.length = 0;
    answers = [];
    server = await listen((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        seen.push({
          url: req.url ?? "",
          authorization: req.headers.authorization,
          contentType: req.headers["content-type"],
          body,
          remotePort: req.socket.remotePort,
          at: performance.now(),
        });
        const answer = answers.shift() ?? { status: 200, body: '{"ok":true,"ts":"1.000001"}' };
        res.writeHead(answer.status, {
          "content-type": "application/json",
          ...(answer.retryAfter ? { "retry-after": answer.retryAfter } : {}),
        });
        res.end(answer.body);
      });
    });
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });

  afterEach(() => close(server));

  const gaps = () => seen.slice(1).map((s, i) => s.at - (seen[i] as Seen).at);

  it("posts the arguments as JSON with the token in the Authorization header, and returns Slack's answer", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "Ünïcode & <tags>" } }];
    const result = await new JsonWebApi(api, retry).call("chat.postMessage", "xoxb-1", { channel: "C1", text: "hi", blocks });
    expect(result).toEqual({ ok: true, ts: "1.000001" });
    expect(seen).toEqual([
      expect.objectContaining({
        url: "/api/chat.postMessage",
        authorization: "Bearer xoxb-1",
        contentType: "application/json; charset=utf-8",
        body: JSON.stringify({ channel: "C1", text: "hi", blocks }),
      }),
    ]);
  });

  it("reuses kept-alive connections instead of opening one a call", async () => {
    const client = new JsonWebApi(api, retry);
    for (let i = 0; i < 6; i++) await client.call("chat.update", "xoxb-1", { channel: "C1", ts: "1.1" });
    expect(seen).toHaveLength(6);
    // undici may open a second connection when the next call goes out before the first connection reports it is free.
    expect(new Set(seen.map((s) => s.remotePort)).size).toBeLessThanOrEqual(2);
  });

  it("reaches an API URL with an IPv6 host in brackets", async () => {
    const v6 = await listen((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, path: req.url }));
    }, "::1");
    try {
      const client = new JsonWebApi(`http://[::1]:${(v6.address() as AddressInfo).port}/api/`, retry);
      expect(await client.call("chat.postMessage", "xoxb-1", {})).toEqual({ ok: true, path: "/api/chat.postMessage" });
    } finally {
      await close(v6);
    }
  });

  it("throws a method's own error as the Web API client's platform error, without retrying it", async () => {
    answers = [{ status: 200, body: '{"ok":false,"error":"not_in_channel"}' }];
    const error = await new JsonWebApi(api, retry).call("chat.postMessage", "xoxb-1", { channel: "C1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect((error as WebAPIPlatformError).data.error).toBe("not_in_channel");
    expect(seen).toHaveLength(1);
  });

  it("waits a 429's Retry-After, and pauses growing by the factor after 5xx answers, then succeeds", async () => {
    answers = [
      { status: 429, body: '{"ok":false,"error":"ratelimited"}', retryAfter: "1" },
      { status: 503, body: "unavailable" },
      { status: 502, body: "bad gateway" },
    ];
    const result = await new JsonWebApi(api, retry).call("chat.update", "xoxb-1", { channel: "C1", ts: "1.1" });
    expect(result.ok).toBe(true);
    expect(seen).toHaveLength(4);
    const [afterRateLimit, afterFirst, afterSecond] = gaps() as [number, number, number];
    expect(afterRateLimit).toBeGreaterThanOrEqual(990);
    // minTimeout × factor^n: 100 ms, then 200 ms (the 429 counted as the first failure).
    expect(afterFirst).toBeGreaterThanOrEqual(95);
    expect(afterSecond).toBeGreaterThanOrEqual(195);
    expect(afterSecond).toBeLessThan(900);
  });

  it("gives up after the retries with the last answer as the Web API client's HTTP error; a 4xx is not retried", async () => {
    answers = Array.from({ length: 4 }, () => ({ status: 500, body: '{"detail":"oops"}' }));
    const error = await new JsonWebApi(api, retry).call("chat.postMessage", "xoxb-1", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect(error).toMatchObject({ statusCode: 500, body: { detail: "oops" } });
    expect(seen).toHaveLength(4);
    answers = [{ status: 404, body: "no such method" }];
    await expect(new JsonWebApi(api, retry).call("chat.nope", "xoxb-1", {})).rejects.toMatchObject({ statusCode: 404 });
    expect(seen).toHaveLength(5);
  });

  it("retries a refused connection, then reports it as the Web API client's request error", async () => {
    await close(server);
    const error = await new JsonWebApi(api, { ...retry, retries: 1 }).call("chat.postMessage", "xoxb-1", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIRequestError);
    expect((error as WebAPIRequestError).original).toMatchObject({ code: "ECONNREFUSED" });
    server = await listen(() => {});
  });

  it("posts a reply to a response_url as JSON without a token, and does not retry a failed one", async () => {
    const base = api.replace(/\/api\/$/, "");
    const client = new JsonWebApi(api, retry);
    await client.reply(`${base}/response/r1?x=1`, { response_type: "ephemeral", text: "hi" });
    expect(seen).toEqual([
      expect.objectContaining({
        url: "/response/r1?x=1",
        authorization: undefined,
        contentType: "application/json",
        body: '{"response_type":"ephemeral","text":"hi"}',
      }),
    ]);
    answers = [{ status: 500, body: "expired" }];
    await expect(client.reply(`${base}/response/r2`, { text: "late" })).rejects.toMatchObject({ statusCode: 500, body: "expired" });
    expect(seen).toHaveLength(2);
  });
});
