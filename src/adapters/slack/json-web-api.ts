import { type RetryOptions, WebAPIHTTPError, WebAPIPlatformError, WebAPIRequestError } from "@slack/web-api";
import { type Dispatcher, interceptors } from "undici";
import { slackAgent } from "./keep-alive-fetch.ts";

/**
 * The calls a fan-out or a click makes for every channel or member, as JSON bodies through undici's request: Web API
 * write methods (Slack's recommended encoding for chat.postMessage and chat.update) and response_url replies.
 * The Web API client form-encodes every call and copies and serialises it twice more for a debug log that is never
 * written: half its cost, a tenth of a digest fan-out's CPU. Bolt's respond goes through the client's fetch, which with
 * undici's fetch more than doubled a click's CPU (npm run bench, fan-out and slack-http).
 * Errors are the Web API client's classes, so one mapping serves both.
 */
export class JsonWebApi {
  private readonly origin: string;
  private readonly path: string;
  private readonly retrying: Dispatcher;

  constructor(apiUrl: string, retry: RetryOptions) {
    const url = new URL(apiUrl);
    this.origin = url.origin;
    this.path = url.pathname;
    // The client's retry options, applied by undici: a 429 after its Retry-After (at most `maxTimeout`), a 5xx or a
    // network error after pauses growing by `factor`, `retries` times at most.
    this.retrying = slackAgent.compose(
      interceptors.retry({
        methods: ["POST"],
        maxRetries: retry.retries ?? 10,
        minTimeout: retry.minTimeout ?? 1000,
        maxTimeout: retry.maxTimeout ?? Number.POSITIVE_INFINITY,
        timeoutFactor: retry.factor ?? 2,
        // The last failed answer comes back as a response, its body included, instead of a bare "Request failed".
        throwOnError: false,
      }),
    );
  }

  /** A Web API method; its own error (`ok: false`) is thrown as a platform error, not retried. */
  async call(method: string, token: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const text = await send(this.retrying, {
      origin: this.origin,
      path: `${this.path}${method}`,
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json; charset=utf-8", accept: "application/json" },
      body: JSON.stringify(body),
    });
    const result = parseJson(text) ?? { ok: false, error: text };
    if (result.ok !== true) throw new WebAPIPlatformError({ ...result, ok: false, error: String(result.error ?? "unknown_error") });
    return result;
  }

  /** A reply through an interaction's response_url, not retried (as Bolt's respond). */
  async reply(responseUrl: string, message: Record<string, unknown>): Promise<void> {
    const url = new URL(responseUrl);
    await send(slackAgent, {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
    });
  }
}

/** The body of a 200 answer; anything else throws as the Web API client would. */
async function send(dispatcher: Dispatcher, options: Dispatcher.RequestOptions): Promise<string> {
  const response = await dispatcher.request(options).catch((error: Error) => {
    throw new WebAPIRequestError(error);
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) {
    const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, String(value)]));
    throw new WebAPIHTTPError(response.statusCode, response.statusText, headers, text);
  }
  return text;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
