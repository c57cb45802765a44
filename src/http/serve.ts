import { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { createJobRegistry, type RedisRegistryOptions } from "../app/create-job-registry.js";
import { lazyRuntime } from "../app/lazy-runtime.js";
import type { Settings } from "../app/settings.js";
import { ReportError } from "../core/errors.js";
import { lazyOnce } from "../core/lazy.js";
import type { JobRecord, JobRegistry } from "../core/jobs/index.js";
import type { ReportRuntime } from "../core/runtime.js";
import { VERSION } from "../version.js";
import { createHttpApp } from "./app.js";
import { createMcpPortApp } from "./mcp-port.js";
import { hostPolicy, isLoopbackHost, type HostPolicy } from "./security.js";

export type ServeHttpOptions = {
  settings: Settings;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 8001; 0 picks a free one. */
  port?: number;
  /**
   * A second port that serves only `/mcp` (and `/health`), on the same address and under the same
   * rules: the original orchestrator's MCP port, 8000. Default: none. 0 picks a free one.
   */
  mcpPort?: number;
  /** Lists the original orchestrator's tool name (`orchestrator_mcp_streaming`) in MCP tools/list. */
  listSeedTool?: boolean;
  /** Allows a non-loopback address without a token. */
  force?: boolean;
  /** Bearer token; default settings.token (REPORT_MCP_TOKEN). */
  token?: string | null;
  /** Diagnostics (stderr in the CLI). */
  log?: (line: string) => void;
  /** The runtime; default `createRuntime(settings)` built lazily on the first run. */
  runtime?: ReportRuntime | (() => Promise<ReportRuntime>);
  /** Reports running at once; default 4. With `redis`: reports queued or running across the cluster, default 100. */
  maxConcurrent?: number;
  /** Scale out: runs live in Redis, any replica serves any session (see src/scale). Absent: one process. */
  redis?: RedisRegistryOptions;
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
  /** Base URL of the `--mcp-port` listener (its MCP endpoint is `${mcpUrl}/mcp`), or null. */
  mcpUrl: string | null;
  jobs: JobRegistry;
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
  if (options.mcpPort !== undefined && options.mcpPort !== 0 && options.mcpPort === port) {
    throw new ReportError(
      "invalid_params",
      `--mcp-port ${options.mcpPort} is the same as --port: /mcp is already served there. Pick another port for --mcp-port (the original orchestrator used 8000), or leave it out.`,
    );
  }
  if (!isLoopbackHost(host) && !token && !options.force) {
    throw new ReportError(
      "invalid_params",
      `Refusing to listen on ${host} without a token: anyone who can reach it could run reports on your API keys. Set --token (or REPORT_MCP_TOKEN), bind 127.0.0.1, or pass --force.`,
    );
  }
  const given = options.runtime;
  const runtime =
    typeof given === "function"
      ? lazyOnce(async () => given())
      : given
        ? async () => given
        : lazyRuntime({ settings: async () => options.settings, log });
  const registry = await createJobRegistry({
    settings: options.settings,
    runtime,
    redis: options.redis,
    maxConcurrent: options.maxConcurrent,
    retention: options.retention,
    confirmTimeoutMs: options.confirmTimeoutMs,
    log,
  });
  const jobs = registry.jobs;
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
    listSeedTool: options.listSeedTool,
    corpusFolders: options.settings.corpus,
  });

  const listeners: ServerType[] = [];
  const stop = async (): Promise<void> => {
    await registry.close();
    await http.close();
    await Promise.all(listeners.map(closeListener));
  };
  let url = "";
  let mcpUrl: string | null = null;
  try {
    url = baseUrl(host, await listen({ fetch: http.app.fetch, host, port, flag: "--port", listeners }));
    if (options.mcpPort !== undefined) {
      const mcpApp = createMcpPortApp({ main: http.app, hostPolicy: policy, token, mainUrl: () => url });
      mcpUrl = baseUrl(
        host,
        await listen({ fetch: mcpApp.fetch, host, port: options.mcpPort, flag: "--mcp-port", listeners }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  // Host/Origin checks accept this machine's names with either bound port (known only now: 0 picks one).
  const allowed = listeners.map(
    (listener) =>
      hostPolicy({ host, port: (listener.address() as AddressInfo).port, extraHosts: options.allowedHosts }).allowed,
  );
  policy.allowed = allowed.includes(null) ? null : new Set(allowed.flatMap((names) => [...(names ?? [])]));
  log(
    `report-mcp ${VERSION}: serving on ${url} — web page ${url}/${token ? "?token=<your token>" : ""}, SSE ${url}/mcp/streaming/orchestrator, MCP ${url}/mcp`,
  );
  if (mcpUrl) log(`report-mcp: MCP also on ${mcpUrl}/mcp (--mcp-port)`);
  if (options.redis) log(`report-mcp: ${registry.describe}`);

  let closing: Promise<void> | null = null;
  return {
    url,
    mcpUrl,
    jobs,
    close() {
      closing ??= stop();
      return closing;
    },
  };
}

/** Starts one listener and adds it to `listeners`; a busy port is an error naming the flag to change. */
async function listen(options: {
  fetch: Parameters<typeof serve>[0]["fetch"];
  host: string;
  port: number;
  flag: "--port" | "--mcp-port";
  listeners: ServerType[];
}): Promise<AddressInfo> {
  const { host, port, flag } = options;
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({ fetch: options.fetch, hostname: host, port }, () => resolve(started));
    started.once("error", (error: Error & { code?: string }) => {
      const reason =
        error.code === "EADDRINUSE" ? `port ${port} is already in use; pass ${flag} with a free port` : error.message;
      reject(
        new ReportError(
          "invalid_params",
          `Could not listen on ${host}:${port}${flag === "--port" ? "" : ` (${flag})`}: ${reason}.`,
          { cause: error },
        ),
      );
    });
  });
  options.listeners.push(server);
  return server.address() as AddressInfo;
}

function baseUrl(host: string, address: AddressInfo): string {
  const urlHost = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return `http://${urlHost}:${address.port}`;
}

function closeListener(server: ServerType): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    if (server instanceof HttpServer) server.closeAllConnections();
  });
}
