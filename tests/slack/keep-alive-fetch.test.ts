import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { keepAliveFetch } from "../../src/adapters/slack/keep-alive-fetch.ts";

interface Seen {
  method: string;
  contentType: string | undefined;
  body: string;
  remotePort: number | undefined;
}

describe("keepAliveFetch: the fetch Bolt and the Web API client use", () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let answer: (req: IncomingMessage, res: ServerResponse) => void;

  beforeEach(async () => {
    seen.length = 0;
    answer = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "X-OAuth-Scopes": "chat:write" });
      res.end('{"ok":true,"ts":"1.000001"}');
    };
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        seen.push({ method: req.method ?? "", contentType: req.headers["content-type"], body, remotePort: req.socket.remotePort });
        answer(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("posts a string body and reads status, headers and JSON", async () => {
    const response = await keepAliveFetch(`${base}/api/chat.postMessage`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"text":"héllo ✓"}',
    });
    expect(seen).toEqual([expect.objectContaining({ method: "POST", contentType: "application/json", body: '{"text":"héllo ✓"}' })]);
    expect(response.ok).toBe(true);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${base}/api/chat.postMessage`);
    expect(response.headers.get("x-oauth-scopes")).toBe("chat:write");
    expect(response.headers.get("retry-after")).toBeNull();
    expect(await response.json()).toEqual({ ok: true, ts: "1.000001" });
  });

  it("reaches a server by an IPv6 address in brackets", async () => {
    const v6 = createServer((_req, res) => res.end("v6"));
    await new Promise<void>((resolve) => v6.listen(0, "::1", resolve));
    try {
      const response = await keepAliveFetch(`http://[::1]:${(v6.address() as AddressInfo).port}/api/chat.postMessage`, {
        method: "POST",
        body: "x",
      });
      expect(await response.text()).toBe("v6");
    } finally {
      v6.closeAllConnections();
      await new Promise((resolve) => v6.close(resolve));
    }
  });

  it("returns an error status with its headers and body instead of throwing", async () => {
    answer = (_req, res) => {
      res.writeHead(429, "Too Many Requests", { "Retry-After": "3" });
      res.end("slow down");
    };
    const response = await keepAliveFetch(`${base}/api/chat.postMessage`, { method: "POST", body: "x=1" });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(429);
    expect(response.statusText).toBe("Too Many Requests");
    expect(response.headers.get("Retry-After")).toBe("3");
    expect(await response.text()).toBe("slow down");
  });

  it("reuses kept-alive connections instead of opening one a request", async () => {
    for (let i = 0; i < 6; i++) await (await keepAliveFetch(`${base}/api/auth.test`, { method: "POST", body: "" })).text();
    expect(seen).toHaveLength(6);
    // undici may open a second connection when the next request goes out before the first connection reports it is free.
    expect(new Set(seen.map((s) => s.remotePort)).size).toBeLessThanOrEqual(2);
  });

  it("rejects when the signal aborts a request the server never answers", async () => {
    answer = () => {};
    await expect(keepAliveFetch(`${base}/api/auth.test`, { method: "POST", body: "", signal: AbortSignal.timeout(100) })).rejects.toThrow(
      /abort/i,
    );
  });

  it("rejects when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await keepAliveFetch(`http://127.0.0.1:${port}/api/auth.test`, { method: "POST", body: "" }).catch((e: Error) => e);
    expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe("ECONNREFUSED");
  });

  it("sends a file upload built with Node's own FormData as multipart (as the Web API client's files.uploadV2 does)", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array([137, 80, 78, 71])]), "chart.png");
    const response = await keepAliveFetch(`${base}/upload`, { method: "POST", body: form });
    expect(response.status).toBe(200);
    expect(seen[0]?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]?.body).toContain('filename="chart.png"');
  });
});
