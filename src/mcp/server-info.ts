import type { InitializeResult, ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";

/**
 * What the server says about itself in `initialize`. Kept free of runtime SDK imports so the
 * stdio entry can answer `initialize` before the SDK (and zod) are loaded; a test checks that
 * this answer equals the SDK server's own.
 */

/** Protocol versions the SDK (1.32) speaks, newest first; the first is the one we prefer. */
export const SUPPORTED_PROTOCOL_VERSIONS = [
  "2025-11-25",
  "2025-06-18",
  "2025-03-26",
  "2024-11-05",
  "2024-10-07",
] as const;

export const SERVER_CAPABILITIES: ServerCapabilities = {
  logging: {},
  tools: { listChanged: true },
  resources: { listChanged: true },
  tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
};

export const SERVER_INSTRUCTIONS = [
  "report-mcp writes cited research reports.",
  "generate_report runs a whole report (minutes): pass a progressToken or call it as a task.",
  "If your tool calls time out after about a minute, use start_report, then get_report until it is done.",
  "search runs a single web/corpus search. Finished reports are resources report://{id}.",
].join(" ");

export function serverInfo(version: string): InitializeResult["serverInfo"] {
  return { name: "report-mcp", title: "report-mcp", version };
}

/** The `initialize` result for a requested protocol version (the SDK's negotiation rule). */
export function initializeResult(requestedVersion: string, version: string): InitializeResult {
  const supported: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
  return {
    protocolVersion: supported.includes(requestedVersion) ? requestedVersion : SUPPORTED_PROTOCOL_VERSIONS[0],
    capabilities: SERVER_CAPABILITIES,
    serverInfo: serverInfo(version),
    instructions: SERVER_INSTRUCTIONS,
  };
}
