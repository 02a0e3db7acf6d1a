import type { IncomingMessage, ServerResponse } from "node:http";
import type { App } from "@slack/bolt";
import type { WebClientOptions } from "@slack/web-api";
import type { HttpLimits } from "../../config.ts";
import { boltLogger } from "./bolt-logger.ts";
import { guardEvents } from "./request-guard.ts";
import type { SlackAdapterOptions } from "./slack-adapter.ts";

/** The bot scopes: slack/manifest.yaml declares the same list, with the reason for each. */
export const slackScopes = [
  "commands",
  "chat:write",
  "users:read",
  "channels:history",
  "groups:history",
  "usergroups:read",
  "files:write",
  "files:read",
  "im:write",
];
const eventsPath = "/slack/events";

/**
 * The Bolt app that receives events: over Socket Mode with an app token, else over HTTP on `/slack/events` (with the
 * bot's other routes: health, metrics, the dashboard; OAuth installs when configured, and the request guard). Bolt (Express, OAuth, Socket Mode) is
 * loaded only here: `digest run-due` needs the WebClient alone.
 */
export async function createBoltApp(
  o: SlackAdapterOptions,
  clientOptions: WebClientOptions,
  limits: HttpLimits,
): Promise<{ app: App; authorizationError: string }> {
  const { App, ErrorCode, HTTPReceiver } = await import("@slack/bolt");
  const logger = boltLogger(o.log);
  const web = o.web;
  const routes = (web?.routes ?? []).map((route) => ({
    path: route.path,
    method: route.methods,
    handler: (req: IncomingMessage, res: ServerResponse) => web?.listener(req, res),
  }));
  const oauth = o.oauth
    ? {
        clientId: o.oauth.clientId,
        clientSecret: o.oauth.clientSecret,
        stateSecret: o.oauth.stateSecret,
        installationStore: o.oauth.installationStore,
        scopes: slackScopes,
        installerOptions: { clientOptions, directInstall: false },
      }
    : {};
  const token = o.oauth ? {} : { token: o.botToken };
  // No conversation state is kept: Bolt's default store creates an Error with a stack trace for every event it has
  // nothing for, about a tenth of a click's CPU (npm run bench, slack-http).
  const convoStore = false;
  if (o.appToken) {
    const app = new App({
      ...token,
      ...oauth,
      appToken: o.appToken,
      socketMode: true,
      clientOptions,
      logger,
      extendedErrorHandler: true,
      convoStore,
    });
    return { app, authorizationError: ErrorCode.AuthorizationError };
  }
  const receiver = new HTTPReceiver({
    signingSecret: o.signingSecret,
    bodyLimit: limits.bodyLimitBytes,
    endpoints: eventsPath,
    customRoutes: routes,
    logger,
    ...oauth,
  });
  receiver.requestListener = guardEvents(receiver.requestListener, { path: eventsPath, bodyLimitBytes: limits.bodyLimitBytes });
  const app = new App({ ...token, convoStore, clientOptions, logger, receiver, deferInitialization: true, extendedErrorHandler: true });
  return { app, authorizationError: ErrorCode.AuthorizationError };
}
