import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type ListToolsResult,
  type ServerNotification,
  type ServerRequest,
  type ServerResult,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { ReportError } from "../core/errors.js";
import { errorResult } from "./tool-output.js";

type RequestHandler = (
  request: unknown,
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
) => Promise<ServerResult>;

/** A second name for a registered tool, with its own arguments mapped onto the target's. */
export type ToolAlias = {
  /** The alias, e.g. `orchestrator_mcp_streaming`. */
  name: string;
  /** The registered tool it runs, e.g. `generate_report`. */
  target: string;
  /** Validates the alias's arguments and maps them onto the target's, or says what is wrong. */
  toTargetArguments: (
    args: unknown,
  ) => { ok: true; arguments: Record<string, unknown> } | { ok: false; error: ReportError };
  /**
   * How `tools/list` shows the alias (the target's entry with these fields replaced), or null
   * to keep it out of the list: a hidden alias is still callable.
   */
  listing: null | { title: string; description: string; inputSchema: Tool["inputSchema"] };
};

/**
 * The handler the SDK registered for `method`. The SDK (v1) can replace a request handler but
 * not hand one back, so this reads its handler table: the one place report-mcp reaches into the
 * SDK. Checked when the server is built, so an SDK change fails loudly at once (and the alias
 * tests fail), never silently.
 */
function registeredHandler(server: McpServer, method: string): RequestHandler {
  const handlers: unknown = server.server["_requestHandlers"];
  const handler: unknown = handlers instanceof Map ? handlers.get(method) : undefined;
  if (typeof handler !== "function") {
    throw new Error(
      `report-mcp: the MCP SDK's ${method} handler was not found (has the SDK changed?); the tool alias code needs updating.`,
    );
  }
  return handler as RequestHandler;
}

/**
 * Makes `alias.name` call `alias.target`: a call to the alias is validated with the alias's own
 * rules, then runs through the target's registered handler unchanged (same progress, messages,
 * task support, output validation and result), so the two can never drift apart. Install after
 * the target is registered.
 */
export function installToolAlias(server: McpServer, alias: ToolAlias): void {
  const callTool = registeredHandler(server, "tools/call");
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    if (request.params.name !== alias.name) return callTool(request, extra);
    const mapped = alias.toTargetArguments(request.params.arguments ?? {});
    if (!mapped.ok) {
      // A task-augmented call must be answered with a task or a JSON-RPC error, not a tool result.
      if (request.params.task) throw new McpError(ErrorCode.InvalidParams, mapped.error.message);
      return errorResult(mapped.error);
    }
    return callTool(
      { ...request, params: { ...request.params, name: alias.target, arguments: mapped.arguments } },
      extra,
    );
  });

  const { listing } = alias;
  if (!listing) return;
  const listTools = registeredHandler(server, "tools/list");
  server.server.setRequestHandler(ListToolsRequestSchema, async (request, extra) => {
    const listed = (await listTools(request, extra)) as ListToolsResult;
    const target = listed.tools.find((tool) => tool.name === alias.target);
    if (!target) return listed;
    return { ...listed, tools: [...listed.tools, { ...target, ...listing, name: alias.name }] };
  });
}
