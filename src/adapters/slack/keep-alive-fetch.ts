import type { FetchFunction } from "@slack/web-api";
import { Agent, fetch as undiciFetch } from "undici";

/**
 * Every request to Slack (Web API calls, response_url replies) goes over these kept-alive connections: an idle one
 * closes after 4 s (undici's default, or sooner when the server's Keep-Alive header says so); a request with no answer
 * for 30 s fails.
 */
export const slackAgent = new Agent({ headersTimeout: 30_000, bodyTimeout: 30_000 });

/**
 * The `fetch` given to Bolt and the Web API client: undici's, on `slackAgent`. File uploads carry Node's own FormData,
 * which undici 7's fetch does not recognise (it would send "[object FormData]"): those go through Node's fetch.
 */
export const keepAliveFetch: FetchFunction = (url, init = {}) => {
  const { body, ...rest } = init;
  return body instanceof FormData ? fetch(url, init) : undiciFetch(url, { ...rest, body, dispatcher: slackAgent });
};
