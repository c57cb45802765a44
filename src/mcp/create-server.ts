import { InMemoryTaskMessageQueue } from "@modelcontextprotocol/sdk/experimental/tasks";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { JobRegistry } from "../core/jobs/index.js";
import type { ReportRuntime } from "../core/runtime.js";
import { registerCancelReport } from "./cancel-report.js";
import { registerEstimateReport } from "./estimate-report.js";
import { registerGenerateReport } from "./generate-report.js";
import { registerGetReport } from "./get-report.js";
import { installLogLevelGate } from "./log-level.js";
import { guardTransport } from "./protocol-guard.js";
import { registerReportResources } from "./report-resources.js";
import { registerSearch } from "./search.js";
import { registerSeedTool, SEED_TOOL_NAME, seedToolInputSchema } from "./seed-tool.js";
import { SERVER_CAPABILITIES, SERVER_INSTRUCTIONS, serverInfo } from "./server-info.js";
import { registerStartReport } from "./start-report.js";
import { JobTaskStore } from "./task-store.js";
import { recordTools } from "./tool-catalog.js";
import type { ToolContext } from "./tool-context.js";

export type CreateMcpServerOptions = {
  /** The runtime, created lazily on first use (memoise it: it is called per tool call). */
  runtime: () => Promise<ReportRuntime>;
  /** The shared job registry (jobs outlive a connection; report resources list its finished jobs). */
  jobs: JobRegistry;
  version: string;
  /** Diagnostics; must not write to stdout in stdio mode. Default: none. */
  log?: (line: string) => void;
  /** Longest silence between progress notifications while a report runs; default 15 s. */
  heartbeatMs?: number;
  /**
   * Lists `orchestrator_mcp_streaming` (the original orchestrator's name for generate_report) in
   * `tools/list`. Default false: hidden, but callable all the same.
   */
  listSeedTool?: boolean;
};

/**
 * Builds the report-mcp MCP server: tools generate_report (task-capable), start_report,
 * get_report, cancel_report, search; resources report://{id}; the logging capability. One
 * factory for every transport: stdio and the HTTP server's Streamable HTTP `/mcp` route (one
 * server per connection, all sharing one `jobs`). Every transport it connects to is wrapped in the
 * protocol guard (requests before `initialize`, malformed params, unknown tools, invalid tool
 * arguments); requests to the person during a task (the outline elicitation) are queued for the
 * task's `tasks/result` stream, as MCP Tasks ask.
 */
export function createMcpServer(options: CreateMcpServerOptions): McpServer {
  const log = options.log ?? (() => undefined);
  const taskStore = new JobTaskStore({ jobs: options.jobs });
  const server = new McpServer(serverInfo(options.version), {
    capabilities: structuredClone(SERVER_CAPABILITIES),
    taskStore,
    taskMessageQueue: new InMemoryTaskMessageQueue(),
    instructions: SERVER_INSTRUCTIONS,
  });
  const tools = recordTools(server);
  const context: ToolContext = {
    server,
    jobs: options.jobs,
    runtime: options.runtime,
    gate: installLogLevelGate(server.server),
    taskStore,
    heartbeatMs: options.heartbeatMs,
    log,
  };
  registerGenerateReport(context);
  registerStartReport(context);
  registerGetReport(context);
  registerCancelReport(context);
  registerSearch(context);
  registerEstimateReport(context);
  registerReportResources(context);
  const listSeedTool = options.listSeedTool === true;
  registerSeedTool(context, { listed: listSeedTool });
  tools.addAlias(SEED_TOOL_NAME, seedToolInputSchema, { target: "generate_report", listed: listSeedTool });
  const connect = server.connect.bind(server);
  server.connect = (transport) => connect(guardTransport(transport, { tools, log }));
  const previousOnClose = server.server.onclose;
  server.server.onclose = () => {
    taskStore.clear();
    previousOnClose?.();
  };
  return server;
}
