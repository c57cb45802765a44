import type { PipelineStep } from "../events/index.js";
import type { TaskParams } from "../params.js";
import { CALL_SHAPES, QUALITY_TOKENS_PER_SECTION, SUMMARY_TOKENS_PER_SECTION } from "./plan.js";
import { costOf, PRICES_AS_OF, type ModelPrice } from "./prices.js";

/** Measured per-step averages of past runs with one model (kept by the runtime, docs/cost.md). */
export type StepAverage = { calls_per_run: number; input_per_call: number; output_per_call: number };
export type MeasuredAverages = { runs: number; steps: Partial<Record<PipelineStep, StepAverage>> };

export type Range = { low: number; expected: number; high: number };

/** A quote for one run: what it is expected to spend, and the bounds. */
export type RunEstimate = {
  engine: "llm" | "extractive";
  model_provider: string | null;
  model_name: string | null;
  model_calls: Range;
  input_tokens: Range;
  output_tokens: Range;
  tokens: Range;
  /** Null when the model's price is unknown. */
  cost: (Range & { currency: string }) | null;
  /** The run's shape the figures assume. */
  plan: { sections: Range; assessment_rounds: Range; evidence_tokens_per_section: number };
  /** Where the per-call figures come from: built-in priors or the averages of N measured runs. */
  basis: { kind: "priors" | "measured"; runs: number };
  budget: { max_tokens: number; max_cost: number | null; fits: boolean };
  prices_as_of: string | null;
};

type StepFigures = { calls: number; input: number; output: number };

/** Sections the outline planner is asked for (4–7); a planned outline may be passed instead. */
const SECTIONS: Range = { low: 4, expected: 5, high: 7 };

function rounds(params: TaskParams): Range {
  const high = params.max_iterations;
  // The first round usually passes the default threshold (7); a stricter one needs a second.
  const expected = Math.min(high, params.quality_threshold > 7 ? 2 : 1);
  return { low: 1, expected, high };
}

/** Per-step figures from the call shapes, for a given number of sections and rounds. */
function priorSteps(options: {
  sections: number;
  rounds: number;
  evidence: number;
  outputScale: number;
  judgeShare: number;
}): Record<PipelineStep, StepFigures> {
  const { sections, rounds: roundCount, evidence, outputScale, judgeShare } = options;
  const out = (shape: { expectedOutput: number; maxOutput: number }) =>
    Math.min(shape.maxOutput, shape.expectedOutput * outputScale);
  const judge = CALL_SHAPES.judge;
  const sectionOutput = out(CALL_SHAPES.section);
  return {
    analyzing_intent: { calls: 1, input: CALL_SHAPES.intent.prompt, output: out(CALL_SHAPES.intent) },
    generating_outline: { calls: 1, input: CALL_SHAPES.outline.prompt, output: out(CALL_SHAPES.outline) },
    assessing_quality: {
      calls: roundCount,
      input: roundCount * (CALL_SHAPES.quality.prompt + sections * QUALITY_TOKENS_PER_SECTION),
      output: roundCount * out(CALL_SHAPES.quality),
    },
    generating_sections: {
      calls: sections * (1 + judgeShare),
      input: sections * (CALL_SHAPES.section.prompt + evidence + judgeShare * judge.prompt),
      output: sections * (sectionOutput + judgeShare * out(judge)),
    },
    generating_summary: {
      calls: 1 + judgeShare,
      input:
        CALL_SHAPES.summary.prompt +
        sections * Math.min(SUMMARY_TOKENS_PER_SECTION, sectionOutput) +
        judgeShare * judge.prompt,
      output: out(CALL_SHAPES.summary) + judgeShare * out(judge),
    },
  };
}

/** The steps that call the model (the others only search, fetch or assemble). */
const MODEL_STEPS = [
  "analyzing_intent",
  "generating_outline",
  "assessing_quality",
  "generating_sections",
  "generating_summary",
] as const satisfies readonly PipelineStep[];

function measuredSteps(measured: MeasuredAverages, scale: number): Record<PipelineStep, StepFigures> | null {
  const steps = {} as Record<PipelineStep, StepFigures>;
  for (const step of MODEL_STEPS) {
    const average = measured.steps[step];
    if (!average) return null;
    const calls = average.calls_per_run * scale;
    steps[step] = { calls, input: calls * average.input_per_call, output: calls * average.output_per_call };
  }
  return steps;
}

function total(steps: Record<PipelineStep, StepFigures>): StepFigures {
  return Object.values(steps).reduce(
    (sum, step) => ({ calls: sum.calls + step.calls, input: sum.input + step.input, output: sum.output + step.output }),
    { calls: 0, input: 0, output: 0 },
  );
}

/**
 * Expected model calls, tokens and cost of a run with these parameters, from the shape of the plan
 * (sections, assessment rounds, evidence per section) and the per-call sizes of the LLM author's
 * prompts — or, once runs with this model have been measured, their per-step averages. `high`
 * is capped by the token budget: a run never spends more.
 */
export function estimateRun(options: {
  params: TaskParams;
  engine: "llm" | "extractive";
  modelProvider: string | null;
  modelName: string | null;
  price: ModelPrice | null;
  maxTokens: number;
  maxCost: number | null;
  evidenceTokensPerSection: number;
  /** Sections of an outline already planned (at confirmation); else the planner's usual range. */
  sections?: number;
  measured?: MeasuredAverages | null;
}): RunEstimate {
  const { params, engine, price, maxTokens, maxCost } = options;
  const sections: Range = options.sections
    ? { low: options.sections, expected: options.sections, high: options.sections }
    : SECTIONS;
  const roundRange = rounds(params);
  const evidence = options.evidenceTokensPerSection;
  const zero: Range = { low: 0, expected: 0, high: 0 };
  const base = {
    engine,
    model_provider: options.modelProvider,
    model_name: options.modelName,
    plan: { sections, assessment_rounds: roundRange, evidence_tokens_per_section: evidence },
    prices_as_of: price ? PRICES_AS_OF : null,
  };
  if (engine === "extractive") {
    return {
      ...base,
      model_calls: zero,
      input_tokens: zero,
      output_tokens: zero,
      tokens: zero,
      cost: price ? { ...zero, currency: price.currency } : null,
      basis: { kind: "priors", runs: 0 },
      budget: { max_tokens: maxTokens, max_cost: maxCost, fits: true },
    };
  }

  const measured = options.measured && options.measured.runs > 0 ? options.measured : null;
  const measuredFigures = measured ? measuredSteps(measured, 1) : null;
  const expected = measuredFigures
    ? total(measuredFigures)
    : total(
        priorSteps({
          sections: sections.expected,
          rounds: roundRange.expected,
          evidence,
          outputScale: 1,
          judgeShare: 0.5,
        }),
      );
  const lowPrior = total(
    priorSteps({
      sections: sections.low,
      rounds: roundRange.low,
      evidence: evidence * 0.4,
      outputScale: 0.5,
      judgeShare: 0,
    }),
  );
  const highPrior = total(
    priorSteps({ sections: sections.high, rounds: roundRange.high, evidence, outputScale: 10, judgeShare: 1 }),
  );
  const low = measuredFigures
    ? { calls: expected.calls * 0.75, input: expected.input * 0.75, output: expected.output * 0.75 }
    : lowPrior;
  const high = measuredFigures
    ? {
        calls: Math.max(expected.calls * 1.5, highPrior.calls),
        input: Math.max(expected.input * 1.5, highPrior.input),
        output: Math.max(expected.output * 1.5, highPrior.output),
      }
    : highPrior;

  const cap = (value: number) => Math.min(Math.round(value), maxTokens);
  const range = (pick: (figures: StepFigures) => number): Range => ({
    low: Math.round(pick(low)),
    expected: Math.round(pick(expected)),
    high: Math.round(pick(high)),
  });
  const input = range((figures) => figures.input);
  const output = range((figures) => figures.output);
  const tokens: Range = {
    low: cap(input.low + output.low),
    expected: cap(input.expected + output.expected),
    high: cap(input.high + output.high),
  };
  const money = (inputTokens: number, outputTokens: number) =>
    price ? costOf({ input_tokens: inputTokens, output_tokens: outputTokens }, price).amount : 0;
  let cost = price
    ? {
        low: money(input.low, output.low),
        expected: money(input.expected, output.expected),
        high: money(input.high, output.high),
        currency: price.currency,
      }
    : null;
  if (cost && maxCost !== null) cost = { ...cost, high: Math.min(cost.high, maxCost) };
  const fits =
    input.expected + output.expected <= maxTokens && (cost === null || maxCost === null || cost.expected <= maxCost);
  return {
    ...base,
    model_calls: range((figures) => figures.calls),
    input_tokens: input,
    output_tokens: output,
    tokens,
    cost,
    basis: measured ? { kind: "measured", runs: measured.runs } : { kind: "priors", runs: 0 },
    budget: { max_tokens: maxTokens, max_cost: maxCost, fits },
  };
}

/** Folds one finished run's per-step usage into the measured averages (a moving average over the last ~5 runs). */
export function foldRun(
  previous: MeasuredAverages | null,
  byStep: Partial<Record<string, { input_tokens: number; output_tokens: number; calls: number }>>,
): MeasuredAverages {
  const runs = (previous?.runs ?? 0) + 1;
  const weight = 1 / Math.min(runs, 5);
  const steps: MeasuredAverages["steps"] = { ...previous?.steps };
  for (const step of MODEL_STEPS) {
    const usage = byStep[step] ?? { input_tokens: 0, output_tokens: 0, calls: 0 };
    const now: StepAverage = {
      calls_per_run: usage.calls,
      input_per_call: usage.calls > 0 ? usage.input_tokens / usage.calls : 0,
      output_per_call: usage.calls > 0 ? usage.output_tokens / usage.calls : 0,
    };
    const before = steps[step];
    steps[step] = before
      ? {
          calls_per_run: before.calls_per_run + (now.calls_per_run - before.calls_per_run) * weight,
          input_per_call:
            usage.calls > 0
              ? before.input_per_call + (now.input_per_call - before.input_per_call) * weight
              : before.input_per_call,
          output_per_call:
            usage.calls > 0
              ? before.output_per_call + (now.output_per_call - before.output_per_call) * weight
              : before.output_per_call,
        }
      : now;
  }
  return { runs, steps };
}
