import { Hono } from "hono";
import { hostGuard, tokenGuard, type HostPolicy } from "./security.js";
import { RPC_CODES, rpcErrorBody } from "./wire.js";

export type McpPortAppOptions = {
  /** The main app: `/mcp` and `/health` are handed to it (one MCP route, one session table). */
  main: Hono;
  hostPolicy: HostPolicy;
  token: string | null;
  /** Where everything else is served, for the 404's message, e.g. `http://127.0.0.1:8001`. */
  mainUrl: () => string;
};

/**
 * The app of `serve --mcp-port`: the original orchestrator's MCP port (8000), serving only
 * `/mcp` (and `/health`) under the same rules as the main port — Host/Origin checks and the
 * token here, then the main app's own checks and body caps on the request it is handed.
 */
export function createMcpPortApp(options: McpPortAppOptions): Hono {
  const app = new Hono();
  app.use("*", hostGuard(options.hostPolicy));
  app.use("*", tokenGuard(options.token));
  app.all("/mcp", (c) => options.main.fetch(c.req.raw, c.env));
  app.get("/health", (c) => options.main.fetch(c.req.raw, c.env));
  app.notFound((c) => {
    const message = `This port serves only /mcp (MCP Streamable HTTP) and /health; the SSE API, the web page and the rest are at ${options.mainUrl()}.`;
    return c.json(rpcErrorBody({ code: RPC_CODES.serverError, message: "Not found", data: { message } }), 404);
  });
  return app;
}
