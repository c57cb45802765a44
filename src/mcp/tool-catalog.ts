import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ToolCatalog } from "./protocol-guard.js";

type Entry = { tool: RegisteredTool; inputSchema: z.ZodType | null };

function schemaOf(input: unknown): z.ZodType | null {
  if (input === undefined) return null;
  if (input instanceof z.ZodType) return input;
  // A raw shape ({field: zodType}), as registerTool also accepts.
  return z.object(input as z.ZodRawShape);
}

/**
 * Records every tool registered on `server` from now on (plain and task tools), so the protocol
 * guard can tell unknown tools and check arguments. The SDK keeps its registry private, so the
 * two registration methods of this server instance are wrapped; every tool registered through
 * them, by any module, is in the catalog.
 */
export function recordTools(server: McpServer): ToolCatalog & {
  /** A second name for a registered tool (its own arguments); `listed: false` keeps it out of `names()`. */
  addAlias(name: string, inputSchema: z.ZodType, options: { target: string; listed: boolean }): void;
} {
  const entries = new Map<string, Entry>();
  const aliases = new Map<string, { inputSchema: z.ZodType; target: string; listed: boolean }>();
  const remember = (name: string, config: { inputSchema?: unknown }, tool: RegisteredTool): RegisteredTool => {
    entries.set(name, { tool, inputSchema: schemaOf(config.inputSchema) });
    return tool;
  };
  const registerTool = server.registerTool.bind(server);
  server.registerTool = ((name: string, config: { inputSchema?: unknown }, callback: never) =>
    remember(
      name,
      config,
      registerTool(name, config as Parameters<typeof registerTool>[1], callback),
    )) as typeof server.registerTool;
  const tasks = server.experimental.tasks;
  const registerToolTask = tasks.registerToolTask.bind(tasks);
  tasks.registerToolTask = ((name: string, config: { inputSchema?: unknown }, handler: never) =>
    remember(
      name,
      config,
      registerToolTask(name, config as Parameters<typeof registerToolTask>[1], handler),
    )) as typeof tasks.registerToolTask;
  return {
    inputSchema(name) {
      const alias = aliases.get(name);
      if (alias) return entries.get(alias.target)?.tool.enabled ? alias.inputSchema : undefined;
      const entry = entries.get(name);
      return entry?.tool.enabled ? entry.inputSchema : undefined;
    },
    names() {
      const listedAliases = [...aliases]
        .filter(([, alias]) => alias.listed && entries.get(alias.target)?.tool.enabled)
        .map(([name]) => name);
      return [...[...entries].filter(([, entry]) => entry.tool.enabled).map(([name]) => name), ...listedAliases];
    },
    addAlias(name, inputSchema, options) {
      aliases.set(name, { inputSchema, ...options });
    },
  };
}
