import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ElicitRequestFormParams, ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import type { JobRegistry } from "../core/jobs/index.js";
import type { ReportRuntime } from "../core/runtime.js";
import type { LogLevelGate } from "./log-level.js";
import type { JobTaskStore } from "./task-store.js";

/** What every tool registration gets from `createMcpServer`. */
export type ToolContext = {
  server: McpServer;
  jobs: JobRegistry;
  /** Lazily created, memoised runtime (providers, corpus index…). */
  runtime: () => Promise<ReportRuntime>;
  gate: LogLevelGate;
  taskStore: JobTaskStore;
  /** Longest silence between progress notifications while a run works. */
  heartbeatMs: number | undefined;
  /** Diagnostics; never stdout. */
  log: (line: string) => void;
};

/** Whether the connected client accepts form elicitation (an empty `elicitation` object means form). */
export function clientSupportsFormElicitation(server: McpServer): boolean {
  const elicitation = server.server.getClientCapabilities()?.elicitation;
  if (!elicitation) return false;
  return elicitation.form !== undefined || elicitation.url === undefined;
}

/** Elicitation not tied to a request (jobs that outlive their tool call, e.g. start_report). */
export function serverElicit(server: McpServer) {
  return (params: ElicitRequestFormParams, options: { signal: AbortSignal; timeout: number }): Promise<ElicitResult> =>
    server.server.elicitInput(params, options);
}
