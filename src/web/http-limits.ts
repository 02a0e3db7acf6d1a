import type { IncomingMessage, Server, ServerOptions, ServerResponse } from "node:http";
import type { HttpLimits } from "../config.ts";

export const defaultHttpLimits: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  maxConnections: 1000,
  bodyLimitBytes: 64 * 1024,
};

/**
 * Slow clients get a deadline for their headers and for the whole request (checked every second): a client trickling
 * bytes cannot hold the server, or its shutdown, for minutes.
 */
export function serverOptions(limits: HttpLimits): ServerOptions {
  return { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1000 };
}

/** Caps the connections, and closes a client answered before its body was read (413), which could go on sending forever. */
export function holdToLimits(server: Server, limits: HttpLimits): void {
  server.maxConnections = limits.maxConnections;
  server.on("request", (req: IncomingMessage, res: ServerResponse) =>
    res.on("finish", () => {
      if (req.complete) return;
      req.socket.end();
      setTimeout(() => req.socket.destroy(), 1000).unref();
    }),
  );
}
