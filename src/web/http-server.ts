import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { HttpLimits } from "../config.ts";
import { holdToLimits, serverOptions } from "./http-limits.ts";
import type { WebRoutes } from "./web-app.ts";

/** The bot's own HTTP server, for deployments where Slack's HTTP receiver does not serve (Discord, Socket Mode, console). */
export class WebServer {
  private server: Server | undefined;

  constructor(
    private readonly web: WebRoutes,
    private readonly limits: HttpLimits,
    private readonly drainMs: number,
  ) {}

  async start(port: number, host: string): Promise<void> {
    const server = createServer(serverOptions(this.limits), this.web.listener);
    holdToLimits(server, this.limits);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
  }

  /** The port actually bound (PORT=0 picks a free one). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  /** Stops accepting, lets requests in flight finish for drainMs, then cuts them. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), this.drainMs);
    try {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    } finally {
      clearTimeout(cut);
    }
  }
}
