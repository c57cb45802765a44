import { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { serve } from "@hono/node-server";
import type { Settings } from "../app/settings.js";
import { ReportError } from "../core/errors.js";
import { ReportJobs, type JobRecord } from "../core/jobs/index.js";
import type { ReportRuntime } from "../core/runtime.js";
import { VERSION } from "../version.js";
import { createHttpApp } from "./app.js";
import { FileJobStore } from "../providers/job-store/file-job-store.js";
import { hostPolicy, isLoopbackHost, type HostPolicy } from "./security.js";

export type ServeHttpOptions = {
  settings: Settings;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 8001; 0 picks a free one. */
  port?: number;
  /** Allows a non-loopback address without a token. */
  force?: boolean;
  /** Bearer token; default settings.token (REPORT_MCP_TOKEN). */
  token?: string | null;
  /** Diagnostics (stderr in the CLI). */
  log?: (line: string) => void;
  /** The runtime; default `createRuntime(settings)` built lazily on the first run. */
  runtime?: ReportRuntime | (() => Promise<ReportRuntime>);
  /** Reports running at once; default 4. */
  maxConcurrent?: number;
  /** SSE keep-alive interval; default 15 s. */
  keepAliveMs?: number;
  /** Request body cap; default 256 KiB. */
  maxBodyBytes?: number;
  /** Extra accepted `Host` values (`name:port`), e.g. behind a reverse proxy. */
  allowedHosts?: string[];
  /** Session retention; default 30 days / 200 sessions. */
  retention?: { maxAgeMs?: number; maxCount?: number };
  /** How long a session waits for /confirm; default 30 min. */
  confirmTimeoutMs?: number;
  /** Called for each SSE frame queued for a client (benchmarks). */
  onFrame?: (record: JobRecord) => void;
};

export type HttpServerHandle = {
  /** Base URL, e.g. `http://127.0.0.1:8001`. */
  url: string;
  jobs: ReportJobs;
  /** Stops accepting requests, ends running reports as `interrupted`, flushes sessions to disk. */
  close(): Promise<void>;
};

/**
 * `report-mcp serve --sse`: the SSE API, `/mcp` (Streamable HTTP), `/openapi.json` and the web page
 * on one port. Refuses a non-loopback address without a token unless `force`.
 */
export async function serveHttp(options: ServeHttpOptions): Promise<HttpServerHandle> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8001;
  const token = options.token === undefined ? options.settings.token : options.token;
  const log = options.log ?? (() => undefined);
  if (!isLoopbackHost(host) && !token && !options.force) {
    throw new ReportError(
      "invalid_params",
      `Refusing to listen on ${host} without a token: anyone who can reach it could run reports on your API keys. Set --token (or REPORT_MCP_TOKEN), bind 127.0.0.1, or pass --force.`,
    );
  }
  const runtime = lazyRuntime(options.runtime, options.settings, log);
  const jobs = new ReportJobs({
    runtime,
    maxConcurrent: options.maxConcurrent,
    store: new FileJobStore({ directory: path.join(options.settings.home, "sessions"), log }),
    retention: options.retention,
    confirmTimeoutMs: options.confirmTimeoutMs,
    log,
  });
  await jobs.restore();
  const policy: HostPolicy = { allowed: new Set() };
  const http = createHttpApp({
    jobs,
    runtime,
    version: VERSION,
    hostPolicy: policy,
    token,
    maxBodyBytes: options.maxBodyBytes,
    keepAliveMs: options.keepAliveMs,
    log,
    onFrame: options.onFrame,
    corpusFolders: options.settings.corpus,
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: http.app.fetch, hostname: host, port }, () => resolve(started));
    started.once("error", (error: Error & { code?: string }) => {
      const reason = error.code === "EADDRINUSE" ? `port ${port} is already in use; pass --port with a free port` : error.message;
      reject(new ReportError("invalid_params", `Could not listen on ${host}:${port}: ${reason}.`, { cause: error }));
    });
  });
  const address = server.address() as AddressInfo;
  policy.allowed = hostPolicy({ host, port: address.port, extraHosts: options.allowedHosts }).allowed;
  const urlHost = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  const url = `http://${urlHost}:${address.port}`;
  log(`report-mcp ${VERSION}: serving on ${url} — web page ${url}/${token ? "?token=<your token>" : ""}, SSE ${url}/mcp/streaming/orchestrator, MCP ${url}/mcp`);

  let closing: Promise<void> | null = null;
  return {
    url,
    jobs,
    close() {
      closing ??= (async () => {
        await jobs.close();
        await http.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if (server instanceof HttpServer) server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

function lazyRuntime(
  given: ServeHttpOptions["runtime"],
  settings: Settings,
  log: (line: string) => void,
): () => Promise<ReportRuntime> {
  let promise: Promise<ReportRuntime> | null = null;
  return () => {
    promise ??= (async () => {
      if (typeof given === "function") return given();
      if (given) return given;
      const { createRuntime } = await import("../app/create-runtime.js");
      return createRuntime(settings, { logger: log });
    })().catch((error: unknown) => {
      promise = null;
      throw error;
    });
    return promise;
  };
}
