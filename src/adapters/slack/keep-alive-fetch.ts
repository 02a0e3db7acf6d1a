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

/**
 * The `fetch` given to Bolt and the Web API client (Web API calls and response_url replies): node:http over kept-alive
 * sockets. Node's built-in fetch took about 250 µs of CPU a request against about 50 µs for this, and a digest fan-out
 * makes two requests a channel (npm run bench, fan-out). Bodies other than strings (file uploads) use the built-in fetch.
 */
export const keepAliveFetch: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const agent = agents[url.protocol as keyof typeof agents];
  const body = init?.body ?? undefined;
  if (input instanceof Request || !agent || (body !== undefined && typeof body !== "string")) return fetch(input, init);
  return new Promise<Response>((resolve, reject) => {
    const headers = Object.fromEntries(new Headers(init?.headers));
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    const request = (url.protocol === "https:" ? https : http).request(
      url,
      { method: init?.method ?? "GET", headers, agent, signal: init?.signal ?? undefined },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () =>
          resolve(
            new PlainResponse(
              url.href,
              response.statusCode ?? 0,
              response.statusMessage ?? "",
              response.headers,
              Buffer.concat(chunks),
            ) as unknown as Response,
          ),
        );
      },
    );
    request.setTimeout(requestTimeoutMs, () => request.destroy(new Error(`no response from ${url.host} in ${requestTimeoutMs / 1000} s`)));
    request.on("error", reject);
    request.end(body);
  });
};

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
