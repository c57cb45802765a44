import type { RedisRegistryOptions as ServeHttpRedis } from "../app/create-job-registry.js";
import { CliUsageError, EXIT_CODES, type CliContext } from "./cli-io.js";
import { loadSettings } from "./load-settings.js";
import { parseCount, scaleTimings, type ScaleFlags } from "./scale-flags.js";
import { listSeedTool } from "./seed-tool-switch.js";
import { timeoutFromFlag } from "./task-flags.js";

export type ServeFlags = ScaleFlags & {
  workers?: string;
  sse?: boolean;
  host?: string;
  port?: string;
  mcpPort?: string;
  listSeedTool?: boolean;
  token?: string;
  force?: boolean;
  maxConcurrent?: string;
  timeout?: string;
  corpus?: string[];
  allowedHost?: string[];
};

/**
 * `report-mcp serve [--sse] [--host] [--port] [--mcp-port] [--token] [--force]`: the HTTP/SSE server
 * of SPEC §5 (the only serve mode; `--sse` is accepted for the documented spelling); `--mcp-port`
 * also serves `/mcp` on a second port (the original orchestrator's 8000). Runs until
 * Ctrl-C / SIGTERM, then closes the server and resolves with exit code 0.
 */
export async function serveCommand(options: { flags: ServeFlags; context: CliContext }): Promise<number> {
  const { flags, context } = options;
  const port = flags.port === undefined ? undefined : parsePort("--port", flags.port);
  const mcpPort = flags.mcpPort === undefined ? undefined : parsePort("--mcp-port", flags.mcpPort);
  if (mcpPort !== undefined && mcpPort !== 0 && mcpPort === (port ?? 8001)) {
    throw new CliUsageError(
      `--mcp-port ${mcpPort} is the same as --port: /mcp is already served there; pick another port (the original orchestrator used 8000)`,
    );
  }
  const listed = listSeedTool({ flag: flags.listSeedTool, env: context.env });
  const maxConcurrent = flags.maxConcurrent === undefined ? undefined : parseMaxConcurrent(flags.maxConcurrent);
  const allowedHosts = (flags.allowedHost ?? []).map(parseAllowedHost);
  const settings = await loadSettings({
    flags: {
      token: flags.token,
      corpus: flags.corpus,
      timeoutMs: timeoutFromFlag(flags.timeout),
      redisUrl: flags.redis,
    },
    env: context.env,
    cwd: context.cwd,
  });
  const redis = scaleOptions(flags, settings.redisUrl);
  const { serveHttp } = await import("../http/serve.js");
  const log = (line: string): void => void context.stderr.write(`${line}\n`);
  const server = await serveHttp({
    settings,
    host: flags.host,
    port,
    mcpPort,
    listSeedTool: listed,
    force: flags.force === true,
    token: settings.token,
    log,
    maxConcurrent,
    allowedHosts,
    redis,
    ...(redis || flags.retention === undefined ? {} : { retention: { maxAgeMs: scaleTimings(flags).retentionMs } }),
  });
  await new Promise<void>((resolve) => {
    const unsubscribe = context.onInterrupt(() => {
      unsubscribe();
      resolve();
    });
  });
  context.stderr.write("report-mcp: shutting down\n");
  await server.close();
  return EXIT_CODES.success;
}

/** `--redis` (or REPORT_MCP_REDIS_URL / config redisUrl) with its companions; undefined = one process. */
function scaleOptions(flags: ServeFlags, url: string | null): ServeHttpRedis | undefined {
  if (!url) {
    if (flags.workers !== undefined)
      throw new CliUsageError(
        "--workers needs --redis (or REPORT_MCP_REDIS_URL): without Redis, serve runs every report itself",
      );
    if (flags.stallTimeout !== undefined)
      throw new CliUsageError("--stall-timeout needs --redis (or REPORT_MCP_REDIS_URL)");
    return undefined;
  }
  return {
    url,
    ...(flags.workers === undefined ? {} : { workers: parseCount("--workers", flags.workers, 0, 1000) }),
    ...scaleTimings(flags),
  };
}

function parseAllowedHost(text: string): string {
  const host = text.trim();
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(host)) {
    throw new CliUsageError(
      `--allowed-host must be a host name with an optional port, e.g. reports.example.com or proxy:8443 (got "${text}")`,
    );
  }
  return host;
}

function parseMaxConcurrent(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > 1000) {
    throw new CliUsageError(`--max-concurrent must be a whole number from 1 to 1000 (got "${text}")`);
  }
  return value;
}

function parsePort(flag: "--port" | "--mcp-port", text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535)
    throw new CliUsageError(`${flag} must be a whole number from 0 to 65535 (got "${text}")`);
  return port;
}
