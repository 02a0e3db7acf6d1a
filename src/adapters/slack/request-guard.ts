import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";

/** Slack's replay window: a request signed more than 5 minutes before or after now is refused. */
const replayWindowSeconds = 5 * 60;

/**
 * What Bolt's HTTP receiver leaves to the app, checked before it sees a request to the events endpoint: a timestamp
 * from the future (Bolt refuses only old ones), a body over the limit, and a body that is not a JSON object (a signed
 * `null` threw inside Bolt and was never answered). The body is read once here and handed to Bolt as `rawBody`.
 */
export function guardEvents(inner: RequestListener, options: { path: string; bodyLimitBytes: number }): RequestListener {
  return (req, res) => {
    if (req.method !== "POST" || new URL(req.url ?? "/", "http://localhost").pathname !== options.path) return inner(req, res);
    const timestamp = Number(req.headers["x-slack-request-timestamp"]);
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > replayWindowSeconds) return answer(res, 401);
    readBody(req, options.bodyLimitBytes).then(
      (body) => {
        if (body === undefined) return answer(res, 413);
        if (!isObjectPayload(body, req.headers["content-type"])) return answer(res, 400);
        (req as IncomingMessage & { rawBody: Buffer }).rawBody = body;
        return inner(req, res);
      },
      () => answer(res, 400),
    );
  };
}

function answer(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

/** The whole body, or undefined once it passes the limit. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * A JSON body, or a form's `payload` field, must be a JSON object; other forms (slash commands) are objects already.
 * Valid JSON is an object exactly when it starts with "{", so nothing is parsed here: Bolt parses it once, and answers
 * malformed JSON with 400 itself.
 */
function isObjectPayload(body: Buffer, contentType: string | undefined): boolean {
  const text = body.toString("utf8");
  if (contentType === "application/json") return text.trimStart().startsWith("{");
  const payload = new URLSearchParams(text).get("payload");
  return payload === null || payload.trimStart().startsWith("{");
}
