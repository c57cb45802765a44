import { randomUUID } from "node:crypto";
import type { Hono } from "hono";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { JobRegistry } from "../core/jobs/index.js";
import type { ReportRuntime } from "../core/runtime.js";
import { createMcpServer } from "../mcp/create-server.js";
import { MemoryEventStore } from "./mcp-event-store.js";
import { badRequest, readJsonBody } from "./responses.js";
import { RPC_CODES, rpcErrorBody } from "./wire.js";

type McpSession = { transport: WebStandardStreamableHTTPServerTransport; close: () => Promise<void>; lastUsed: number };

export type McpRouteOptions = {
  jobs: JobRegistry;
  runtime: () => Promise<ReportRuntime>;
  version: string;
  maxBodyBytes: number;
  /** MCP sessions kept at once; the least recently used is closed past it. Default 100. */
  maxSessions?: number;
  keepAliveMs?: number;
  log?: (line: string) => void;
  /** Lists the original orchestrator's tool name in tools/list (see createMcpServer). */
  listSeedTool?: boolean;
};

/**
 * `/mcp`: MCP Streamable HTTP with stateful sessions (one server per session, all sharing the
 * job registry) and resumable streams (an event store per session). Returns a closer.
 */
export function registerMcpRoute(app: Hono, options: McpRouteOptions): { close(): Promise<void> } {
  const sessions = new Map<string, McpSession>();
  const maxSessions = options.maxSessions ?? 100;

  const evictIfFull = async (): Promise<void> => {
    if (sessions.size < maxSessions) return;
    const oldest = [...sessions.entries()].sort((left, right) => left[1].lastUsed - right[1].lastUsed)[0];
    if (oldest) {
      sessions.delete(oldest[0]);
      await oldest[1].close();
    }
  };

  app.all("/mcp", async (c) => {
    const sessionId = c.req.header("mcp-session-id");
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session) {
        const message = `MCP session "${sessionId}" is unknown or expired; initialize a new session.`;
        return c.json(
          rpcErrorBody({ code: RPC_CODES.sessionNotFound, message: "Session not found", data: { message } }),
          404,
        );
      }
      session.lastUsed = Date.now();
      // Bodies are read here, with the size cap and strict UTF-8 (the SDK would turn bad bytes into "�").
      if (c.req.method !== "POST" || !/^application\/(.+\+)?json\b/i.test(c.req.header("content-type") ?? "")) {
        return session.transport.handleRequest(c.req.raw);
      }
      const body = await readJsonBody(c);
      if (!body.ok) return body.response;
      return session.transport.handleRequest(c.req.raw, { parsedBody: body.value });
    }
    if (c.req.method !== "POST") {
      const message = "Send an initialize request by POST first; later requests carry its Mcp-Session-Id header.";
      return c.json(
        rpcErrorBody({ code: RPC_CODES.serverError, message: "Bad Request: no session", data: { message } }),
        400,
      );
    }
    const body = await readJsonBody(c);
    if (!body.ok) return body.response;
    if (!isInitializeRequest(body.value)) {
      return badRequest(c, {
        type: "invalid_params",
        message: "Invalid params: without an Mcp-Session-Id header the request must be an initialize request.",
        fields: ["Mcp-Session-Id"],
      });
    }
    await evictIfFull();
    const server = createMcpServer({
      runtime: options.runtime,
      jobs: options.jobs,
      version: options.version,
      log: options.log,
      listSeedTool: options.listSeedTool,
    });
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new MemoryEventStore(),
      keepAliveMs: options.keepAliveMs,
      maxRequestBodySize: options.maxBodyBytes,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, close: () => server.close(), lastUsed: Date.now() });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw, { parsedBody: body.value });
  });

  return {
    async close() {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map((session) => session.close()));
    },
  };
}
