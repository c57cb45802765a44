import type { PipelineStep } from "../events/index.js";
import type { UsageTotals } from "../result.js";
import type { ModelUsage } from "../types.js";

function emptyTotals(): UsageTotals {
  return { input_tokens: 0, output_tokens: 0, calls: 0, estimated: false };
}

function add(totals: UsageTotals, usage: ModelUsage): void {
  totals.input_tokens += usage.input_tokens;
  totals.output_tokens += usage.output_tokens;
  totals.calls += 1;
  totals.estimated ||= usage.estimated;
}

/** Sums model usage per model and per step for the final result. */
export class UsageTracker {
  readonly total: UsageTotals = emptyTotals();
  readonly byModel: Record<string, UsageTotals> = {};
  readonly byStep: Record<string, UsageTotals> = {};

  record(usage: ModelUsage, model: string, step: PipelineStep): void {
    add(this.total, usage);
    add((this.byModel[model] ??= emptyTotals()), usage);
    add((this.byStep[step] ??= emptyTotals()), usage);
  }

  snapshot(): UsageTotals & { by_model: Record<string, UsageTotals>; by_step: Record<string, UsageTotals> } {
    return { ...this.total, by_model: structuredClone(this.byModel), by_step: structuredClone(this.byStep) };
  }
}
