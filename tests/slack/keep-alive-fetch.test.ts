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

describe("keepAliveFetch", () => {
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

  it("posts a string body and reads status, headers and JSON as fetch does", async () => {
    const response = await keepAliveFetch(`${base}/api/chat.postMessage`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      // Multi-byte text: the Content-Length must count bytes, not characters.
      body: '{"text":"héllo ✓"}',
    });
    expect(seen).toEqual([expect.objectContaining({ method: "POST", contentType: "application/json", body: '{"text":"héllo ✓"}' })]);
    expect(response.ok).toBe(true);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${base}/api/chat.postMessage`);
    expect(response.headers.get("x-oauth-scopes")).toBe("chat:write");
    expect(response.headers.get("Content-Type")).toBe("application/json");
    expect(response.headers.get("retry-after")).toBeNull();
    expect(Object.fromEntries(response.headers.entries())).toMatchObject({ "content-type": "application/json" });
    expect(await response.json()).toEqual({ ok: true, ts: "1.000001" });
  });

  it("sends headers given as a Headers object or as pairs, as fetch would", async () => {
    await keepAliveFetch(`${base}/a`, { method: "POST", headers: new Headers({ "Content-Type": "application/json" }), body: "{}" });
    await keepAliveFetch(`${base}/b`, { method: "POST", headers: [["Content-Type", "text/plain"]], body: "x" });
    expect(seen.map((s) => s.contentType)).toEqual(["application/json", "text/plain"]);
  });

  it("reaches a server by an IPv6 address in brackets, as fetch does", async () => {
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

  it("sends one request after another over the same kept-alive socket", async () => {
    for (let i = 0; i < 3; i++) await (await keepAliveFetch(`${base}/api/auth.test`, { method: "POST", body: "" })).text();
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.remotePort)).size).toBe(1);
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
    await expect(keepAliveFetch(`http://127.0.0.1:${port}/api/auth.test`, { method: "POST", body: "" })).rejects.toThrow(/ECONNREFUSED/);
  });

  it("hands a file upload (FormData) to the built-in fetch", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array([137, 80, 78, 71])]), "chart.png");
    const response = await keepAliveFetch(`${base}/upload`, { method: "POST", body: form });
    expect(response).toBeInstanceOf(Response);
    expect(seen[0]?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]?.body).toContain('filename="chart.png"');
  });
});
