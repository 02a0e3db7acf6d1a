import { pino } from "pino";

/** Slack tokens (xoxb-, xoxp-, xapp-, ...) and what follows "Bot " or "Bearer " in an authorization value. */
const tokenShaped = /\b(xox[a-z]|xapp)-[A-Za-z0-9-]+|\b(Bot|Bearer) [A-Za-z0-9._-]{20,}/g;

/**
 * JSON logs on stderr, so the console adapter's stdout stays the conversation. Token fields are redacted, and as a
 * safeguard any token-shaped text in a line (an error message quoting a request, say) is masked before it is written.
 */
export function createLogger(level: string, destination = pino.destination(2)) {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          "token",
          "*.token",
          "botToken",
          "*.botToken",
          "appToken",
          "*.appToken",
          "authorization",
          "*.authorization",
          "*.headers.authorization",
        ],
        censor: "[redacted]",
      },
      hooks: { streamWrite: (line) => line.replace(tokenShaped, "[redacted]") },
    },
    destination,
  );
}
