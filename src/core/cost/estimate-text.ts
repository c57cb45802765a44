import type { RunEstimate } from "./estimate.js";

function count(value: number): string {
  return value >= 10_000 ? `${Math.round(value / 1000)}k` : String(value);
}

function money(amount: number, currency: string): string {
  return `${amount < 0.01 && amount > 0 ? amount.toFixed(4) : amount.toFixed(2)} ${currency}`;
}

/**
 * A quote in a few lines, for people (terminal, outline confirmation): calls, tokens and cost as
 * expected (low–high), and whether it fits the budget.
 */
export function describeEstimate(estimate: RunEstimate, language = "en"): string {
  const zh = language.toLowerCase().startsWith("zh");
  if (estimate.engine === "extractive") {
    return zh
      ? "预估：抽取式引擎，不调用模型，不产生 token 费用。"
      : "Estimate: extractive engine, no model calls, no token cost.";
  }
  const { model_calls: calls, tokens, cost, budget } = estimate;
  const model = `${estimate.model_provider ?? "?"}/${estimate.model_name ?? "?"}`;
  const basis =
    estimate.basis.kind === "measured"
      ? zh
        ? `依据此模型 ${estimate.basis.runs} 次运行的实测均值`
        : `from measured averages of ${estimate.basis.runs} run(s) with this model`
      : zh
        ? "依据内置估算（尚无此模型的实测）"
        : "from built-in priors (no measured runs with this model yet)";
  const costLine = cost
    ? zh
      ? `费用约 ${money(cost.expected, cost.currency)}（${money(cost.low, cost.currency)}–${money(cost.high, cost.currency)}，价格日期 ${estimate.prices_as_of ?? "?"}）`
      : `cost ~${money(cost.expected, cost.currency)} (${money(cost.low, cost.currency)}–${money(cost.high, cost.currency)}; prices as of ${estimate.prices_as_of ?? "?"})`
    : zh
      ? "费用未知（未配置此模型的价格）"
      : "cost unknown (no price for this model)";
  const budgetLine = zh
    ? `预算 ${count(budget.max_tokens)} tokens${budget.max_cost !== null ? ` / ${budget.max_cost}` : ""}${budget.fits ? "" : "——预计超出，运行将缩减规模"}`
    : `budget ${count(budget.max_tokens)} tokens${budget.max_cost !== null ? ` / ${budget.max_cost}` : ""}${budget.fits ? "" : " — expected to exceed it: the run will be scaled down"}`;
  return zh
    ? `预估（${model}，${basis}）：约 ${Math.round(calls.expected)} 次模型调用（${Math.round(calls.low)}–${Math.round(calls.high)}），约 ${count(tokens.expected)} tokens（${count(tokens.low)}–${count(tokens.high)}），${costLine}；${budgetLine}。`
    : `Estimate (${model}, ${basis}): ~${Math.round(calls.expected)} model calls (${Math.round(calls.low)}–${Math.round(calls.high)}), ~${count(tokens.expected)} tokens (${count(tokens.low)}–${count(tokens.high)}), ${costLine}; ${budgetLine}.`;
}
