import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ReportError } from "../core/errors.js";
import type { JobRecord, JobRegistry } from "../core/jobs/index.js";
import type { ReportRuntime } from "../core/runtime.js";
import { registerWebRoutes } from "../web/routes.js";
import { buildOpenApiDocument } from "./openapi.js";
import { registerCorpusRoutes } from "./routes-corpus.js";
import { payloadTooLarge, serviceUnavailable } from "./responses.js";
import { registerMcpRoute } from "./routes-mcp.js";
import { registerStreamingRoutes } from "./routes-streaming.js";
import { bodyCap, hostGuard, tokenGuard, type HostPolicy } from "./security.js";
import { RPC_CODES, rpcErrorBody } from "./wire.js";

export type HttpAppOptions = {
  jobs: JobRegistry;
  runtime: () => Promise<ReportRuntime>;
  version: string;
  hostPolicy: HostPolicy;
  token: string | null;
  /** Request body cap in bytes; default 256 KiB. */
  maxBodyBytes?: number;
  /** SSE keep-alive comment interval; default 15 s. */
  keepAliveMs?: number;
  log?: (line: string) => void;
  onFrame?: (record: JobRecord) => void;
  /** Lists the original orchestrator's tool name in MCP tools/list (see createMcpServer). */
  listSeedTool?: boolean;
  /** Corpus folders whose documents `GET /corpus/document` may serve (none: the route refuses every file). */
  corpusFolders?: string[];
};

/**
 * The whole HTTP face on one Hono app: security middleware (Host/Origin, bearer token), the SSE
 * API, `/mcp`, `/openapi.json`, `/health` and the web page. Errors never escape as crashes.
 */
export function createHttpApp(options: HttpAppOptions): { app: Hono; close(): Promise<void> } {
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const app = new Hono();

  app.use("*", hostGuard(options.hostPolicy));
  app.use("*", tokenGuard(options.token));
  app.use(
    "*",
    bodyCap(maxBodyBytes, (c) => payloadTooLarge(c, maxBodyBytes)),
  );
  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
  });

  app.get("/health", (c) => c.json({ status: "ok", version: options.version }));
  app.get("/openapi.json", (c) => c.json(buildOpenApiDocument({ version: options.version })));
  registerStreamingRoutes(app, { jobs: options.jobs, keepAliveMs, onFrame: options.onFrame, runtime: options.runtime });
  const mcp = registerMcpRoute(app, {
    jobs: options.jobs,
    runtime: options.runtime,
    version: options.version,
    maxBodyBytes,
    keepAliveMs,
    log: options.log,
    listSeedTool: options.listSeedTool,
  });
  registerWebRoutes(app);
  registerCorpusRoutes(app, { folders: options.corpusFolders ?? [] });

  app.notFound((c) => {
    const message = `No route ${c.req.method} ${c.req.path}; see GET /openapi.json for the API.`;
    return c.json(rpcErrorBody({ code: RPC_CODES.serverError, message: "Not found", data: { message } }), 404);
  });
  app.onError((error, c) => {
    // Middleware refusals (bearer-auth's 401) carry their finished response.
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof ReportError && error.status === 503) return serviceUnavailable(c, error);
    options.log?.(
      `report-mcp: ${c.req.method} ${c.req.path} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    const message =
      "The server hit an unexpected error handling this request; it is still running. Try again, and report the issue if it persists.";
    return c.json(
      rpcErrorBody({
        code: RPC_CODES.internalError,
        message: "Internal error",
        data: { type: "report_generation_failed", message },
      }),
      500,
    );
  });

  return { app, close: () => mcp.close() };
}
