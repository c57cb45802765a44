import { taskParamsSchema, type TaskParams } from "../core/params.js";
import { CliUsageError } from "./cli-io.js";

/** The task options of `report-mcp run` as commander parses them (raw strings). */
export type TaskFlags = {
  type?: string;
  days?: string;
  qualityThreshold?: string;
  maxIterations?: string;
  autoConfirm?: boolean;
  language?: string;
  maxTokens?: string;
  maxCost?: string;
};

const FLAG_OF_FIELD: Record<string, string> = {
  task: "<task>",
  task_type: "--type",
  days: "--days",
  quality_threshold: "--quality-threshold",
  max_iterations: "--max-iterations",
  auto_confirm: "--no-auto-confirm",
  language: "--language",
  max_tokens: "--max-tokens",
  max_cost: "--max-cost",
};

/**
 * Turns the run flags into task parameters validated by `taskParamsSchema` (SPEC §4). Values
 * are never clamped: a bad one throws CliUsageError naming the flag, e.g.
 * `--days must be at most 3650`.
 */
export function taskParamsFromFlags(options: { task: string; flags: TaskFlags }): TaskParams {
  const { task, flags } = options;
  const input: Record<string, unknown> = { task };
  if (flags.type !== undefined) input.task_type = flags.type;
  if (flags.days !== undefined) input.days = parseNumber("--days", flags.days);
  if (flags.qualityThreshold !== undefined)
    input.quality_threshold = parseNumber("--quality-threshold", flags.qualityThreshold);
  if (flags.maxIterations !== undefined) input.max_iterations = parseNumber("--max-iterations", flags.maxIterations);
  if (flags.autoConfirm === false) input.auto_confirm = false;
  if (flags.language !== undefined) input.language = flags.language;
  if (flags.maxTokens !== undefined) input.max_tokens = parseNumber("--max-tokens", flags.maxTokens);
  if (flags.maxCost !== undefined) input.max_cost = parseNumber("--max-cost", flags.maxCost);
  const parsed = taskParamsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? "");
  const flag = FLAG_OF_FIELD[field] ?? field;
  if (field === "task_type")
    throw new CliUsageError(`${flag} must be one of news_report, research_report, industry_analysis, auto`);
  const message = issue?.message ?? "is invalid";
  throw new CliUsageError(message.startsWith(field) ? `${flag}${message.slice(field.length)}` : `${flag}: ${message}`);
}

/** `\d+(?:\.\d*)?` rather than `\d+\.?\d*`: the same numbers, without quadratic backtracking on long digit runs. */
const DECIMAL_NUMBER = /^[+-]?(\d+(?:\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** Parses a numeric flag strictly ("7", "7.5", "1e3"); anything else is a usage error. */
export function parseNumber(flag: string, text: string): number {
  const trimmed = text.trim();
  // Decimal notation only: Number() would also take "0x10", "0b11" or "0o7".
  const value = DECIMAL_NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(value)) throw new CliUsageError(`${flag} must be a number (got "${text}")`);
  return value;
}

/** `--timeout <seconds>` → milliseconds; `0` → null (no limit). */
export function timeoutFromFlag(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  const seconds = parseNumber("--timeout", text);
  if (seconds < 0) throw new CliUsageError(`--timeout must be a number of seconds, 0 for no limit (got "${text}")`);
  return seconds === 0 ? null : Math.max(1, Math.round(seconds * 1000));
}

/** Output formats of `--out`, by file extension. */
export type OutputFormat = "markdown" | "html" | "json";

/** The format of `--out FILE` from its extension; others are a usage error. */
export function outputFormatOf(file: string): OutputFormat {
  const extension = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  if (extension === "md" || extension === "markdown") return "markdown";
  if (extension === "html" || extension === "htm") return "html";
  if (extension === "json") return "json";
  throw new CliUsageError(`--out must end in .md, .html or .json (got "${file}")`);
}
