import { describe, expect, it } from "vitest";
import { LlmAuthor } from "../../src/core/llm-author/llm-author.js";
import { checkPipelineEvent, type PipelineEvent, type ProgressEvent } from "../../src/core/events/index.js";
import { ReportError } from "../../src/core/errors.js";
import { taskParamsSchema, type TaskParamsInput } from "../../src/core/params.js";
import { runReport, type RunReportOptions } from "../../src/core/pipeline/run-report.js";
import { reportResultSchema } from "../../src/core/result.js";
import { FakeModel, FakeSearch } from "../fakes/in-process.js";
import { createResearchResponder, type ResearchResponderOptions } from "../fakes/research-responder.js";

function setup(
  input: TaskParamsInput,
  options: {
    responder?: ResearchResponderOptions;
    latencyMs?: number;
    search?: FakeSearch[];
  } & Partial<RunReportOptions> = {},
) {
  const responder = createResearchResponder(options.responder);
  const model = new FakeModel(responder, { latencyMs: options.latencyMs });
  const search = options.search ?? [new FakeSearch("tavily")];
  const events: PipelineEvent[] = [];
  const run = () =>
    runReport({
      params: taskParamsSchema.parse(input),
      author: new LlmAuthor(model),
      searchProviders: search,
      onEvent: (event) => {
        // Every event the pipeline creates keeps to its status's details schema (docs/events.md).
        events.push(checkPipelineEvent(event));
      },
      ...options,
    });
  return { model, search, events, responder, run };
}

const progressOf = (events: PipelineEvent[]) =>
  events.filter((event): event is ProgressEvent => event.type === "progress");

describe("runReport", () => {
  it("runs every step in order, with monotonic progress and one usage event per model call", async () => {
    const { run, events, model } = setup(
      { task: "State of solid-state batteries in 2026" },
      { responder: { sections: 3 } },
    );
    const result = await run();
    expect(reportResultSchema.parse(result)).toBeTruthy();
    const statuses = [...new Set(progressOf(events).map((event) => event.status))];
    expect(statuses).toEqual([
      "task_started",
      // The fake model has no price: one warning says the run reports tokens only.
      "warning",
      "analyzing_intent",
      "generating_outline",
      "searching",
      "assessing_quality",
      "generating_sections",
      "generating_summary",
      "assembling_report",
      "task_completed",
    ]);
    const progress = progressOf(events).map((event) => event.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);
    const usage = events.filter((event) => event.type === "model_usage");
    expect(usage).toHaveLength(model.calls.length);
    expect(result.metadata.usage.calls).toBe(model.calls.length);
    expect(result.metadata.usage.input_tokens).toBe(100 * model.calls.length);
    // intent + outline + 1 assessment + 3 sections + summary
    expect(model.calls).toHaveLength(7);
    const sectionEvents = progressOf(events).filter(
      (event) => event.status === "generating_sections" && event.details?.["content"],
    );
    expect(sectionEvents).toHaveLength(3);
    expect(result.sections).toHaveLength(3);
    expect(result.metadata.engine).toBe("llm");
    expect(result.task_type).toBe("research_report");
    // The task names the year: the window reaches back to its first day.
    const yearStart = Date.UTC(new Date().getUTCFullYear(), 0, 1);
    expect(Date.parse(result.metadata.time_window.from)).toBeLessThanOrEqual(yearStart);
    expect(Date.parse(result.metadata.time_window.from)).toBeGreaterThan(yearStart - 3 * 86_400_000);
  });

  it("numbers citations 1..K, every one resolving to a retrieved source, and drops invented ones", async () => {
    const { run } = setup({ task: "State of solid-state batteries in 2026" }, { responder: { inventCitation: true } });
    const result = await run();
    const cited = [...result.report_content.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
    const ids = result.sources.map((source) => source.id);
    expect(ids).toEqual(ids.map((_, index) => index + 1));
    for (const id of cited) expect(ids).toContain(id);
    for (const id of ids) expect(cited).toContain(id);
    expect(result.report_content).not.toContain("[999]");
    expect(result.warnings.some((warning) => warning.includes("[999]"))).toBe(true);
    for (const source of result.sources) expect(source.url).toMatch(/^https:\/\/example\.com\/tavily\//);
    const linked = [...result.report_content.matchAll(/\]\((https?:[^)\s]+)\)/g)].map((match) => match[1]);
    expect(linked.length).toBe(result.sources.length);
    for (const url of linked) expect(result.sources.map((source) => source.url)).toContain(url);
    expect(result.report_content).toContain("## References");
  });

  it("writes a Chinese task as a Chinese report, headings included", async () => {
    const { run } = setup({ task: "生成AI Agent领域最近一周的行业重大事件报告" });
    const result = await run();
    expect(result.metadata.language).toBe("zh");
    expect(result.metadata.days).toBe(7);
    expect(result.task_type).toBe("news_report");
    expect(result.report_content).toContain("## 执行摘要");
    expect(result.report_content).toContain("## 参考资料");
    expect(result.sections[0]?.content.startsWith("## 一、")).toBe(true);
  });

  it("fills gaps with supplementary searches until the threshold is met", async () => {
    const { run, events, search } = setup(
      { task: "State of solid-state batteries", quality_threshold: 7 },
      { responder: { scores: [5, 8] } },
    );
    const result = await run();
    expect(result.quality.iterations).toBe(2);
    const rounds = progressOf(events).filter(
      (event) => event.status === "assessing_quality" && event.details?.["scores"],
    );
    expect(rounds.map((event) => (event.details?.["scores"] as { overall: number }).overall)).toEqual([5, 8]);
    // The final accuracy folds in the citation check (every sentence supported: (8 + 10) / 2 = 9), moving overall by 1/5.
    expect(result.quality.grounding).toMatchObject({ dropped: 0, repaired: 0 });
    expect(result.quality.accuracy).toBe(9);
    expect(result.quality.overall).toBe(8.2);
    expect(progressOf(events).some((event) => event.status === "supplementing_search")).toBe(true);
    expect(search[0]?.calls.some((call) => call.query.includes("supplementary detail"))).toBe(true);
  });

  it("stops at max_iterations even when the threshold is never met", async () => {
    const { run, responder } = setup(
      { task: "State of solid-state batteries", max_iterations: 2, quality_threshold: 9.5 },
      { responder: { scores: [5] } },
    );
    const result = await run();
    expect(result.quality.iterations).toBe(2);
    expect(responder.counts.quality).toBe(2);
  });

  it("says so instead of inventing when a section has no evidence, without a model call for it", async () => {
    const search = [new FakeSearch("tavily", { empty: (query) => query.includes("theme 2") })];
    const { run, responder } = setup(
      { task: "State of solid-state batteries" },
      { search, responder: { sections: 3 } },
    );
    const result = await run();
    expect(responder.counts.section).toBe(2);
    expect(result.sections[1]?.content).toContain("No sources were found for this section");
    expect(result.sections[1]?.content).not.toMatch(/\[\d+\]/);
  });

  it("cancels mid-run: rejects with cancelled and makes no model call after the abort", async () => {
    const controller = new AbortController();
    const events: PipelineEvent[] = [];
    let callsAtAbort = -1;
    const { run, model } = setup(
      { task: "State of solid-state batteries" },
      {
        latencyMs: 30,
        signal: controller.signal,
        // Cancel on the event itself: the moment section writing is announced.
        onEvent: (event) => {
          events.push(event);
          if (event.type === "progress" && event.status === "generating_sections" && callsAtAbort < 0) {
            callsAtAbort = model.calls.length;
            controller.abort();
          }
        },
      },
    );
    const error = await run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).type).toBe("cancelled");
    expect(callsAtAbort).toBeGreaterThan(0);
    expect(model.calls).toHaveLength(callsAtAbort);
    expect(progressOf(events).some((event) => event.status === "task_completed")).toBe(false);
  });

  it("without a confirmer, auto_confirm false warns and proceeds", async () => {
    const { run } = setup({ task: "State of solid-state batteries", auto_confirm: false });
    const result = await run();
    expect(result.warnings.some((warning) => warning.includes("confirmation was skipped"))).toBe(true);
  });

  it("applies an edited outline and stops on a rejected one", async () => {
    const edited = setup(
      { task: "State of solid-state batteries", auto_confirm: false },
      {
        confirmOutline: async ({ outline }) => ({
          action: "edit",
          outline: { ...outline, sections: [{ id: 0, name: "Only this", goal: "", queries: [] }] },
        }),
      },
    );
    const result = await edited.run();
    expect(result.sections.map((section) => section.name)).toEqual(["Only this"]);
    expect(progressOf(edited.events).some((event) => event.status === "awaiting_confirmation")).toBe(true);

    const rejected = setup(
      { task: "State of solid-state batteries", auto_confirm: false },
      { confirmOutline: async () => ({ action: "reject", feedback: "too broad" }) },
    );
    const error = await rejected.run().catch((caught: unknown) => caught);
    expect((error as ReportError).type).toBe("cancelled");
    expect((error as ReportError).message).toContain("too broad");
    expect(rejected.responder.counts.section).toBe(0);
  });

  it("takes an over-long or one-section outline from the model instead of failing", async () => {
    const long = await setup({ task: "State of solid-state batteries" }, { responder: { sections: 15 } }).run();
    expect(long.sections).toHaveLength(10);
    const single = await setup({ task: "State of solid-state batteries" }, { responder: { sections: 1 } }).run();
    expect(single.sections).toHaveLength(1);
  });

  it("fails fast with no_search_source when no provider is configured", async () => {
    const { run, model } = setup({ task: "anything" }, { search: [] });
    const error = await run().catch((caught: unknown) => caught);
    expect((error as ReportError).type).toBe("no_search_source");
    // The core says what happened; how to fix it is a hint each face words in its own terms.
    expect((error as ReportError).hint).toEqual({ kind: "configure_search" });
    expect((error as ReportError).message).not.toMatch(/--|TAVILY_API_KEY/);
    expect(model.calls).toHaveLength(0);
  });

  it("explains no_search_source and cancellation in the task's language", async () => {
    const none = await setup({ task: "生成固态电池行业报告" }, { search: [] })
      .run()
      .catch((caught: unknown) => caught);
    expect((none as ReportError).type).toBe("no_search_source");
    expect((none as ReportError).message).toContain("没有配置任何检索来源");
    const controller = new AbortController();
    controller.abort();
    const cancelled = await setup({ task: "生成固态电池行业报告" }, { signal: controller.signal })
      .run()
      .catch((caught: unknown) => caught);
    expect((cancelled as ReportError).type).toBe("cancelled");
    expect((cancelled as ReportError).message).toContain("已被取消");
  });

  it("ends with a typed error when the whole-run time limit passes", async () => {
    const { run } = setup({ task: "State of solid-state batteries" }, { latencyMs: 200, timeoutMs: 150 });
    const error = await run().catch((caught: unknown) => caught);
    expect((error as ReportError).type).toBe("report_generation_failed");
    expect((error as ReportError).message).toContain("time limit");
    expect((error as ReportError).hint).toEqual({ kind: "raise_setting", setting: "timeout", value: 0 });
  });

  it("a limit beyond what a timer can hold (e.g. --timeout 3000000) does not end the run at once", async () => {
    const { run } = setup({ task: "State of solid-state batteries" }, { latencyMs: 5, timeoutMs: 3_000_000_000 });
    await expect(run()).resolves.toMatchObject({ status: "completed" });
  });
});

describe("provider fallback", () => {
  it("warns once when a provider fails and finishes with the other", async () => {
    const search = [new FakeSearch("brave", { fail: true }), new FakeSearch("tavily")];
    const { run, events } = setup({ task: "State of solid-state batteries" }, { search });
    const result = await run();
    const warnings = progressOf(events).filter(
      (event) => event.status === "warning" && event.message.includes("brave"),
    );
    expect(warnings).toHaveLength(1);
    expect(result.sources.every((source) => source.provider === "tavily")).toBe(true);
    expect(result.metadata.search_providers).toEqual(["brave", "tavily"]);
  });

  it("fails with search_failed when every provider fails", async () => {
    const { run } = setup(
      { task: "State of solid-state batteries" },
      { search: [new FakeSearch("brave", { fail: true })] },
    );
    const error = await run().catch((caught: unknown) => caught);
    expect((error as ReportError).type).toBe("search_failed");
  });
});
