import { CliUsageError } from "./cli-io.js";

/** The environment variable that lists `orchestrator_mcp_streaming` in MCP tools/list. */
export const LIST_SEED_TOOL_VARIABLE = "REPORT_MCP_LIST_SEED_TOOL";

/**
 * Whether MCP `tools/list` shows the original orchestrator's tool name (it is callable either
 * way): `--list-seed-tool`, else REPORT_MCP_LIST_SEED_TOOL=1, else hidden. Read from the process
 * environment (an MCP host's `env`), not from `.env` or `config`: the stdio server answers
 * tools/list before it loads settings.
 */
export function listSeedTool(options: { flag?: boolean; env: NodeJS.ProcessEnv }): boolean {
  if (options.flag === true) return true;
  const raw = options.env[LIST_SEED_TOOL_VARIABLE]?.trim().toLowerCase() ?? "";
  if (raw === "" || raw === "0" || raw === "false" || raw === "no") return false;
  if (raw === "1" || raw === "true" || raw === "yes") return true;
  throw new CliUsageError(
    `${LIST_SEED_TOOL_VARIABLE} must be 1 (list orchestrator_mcp_streaming in tools/list) or 0 (got "${options.env[LIST_SEED_TOOL_VARIABLE]}")`,
  );
}
