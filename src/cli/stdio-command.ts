import { CliUsageError, EXIT_CODES, oneLine, type CliContext } from "./cli-io.js";

/**
 * `report-mcp` / `report-mcp stdio`: serves MCP over stdio until the host closes stdin or a
 * signal arrives. Resolves with null (the server sets `process.exitCode` itself), or with the usage
 * exit code when REPORT_MCP_LIST_SEED_TOOL is malformed (said on stderr). Loads nothing
 * heavy: the stdio server answers `initialize` and `tools/list` before the SDK is imported, and
 * settings are read on the first tool call.
 */
export async function startStdio(context: CliContext): Promise<number | null> {
  const { listSeedTool } = await import("./seed-tool-switch.js");
  let listed: boolean;
  try {
    listed = listSeedTool({ env: context.env });
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    context.stderr.write(`report-mcp: ${oneLine(error.message)}\n`);
    return EXIT_CODES.usage;
  }
  const { serveStdio } = await import("../mcp/stdio.js");
  await serveStdio({
    listSeedTool: listed,
    loadSettings: async () => (await import("./load-settings.js")).loadSettings({ env: context.env, cwd: context.cwd }),
  });
  return null;
}
