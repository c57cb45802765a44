import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { ReportError } from "../core/errors.js";
import { taskParamsSchema, taskParamsShape, type TaskParams } from "../core/params.js";
import { kwargsConflictMessage, kwargsSchema, mergeKwargs, optionalOptionShape } from "../core/task-kwargs.js";
import { installToolAlias } from "./tool-alias.js";
import type { ToolContext } from "./tool-context.js";

/**
 * `orchestrator_mcp_streaming`: the original Python orchestrator's MCP tool, kept so its
 * clients' scripts and prompts keep working. It is an alias of `generate_report` (same run,
 * progress, messages and result), hidden from `tools/list` unless asked for, so models see one
 * report tool, not two that look alike.
 */
export const SEED_TOOL_NAME = "orchestrator_mcp_streaming";

const SEED_TOOL_TARGET = "generate_report";

/**
 * The seed's arguments: `task`, `task_type` and the options as keyword arguments. Its FastMCP
 * tool (`task, task_type="auto", **kwargs`) exposed the keyword arguments as one argument named
 * `kwargs`; report-mcp also takes them flat, as generate_report does.
 */
export const seedToolInputSchema = z
  .object({
    task: taskParamsShape.task,
    ...optionalOptionShape,
    kwargs: kwargsSchema
      .nullish()
      .describe(
        'The options as the original orchestrator took them (its **kwargs), e.g. {"days": 7, "max_iterations": 2}; each may instead be given at the top level, but not in both places with different values.',
      ),
  })
  .strict();

const LISTED_DESCRIPTION = [
  "The original orchestrator's tool name, kept for its clients: runs exactly generate_report (the same research",
  "report, progress, messages and result). Options go at the top level or under kwargs. Prefer generate_report.",
].join(" ");

function describeIssues(error: z.ZodError): string {
  const parts = error.issues.flatMap((issue) => {
    const field = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => `${field ? `${field}.` : ""}${key}: unknown field`);
    return [`${field || "(arguments)"}: ${issue.message}`];
  });
  return parts.join("; ");
}

/** Validates the seed tool's arguments and returns generate_report's (options merged, defaults applied). */
export function seedToolArguments(
  args: unknown,
): { ok: true; arguments: TaskParams } | { ok: false; error: ReportError } {
  const invalid = (reason: string) => ({
    ok: false as const,
    error: new ReportError("invalid_params", `Invalid arguments for ${SEED_TOOL_NAME}: ${reason}.`),
  });
  const checked = seedToolInputSchema.safeParse(args);
  if (!checked.success) return invalid(describeIssues(checked.error));
  const { kwargs, ...topLevel } = checked.data;
  const merge = mergeKwargs({ topLevel, kwargs });
  if (!merge.ok) return invalid(kwargsConflictMessage(merge.conflicts).replace(/\.$/, ""));
  const params = taskParamsSchema.safeParse(merge.merged);
  if (!params.success) return invalid(describeIssues(params.error));
  return { ok: true, arguments: params.data };
}

/** The input schema as tools/list shows it (JSON Schema draft-07, the SDK's dialect). */
function inputJsonSchema(): Tool["inputSchema"] {
  const { $schema: _ignored, ...schema }: Record<string, unknown> = z.toJSONSchema(seedToolInputSchema, {
    target: "draft-7",
    io: "input",
  });
  return { ...schema, type: "object" } as Tool["inputSchema"];
}

/**
 * Registers the seed's tool name as an alias of generate_report (call after generate_report is
 * registered). `listed` adds it to `tools/list`; hidden, it is callable all the same.
 */
export function registerSeedTool(context: ToolContext, options: { listed: boolean }): void {
  installToolAlias(context.server, {
    name: SEED_TOOL_NAME,
    target: SEED_TOOL_TARGET,
    toTargetArguments: seedToolArguments,
    listing: options.listed
      ? {
          title: "Generate a research report (the original orchestrator's name)",
          description: LISTED_DESCRIPTION,
          inputSchema: inputJsonSchema(),
        }
      : null,
  });
}
