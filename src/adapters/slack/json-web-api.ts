import type { RetryOptions } from "@slack/web-api";
import { send, type Target, targetOf } from "./keep-alive-fetch.ts";

/** A method's `ok: false` answer, shaped like the Web API client's platform error so one mapping serves both. */
export class SlackPlatformError extends Error {
  readonly code = "slack_webapi_platform_error";

  constructor(readonly data: { ok: false; error: string }) {
    super(`An API error occurred: ${data.error}`);
  }
}

/**
 * Calls a Web API write method with a JSON body (Slack's recommended encoding for chat.postMessage and chat.update)
 * on a kept-alive socket, to a URL parsed once. The Web API client form-encodes every call and copies and serialises
 * it twice more for a debug log that is never written: half its cost, a tenth of a digest fan-out's CPU (npm run bench,
 * fan-out).
 * Failures are retried as that client retries them: a 429 after its Retry-After, a network error or another status
 * after pauses growing by `factor`, `retries` times at most. A method's own error (`ok: false`) is not retried.
 */
export async function callJson(
  apiUrl: string,
  method: string,
  token: string,
  body: Record<string, unknown>,
  retry: RetryOptions,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<Record<string, unknown>> {
  const target = targetFor(`${apiUrl}${method}`);
  const json = JSON.stringify(body);
  const retries = retry.retries ?? 10;
  for (let attempt = 0; ; attempt++) {
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json; charset=utf-8", accept: "application/json" };
    const response = await send(target, "POST", headers, json).catch((error: Error) => error);
    let failure: Error;
    let pause = backoff(retry, attempt);
    if (response instanceof Error) {
      failure = response;
    } else if (response.status === 200) {
      const text = await response.text();
      const result = parseJson(text) ?? { ok: false, error: text };
      if (result.ok !== true) throw new SlackPlatformError({ ok: false, error: String(result.error ?? "unknown_error") });
      return result;
    } else {
      await response.text();
      failure = new Error(`${method} answered HTTP ${response.status}`);
      if (response.status === 429) {
        const retryAfter = Number.parseInt(response.headers.get("retry-after") ?? "", 10);
        if (Number.isNaN(retryAfter)) throw new Error(`${method} answered 429 without a Retry-After`);
        pause = retryAfter * 1000;
      }
    }
    if (attempt >= retries) throw failure;
    await sleep(pause);
  }
}

/** The few method URLs called, parsed once: a fan-out calls the same two for every channel. */
const targets = new Map<string, Target>();

function targetFor(url: string): Target {
  let target = targets.get(url);
  if (!target) {
    target = targetOf(new URL(url));
    targets.set(url, target);
  }
  return target;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function backoff(retry: RetryOptions, attempt: number): number {
  return Math.min(retry.maxTimeout ?? Number.POSITIVE_INFINITY, (retry.minTimeout ?? 1000) * (retry.factor ?? 2) ** attempt);
}
