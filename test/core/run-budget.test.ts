import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRuntime } from "../../src/app/create-runtime.js";
import { settingsSchema, type Settings } from "../../src/app/settings.js";
import type { ModelUsageEvent, PipelineEvent, ProgressEvent } from "../../src/core/events/index.js";
import { ReportError } from "../../src/core/errors.js";
import { taskParamsSchema, type TaskParamsInput } from "../../src/core/params.js";
import { reportResultSchema } from "../../src/core/result.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import type { ResearchResponderOptions } from "../fakes/research-responder.js";

let home: string;
let world: ResearchWorld | undefined;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "report-mcp-budget-"));
});
afterEach(async () => {
  await world?.close();
  world = undefined;
  await rm(home, { recursive: true, force: true });
});

async function runWith(options: {
  world?: ResearchResponderOptions;
  settings?: Partial<Settings>;
  params: TaskParamsInput;
}) {
  world = await startResearchWorld({ providers: ["tavily"], ...options.world });
  const settings = settingsSchema.parse({ ...world.settings(home), ...options.settings });
  const runtime = createRuntime(settings);
  const events: PipelineEvent[] = [];
  const outcome = await runtime
    .runReport(taskParamsSchema.parse(options.params), {
      onEvent: (event) => {
        events.push(event);
      },
    })
    .then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const usage = events.filter((event): event is ModelUsageEvent => event.type === "model_usage");
  const warnings = events
    .filter((event): event is ProgressEvent => event.type === "progress" && event.status === "warning")
    .map((event) => event.message);
  return { outcome, events, usage, warnings, runtime, world };
}

const TASK = "State of solid-state batteries in 2026";

describe("cost in money", () => {
  it("prices every call of the preset's default model from the table and totals it in the result", async () => {
    const { outcome, usage } = await runWith({
      world: { usage: { prompt_tokens: 1000, completion_tokens: 500 } },
      params: { task: TASK },
    });
    if (!outcome.ok) throw outcome.error;
    // openai/gpt-4.1-mini: 0.40 USD per 1M input, 1.60 per 1M output.
    for (const event of usage) expect(event.cost).toEqual({ amount: 0.0012, currency: "USD" });
    expect(outcome.result.metadata.cost?.currency).toBe("USD");
    expect(outcome.result.metadata.cost?.amount).toBeCloseTo(0.0012 * usage.length, 6);
    expect(outcome.result.metadata.budget?.spent_cost?.amount).toBeCloseTo(0.0012 * usage.length, 6);
    expect(reportResultSchema.parse(outcome.result).metadata.cost).toBeDefined();
  });

  it("uses a price override, and an unknown model gets tokens only with one warning per run", async () => {
    const overridden = await runWith({
      world: { usage: { prompt_tokens: 2000, completion_tokens: 1000 } },
      settings: { prices: { "gpt-4.1-mini": { input: 1, output: 3, currency: "EUR" } } },
      params: { task: TASK },
    });
    if (!overridden.outcome.ok) throw overridden.outcome.error;
    expect(overridden.usage[0]?.cost).toEqual({ amount: 0.005, currency: "EUR" });
    await world?.close();
    world = undefined;

    const unknown = await runWith({ settings: { model: "someones-finetune" }, params: { task: TASK } });
    if (!unknown.outcome.ok) throw unknown.outcome.error;
    expect(unknown.usage.length).toBeGreaterThan(3);
    for (const event of unknown.usage) expect(event.cost).toBeUndefined();
    expect(unknown.outcome.result.metadata.cost).toBeUndefined();
    expect(
      unknown.warnings.filter((message) => /price of the model openai\/someones-finetune is unknown/.test(message)),
    ).toHaveLength(1);
  });

  it("refuses max_cost for a model without a price, saying how to set one", async () => {
    const { outcome } = await runWith({
      settings: { model: "someones-finetune" },
      params: { task: TASK, max_cost: 0.5 },
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect((outcome.error as ReportError).type).toBe("invalid_params");
    expect((outcome.error as ReportError).message).toMatch(
      /max_cost needs the price of the model openai\/someones-finetune/,
    );
    // How to set a price is the face's to say (flags, tool arguments or body fields): test/mcp/error-advice-per-face.test.ts.
    expect((outcome.error as ReportError).hint).toEqual({ kind: "set_price", model: "someones-finetune" });
  });
});

describe("a budget that holds", () => {
  it("plans fewer sections and rounds under a small max_tokens and spends no more than it", async () => {
    // Unbudgeted, this run would write 6 sections and go 3 rounds (the assessor never passes it).
    const {
      outcome,
      warnings,
      world: used,
    } = await runWith({ world: { sections: 6, scores: [5] }, params: { task: TASK, max_tokens: 20_000 } });
    if (!outcome.ok) throw outcome.error;
    const { metadata, quality } = outcome.result;
    expect(metadata.sections_count).toBeLessThan(6);
    expect(metadata.sections_count).toBeGreaterThan(0);
    expect(quality.iterations).toBeLessThan(3);
    expect(metadata.usage.input_tokens + metadata.usage.output_tokens).toBeLessThanOrEqual(20_000);
    expect(metadata.budget).toMatchObject({ max_tokens: 20_000, limited: true });
    expect(metadata.budget?.spent_tokens).toBe(metadata.usage.input_tokens + metadata.usage.output_tokens);
    expect(warnings.some((message) => /To stay within the budget \(20000 tokens\)/.test(message))).toBe(true);
    // What the fake served agrees: no more model requests than usage events.
    expect(used.openai.calls.length).toBe(metadata.usage.calls);
  });

  it("holds a money budget: plans smaller and spends no more than max_cost", async () => {
    const { outcome, warnings } = await runWith({
      world: { sections: 6, scores: [5] },
      params: { task: TASK, max_cost: 0.02 },
    });
    if (!outcome.ok) throw outcome.error;
    const { metadata } = outcome.result;
    expect(metadata.cost?.currency).toBe("USD");
    expect(metadata.cost?.amount ?? Infinity).toBeLessThanOrEqual(0.02);
    expect(metadata.budget).toMatchObject({ max_cost: 0.02, limited: true });
    expect(metadata.sections_count).toBeLessThan(6);
    expect(warnings.some((message) => /To stay within the budget/.test(message))).toBe(true);
  });

  it("ends with budget_exceeded when not even the plan fits", async () => {
    const { outcome, world: used } = await runWith({ params: { task: TASK, max_tokens: 1000 } });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const error = outcome.error as ReportError;
    expect(error.type).toBe("budget_exceeded");
    expect(error.hint).toEqual({ kind: "raise_setting", setting: "budget" });
    // Nothing past the call that no longer fit was sent.
    expect(used.openai.calls.length).toBeLessThanOrEqual(2);
  });

  it("holds against a model that answers with far more tokens than it was allowed", async () => {
    const flood = Array.from(
      { length: 4000 },
      (_, index) => `Filler sentence number ${index} says nothing at all.`,
    ).join(" ");
    const {
      outcome,
      usage,
      world: used,
    } = await runWith({
      // Streamed a few words at a time, as real APIs do; the fake ignores max_tokens.
      world: { override: { section: () => ({ content: flood, chunkChars: 40 }) } },
      params: { task: TASK, max_tokens: 30_000 },
    });
    // The flood (~50k tokens per section, reported by the fake as such) was cut at each call's output limit…
    const sectionCalls = usage.filter((event) => event.step === "generating_sections");
    expect(sectionCalls.length).toBeGreaterThan(0);
    for (const event of sectionCalls) expect(event.output_tokens).toBeLessThan(1900);
    // …and the run as a whole, however it ended, stayed within its budget.
    const spent = usage.reduce((sum, event) => sum + event.input_tokens + event.output_tokens, 0);
    expect(spent).toBeLessThanOrEqual(30_000);
    expect(used.openai.calls.length).toBe(usage.length);
    // Filler cites nothing: the run ends without a report, as any uncited one does, never by exceeding the budget.
    if (!outcome.ok)
      expect(["insufficient_evidence", "budget_exceeded"]).toContain((outcome.error as ReportError).type);
  });

  it("a runaway guard on model calls stops the run with a typed error", async () => {
    const { outcome, world: used } = await runWith({ settings: { maxModelCalls: 2 }, params: { task: TASK } });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect((outcome.error as ReportError).type).toBe("budget_exceeded");
    expect((outcome.error as ReportError).message).toMatch(/2 model calls/);
    expect(used.openai.calls.length).toBe(2);
  });

  it("a guard on prompt size refuses to send an oversized prompt", async () => {
    const { outcome, usage } = await runWith({ settings: { maxPromptTokens: 1000 }, params: { task: TASK } });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect((outcome.error as ReportError).type).toBe("budget_exceeded");
    expect((outcome.error as ReportError).message).toMatch(/over the limit of 1000 per prompt/);
    for (const event of usage) expect(event.input_tokens).toBeLessThanOrEqual(1000);
  });

  it("a guard on search requests drops further queries and says so once", async () => {
    const {
      events,
      warnings,
      world: used,
    } = await runWith({ world: { sections: 4 }, settings: { maxSearchCalls: 2 }, params: { task: TASK } });
    expect(used.search.tavily?.calls.length).toBeLessThanOrEqual(2);
    expect(warnings.filter((message) => /limit of search requests/.test(message))).toHaveLength(1);
    expect(events.length).toBeGreaterThan(0);
  });

  it("a guard on page fetches keeps snippets and says so once", async () => {
    const {
      outcome,
      warnings,
      world: used,
    } = await runWith({ settings: { maxPageFetches: 1 }, params: { task: TASK } });
    if (!outcome.ok) throw outcome.error;
    expect(used.siteRequests.length).toBe(1);
    expect(warnings.filter((message) => /limit of page fetches/.test(message))).toHaveLength(1);
    expect(outcome.result.metadata.budget?.page_fetches).toBe(1);
  });
});

describe("estimates", () => {
  it("come within ±30 % of the tokens actually spent on the fake model for three task types, once a run was measured", async () => {
    world = await startResearchWorld({ providers: ["tavily"] });
    const runtime = createRuntime(world.settings(home));
    const tasks: TaskParamsInput[] = [
      { task: TASK, task_type: "research_report" },
      { task: "AI agent news of the last week", task_type: "news_report" },
      { task: "Industry analysis of the EV charging market", task_type: "industry_analysis" },
    ];
    // Before any run: built-in priors (sized for real models and real pages), which over-estimate the tiny fake.
    const prior = await runtime.estimate!(taskParamsSchema.parse(tasks[0]));
    expect(prior.basis.kind).toBe("priors");
    const calibration = await runtime.runReport(taskParamsSchema.parse(tasks[0]), { onEvent: () => {} });
    const calibrationTokens = calibration.metadata.usage.input_tokens + calibration.metadata.usage.output_tokens;
    expect(prior.tokens.low).toBeLessThanOrEqual(prior.tokens.high);
    expect(calibrationTokens).toBeGreaterThan(0);
    for (const task of tasks) {
      const params = taskParamsSchema.parse(task);
      const estimate = await runtime.estimate!(params);
      expect(estimate.basis.kind).toBe("measured");
      const result = await runtime.runReport(params, { onEvent: () => {} });
      const actual = result.metadata.usage.input_tokens + result.metadata.usage.output_tokens;
      expect(Math.abs(estimate.tokens.expected - actual) / actual).toBeLessThanOrEqual(0.3);
      expect(estimate.tokens.low).toBeLessThanOrEqual(actual);
      expect(estimate.tokens.high).toBeGreaterThanOrEqual(actual);
      expect(estimate.cost?.currency).toBe("USD");
    }
  });
});
