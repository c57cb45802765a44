import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createStdioJobs } from "../app/create-job-registry.js";
import type { Settings } from "../app/settings.js";
import { lazyOnce } from "../core/lazy.js";
import { createMcpServer } from "./create-server.js";
import { createLineFilter } from "./stdio-line-filter.js";

export type RunStdioServerOptions = {
  input: Readable;
  output: Writable;
  loadSettings: () => Promise<Settings>;
  version: string;
  log: (line: string) => void;
  /** Lists `orchestrator_mcp_streaming` in tools/list (see createMcpServer). */
  listSeedTool?: boolean;
  /** Called once every line of the input has been handed to the server. */
  onInputEnd?: () => void;
};

export type RunningStdioServer = {
  /** Cancels running reports (they end as `interrupted`) and closes the connection. */
  close(): Promise<void>;
};

/** The SDK half of the stdio server, loaded once the `initialize` request has been answered. */
export async function runStdioServer(options: RunStdioServerOptions): Promise<RunningStdioServer> {
  const { log } = options;
  const settings = lazyOnce(options.loadSettings);
  const { runtime, jobs } = createStdioJobs({ settings, log });
  const server = createMcpServer({ runtime, jobs, version: options.version, log, listSeedTool: options.listSeedTool });
  server.server.onerror = (error) => log(`report-mcp: protocol error: ${error.message}`);
  // Lines that are not JSON-RPC messages are answered here (the SDK transport would drop them).
  const lines = createLineFilter({
    reply: (message) => void options.output.write(`${JSON.stringify(message)}\n`),
  });
  options.input.pipe(lines);
  if (options.onInputEnd) lines.on("end", options.onInputEnd);
  await server.connect(new StdioServerTransport(lines, options.output));
  // Resources and get_report wait for it (jobs.ready()); tools/list does not.
  void jobs.restore().catch((error: unknown) => {
    log(`report-mcp: could not load earlier reports: ${error instanceof Error ? error.message : String(error)}`);
  });
  return {
    async close() {
      await jobs.close();
      await server.close();
    },
  };
}
