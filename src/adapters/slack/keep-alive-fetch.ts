import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";

/** Idle sockets close after this (or sooner when the server's Keep-Alive header says so). */
const idleSocketMs = 4_000;
/** A request with no socket activity for this long fails; the Web API client retries it. */
const requestTimeoutMs = 30_000;

const agents = {
  "http:": new http.Agent({ keepAlive: true, timeout: idleSocketMs }),
  "https:": new https.Agent({ keepAlive: true, timeout: idleSocketMs }),
};

/** Where a request goes, parsed once: callers that send to the same URL again keep it (see json-web-api.ts). */
export interface Target {
  href: string;
  protocol: string;
  hostname: string;
  port: string;
  path: string;
}

/** As node:http reads a URL: an IPv6 host without its brackets. */
export function targetOf(url: URL): Target {
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return { href: url.href, protocol: url.protocol, hostname, port: url.port, path: `${url.pathname}${url.search}` };
}

/**
 * The `fetch` given to Bolt and the Web API client (Web API calls and response_url replies): node:http over kept-alive
 * sockets. Node's built-in fetch took about 250 µs of CPU a request against about 50 µs for this, and a digest fan-out
 * makes two requests a channel (npm run bench, fan-out). Bodies other than strings (file uploads) use the built-in fetch.
 */
export const keepAliveFetch: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const body = init?.body ?? undefined;
  if (input instanceof Request || !(url.protocol in agents) || (body !== undefined && typeof body !== "string")) return fetch(input, init);
  const headers = Object.fromEntries(new Headers(init?.headers));
  return send(targetOf(url), init?.method ?? "GET", headers, body, init?.signal ?? undefined) as Promise<unknown> as Promise<Response>;
};

/** One request on a kept-alive socket; `headers` are plain lower-case names. The body is read whole. */
export function send(
  target: Target,
  method: string,
  headers: Record<string, string>,
  body?: string,
  signal?: AbortSignal,
): Promise<PlainResponse> {
  const agent = agents[target.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new Error(`unsupported protocol ${target.protocol}`));
  return new Promise<PlainResponse>((resolve, reject) => {
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    const options = {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      path: target.path,
      method,
      headers,
      agent,
      signal,
    };
    const request = (target.protocol === "https:" ? https : http).request(options, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () =>
        resolve(
          new PlainResponse(target.href, response.statusCode ?? 0, response.statusMessage ?? "", response.headers, Buffer.concat(chunks)),
        ),
      );
    });
    request.setTimeout(requestTimeoutMs, () =>
      request.destroy(new Error(`no response from ${target.hostname} in ${requestTimeoutMs / 1000} s`)),
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** The part of the Fetch API's Response that Bolt and the Web API client read, over a body already received. */
class PlainResponse {
  readonly ok: boolean;
  readonly headers: PlainHeaders;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    headers: IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new PlainHeaders(headers);
  }

  async text(): Promise<string> {
    return this.body.toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString("utf8"));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }
}

class PlainHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name) as string];
  }

  [Symbol.iterator]() {
    return this.entries();
  }
}
