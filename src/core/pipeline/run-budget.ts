import type { ReportAuthor } from "../author.js";
import { DEFAULT_GUARDS, DEFAULT_MAX_TOKENS, RunBudget, type RunGuards } from "../cost/budget.js";
import { planWithinBudget, type RunShape } from "../cost/plan.js";
import { findPrice, type ModelPrice, type PriceOverrides } from "../cost/prices.js";
import { ReportError } from "../errors.js";
import type { TaskParams } from "../params.js";
import type { ProgressEmitter } from "./progress.js";

/**
 * The run's budget: opened from the task's `max_tokens` / `max_cost` and the settings' defaults,
 * and the plan (sections, assessment rounds, evidence per section) fitted to what is left of it
 * once the outline is known. The budget itself (reservation per model call, guards) is
 * core/cost/budget.ts.
 */

export type RunBudgetOptions = {
  /** Token cap when the task sets none; default DEFAULT_MAX_TOKENS. */
  maxTokens?: number | null;
  /** Money cap when the task sets none; default none. */
  maxCost?: number | null;
  /** Price overrides (`REPORT_MCP_PRICES`). */
  prices?: PriceOverrides | null;
  guards?: Partial<RunGuards>;
};

export type OpenedBudget = {
  budget: RunBudget;
  /** The model's price; null for the extractive engine or a model whose price is unknown. */
  price: ModelPrice | null;
  /** `provider/model`, as messages name it. */
  modelLabel: string;
};

/** Opens the budget; a money cap for a model without a known price is refused (`invalid_params`, `set_price` hint). */
export function openRunBudget(input: {
  params: TaskParams;
  author: ReportAuthor;
  options?: RunBudgetOptions;
}): OpenedBudget {
  const { params, author, options } = input;
  const usesModel = author.engine === "llm";
  const price = usesModel
    ? findPrice({ provider: author.modelProvider, model: author.modelName, overrides: options?.prices })
    : null;
  const maxCost = params.max_cost ?? options?.maxCost ?? null;
  const modelLabel = `${author.modelProvider ?? "unknown"}/${author.modelName ?? "unknown"}`;
  if (maxCost !== null && usesModel && !price) {
    throw new ReportError(
      "invalid_params",
      `max_cost needs the price of the model ${modelLabel}, and report-mcp does not know it.`,
      { hint: { kind: "set_price", model: author.modelName ?? "model" } },
    );
  }
  const budget = new RunBudget({
    maxTokens: params.max_tokens ?? options?.maxTokens ?? DEFAULT_MAX_TOKENS,
    maxCost: usesModel ? maxCost : null,
    price,
    guards: { ...DEFAULT_GUARDS, ...options?.guards },
  });
  return { budget, price, modelLabel };
}

/**
 * The plan the budget can pay for: `wanted` itself when it fits, else a smaller one with a warning
 * saying so. Throws `budget_exceeded` when not even one section fits.
 */
export async function fitPlanToBudget(input: {
  budget: RunBudget;
  wanted: RunShape;
  language: string;
  emitter: ProgressEmitter;
}): Promise<RunShape> {
  const { budget, wanted, emitter } = input;
  const zh = input.language.startsWith("zh");
  const plan = planWithinBudget({ available: budget.remainingTokens(), wanted });
  if (!plan) {
    budget.limited = true;
    throw new ReportError(
      "budget_exceeded",
      zh
        ? `预算不足以写出任何章节：已用 ${budget.spentTokens} / ${budget.limits.maxTokens} tokens。`
        : `The budget cannot pay for even one section: ${budget.spentTokens} of ${budget.limits.maxTokens} tokens are spent on planning.`,
      { hint: { kind: "raise_setting", setting: "budget" } },
    );
  }
  const smaller =
    plan.sections < wanted.sections ||
    plan.rounds < wanted.rounds ||
    plan.evidenceTokensPerSection < wanted.evidenceTokensPerSection;
  if (!smaller) return wanted;
  budget.limited = true;
  await emitter.warn(
    zh
      ? `为控制在预算内（${budget.limits.maxTokens} tokens），本次运行缩减为 ${plan.sections} 个章节、最多 ${plan.rounds} 轮质量评估、每节约 ${plan.evidenceTokensPerSection} tokens 的资料。`
      : `To stay within the budget (${budget.limits.maxTokens} tokens) the run is planned as ${plan.sections} section(s), at most ${plan.rounds} assessment round(s) and ~${plan.evidenceTokensPerSection} tokens of evidence per section.`,
    {
      budget: {
        max_tokens: budget.limits.maxTokens,
        max_cost: budget.limits.maxCost,
        remaining_tokens: budget.remainingTokens(),
      },
      planned: plan,
      wanted,
    },
  );
  return plan;
}
