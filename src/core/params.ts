import { z } from "zod";

export const TASK_TYPES = ["news_report", "research_report", "industry_analysis", "auto"] as const;
export type TaskType = (typeof TASK_TYPES)[number];
export type ResolvedTaskType = Exclude<TaskType, "auto">;

/**
 * The task parameters of SPEC §4. One schema validates MCP tool input, HTTP bodies and CLI flags.
 * Out-of-range values are rejected, never clamped.
 */
function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

export const taskParamsShape = {
  task: z
    .string()
    .trim()
    .min(1, "task must not be empty")
    .max(2000, "task must be at most 2000 characters")
    .describe("The research request in any language, e.g. '生成AI Agent领域最近一周的行业重大事件报告'."),
  task_type: z
    .enum(TASK_TYPES)
    .default("auto")
    .describe("Report kind: news_report, research_report, industry_analysis, or auto (decided by intent analysis)."),
  days: z
    .number()
    .int("days must be a whole number")
    .min(1, "days must be at least 1")
    .max(3650, "days must be at most 3650")
    .optional()
    .describe(
      "Search time window in days (1-3650). Default: the window the task names ('最近一周', 'last 30 days', 'in 2026'), else 7.",
    ),
  quality_threshold: z
    .number()
    .min(0, "quality_threshold must be between 0 and 10")
    .max(10, "quality_threshold must be between 0 and 10")
    .default(7)
    .describe("Overall quality score (0-10) needed to stop gap-filling searches."),
  max_iterations: z
    .number()
    .int("max_iterations must be a whole number")
    .min(1, "max_iterations must be between 1 and 10")
    .max(10, "max_iterations must be between 1 and 10")
    .default(3)
    .describe("Maximum quality-assessment / gap-filling rounds (1-10)."),
  auto_confirm: z
    .boolean()
    .default(true)
    .describe("true: write the report straight away. false: put the outline to the person for approval first."),
  language: z
    .string()
    .trim()
    .min(2, "language must be a language tag such as 'en' or 'zh'")
    .max(35, "language must be a language tag such as 'en' or 'zh'")
    .refine(isLanguageTag, "language must be a BCP 47 language tag such as 'en', 'zh' or 'zh-CN'")
    .optional()
    .describe("Report language as a BCP 47 tag ('en', 'zh', 'zh-CN', 'ja'). Default: the task's own language."),
  max_tokens: z
    .number()
    .int("max_tokens must be a whole number")
    .min(1000, "max_tokens must be at least 1000")
    .max(100_000_000, "max_tokens must be at most 100000000")
    .optional()
    .describe(
      "Token budget for the whole run (prompt + completion of every model call); never exceeded. Default: the server's setting, else 1000000.",
    ),
  max_cost: z
    .number()
    .positive("max_cost must be greater than 0")
    .max(1_000_000, "max_cost must be at most 1000000")
    .optional()
    .describe(
      "Money budget for the whole run in the model price's currency (e.g. 0.05 = 5 US cents); needs a known price. Default: none.",
    ),
};

export const taskParamsSchema = z.object(taskParamsShape).strict();

/** Validated task parameters (defaults applied). */
export type TaskParams = z.infer<typeof taskParamsSchema>;
/** Task parameters as a caller may give them (defaults optional). */
export type TaskParamsInput = z.input<typeof taskParamsSchema>;
