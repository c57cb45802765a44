import { ReportError, cancelledError } from "../../src/core/errors.js";
import { checkPipelineEvent, type PipelineEvent } from "../../src/core/events/index.js";
import type { TaskParams } from "../../src/core/params.js";
import type { ReportResult } from "../../src/core/result.js";
import type { ReportRuntime, RunOptions } from "../../src/core/runtime.js";

/**
 * A scripted ReportRuntime for tests of the job registry and HTTP layer before (and beside)
 * the real pipeline: it walks the SPEC §6.1 steps, honours its AbortSignal and the outline
 * confirmer, and records every "spend" (simulated model call) with the signal's state.
 */
export type ScriptedRuntime = ReportRuntime & {
  /** Simulated model calls, with whether the run's signal had already fired. */
  calls: Array<{ task: string; step: string; afterAbort: boolean }>;
  /** Opens, for good, the gate that runs wait at before writing sections (when `gated`): for runs of `task`, or all. */
  release(task?: string): void;
};

export type ScriptedRuntimeOptions = {
  /** When true, runs wait before writing sections until release() is called. */
  gated?: boolean;
  /** Makes every run fail with this error after the outline. */
  failWith?: ReportError;
  sections?: string[];
};

export const FAKE_OUTLINE = {
  title: "AI Agent weekly",
  sections: [
    { id: 1, name: "Funding", goal: "Who raised money", queries: ["ai agent funding"] },
    { id: 2, name: "Launches", goal: "What shipped", queries: ["ai agent launch"] },
  ],
};

export function createScriptedRuntime(options: ScriptedRuntimeOptions = {}): ScriptedRuntime {
  const calls: ScriptedRuntime["calls"] = [];
  let releasedAll = false;
  const releasedTasks = new Set<string>();
  const waiting = new Set<{ task: string; open: () => void }>();
  const gate = (task: string, signal: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(cancelledError(signal.reason));
      if (releasedAll || releasedTasks.has(task)) return resolve();
      const waiter = {
        task,
        open: () => {
          waiting.delete(waiter);
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        waiting.delete(waiter);
        reject(cancelledError(signal.reason));
      };
      waiting.add(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  const sectionNames = options.sections ?? FAKE_OUTLINE.sections.map((section) => section.name);

  async function runReport(params: TaskParams, run: RunOptions): Promise<ReportResult> {
    const signal = run.signal ?? new AbortController().signal;
    const started = Date.now();
    const emit = async (event: PipelineEvent): Promise<void> => {
      // The fake keeps to the event contract the faces rely on (core/events/details.ts).
      await run.onEvent(checkPipelineEvent(event));
    };
    const spend = async (
      step: "analyzing_intent" | "generating_outline" | "generating_sections" | "generating_summary",
    ): Promise<void> => {
      calls.push({ task: params.task, step, afterAbort: signal.aborted });
      if (signal.aborted) throw cancelledError(signal.reason);
      await emit({
        type: "model_usage",
        step,
        model_provider: "fake",
        model_name: "fake-1",
        input_tokens: 100,
        output_tokens: 50,
        estimated: false,
      });
    };
    await emit({ type: "progress", status: "task_started", message: "Task started", progress: 1 });
    await emit({ type: "progress", status: "analyzing_intent", message: "Analysing intent", progress: 5 });
    await spend("analyzing_intent");
    let outline = structuredClone(FAKE_OUTLINE);
    await spend("generating_outline");
    await emit({
      type: "progress",
      status: "generating_outline",
      message: "Outline ready",
      details: { outline },
      progress: 15,
    });
    if (options.failWith) throw options.failWith;
    if (!params.auto_confirm && run.confirmOutline) {
      await emit({
        type: "progress",
        status: "awaiting_confirmation",
        message: "Waiting for approval",
        details: { outline },
        progress: 16,
      });
      const decision = await run.confirmOutline({
        outline,
        signal,
        intent: {
          task_type: "news_report",
          topic: "AI Agent",
          language: "en",
          days: 7,
          time_window: { from: "a", to: "b" },
          key_terms: [],
        },
      });
      if (decision.action === "reject")
        throw new ReportError(
          "cancelled",
          `The outline was rejected${decision.feedback ? `: ${decision.feedback}` : ""}.`,
        );
      if (decision.action === "edit") outline = decision.outline;
    }
    await emit({
      type: "progress",
      status: "searching",
      message: "Searching",
      details: { queries: [{ section_id: 1, queries: ["q1", "q2"] }] },
      progress: 30,
    });
    if (options.gated) {
      await gate(params.task, signal);
    }
    const names = outline === FAKE_OUTLINE ? sectionNames : outline.sections.map((section) => section.name);
    const sections = [];
    for (const [index, name] of names.entries()) {
      await spend("generating_sections");
      const section = { id: index + 1, name, content: `## ${name}\n\nText about ${name} [1].` };
      sections.push(section);
      await emit({
        type: "progress",
        status: "generating_sections",
        message: `Wrote ${name}`,
        details: section,
        progress: 40 + index * 10,
      });
    }
    await spend("generating_summary");
    await emit({ type: "progress", status: "task_completed", message: "Done", progress: 100 });
    const report = `# ${outline.title}\n\n${sections.map((section) => section.content).join("\n\n")}\n`;
    const usage = {
      input_tokens: 100 * (names.length + 3),
      output_tokens: 50 * (names.length + 3),
      calls: names.length + 3,
      estimated: false,
    };
    return {
      status: "completed",
      task: params.task,
      task_type: params.task_type === "auto" ? "news_report" : params.task_type,
      title: outline.title,
      report_content: report,
      summary: "Summary.",
      sections,
      sources: [{ id: 1, title: "Source one", url: "https://example.com/1", published_at: null, provider: "tavily" }],
      quality: { overall: 8, relevance: 8, depth: 8, accuracy: 8, completeness: 8, timeliness: 8, iterations: 1 },
      warnings: [],
      metadata: {
        topic: "AI Agent",
        language: "en",
        sections_count: sections.length,
        final_quality_score: 8,
        engine: "llm",
        model_provider: "fake",
        model_name: "fake-1",
        search_providers: ["tavily"],
        days: params.days ?? 7,
        time_window: { from: "2026-11-18", to: "2026-11-25" },
        generated_at: new Date().toISOString(),
        duration_ms: Date.now() - started,
        usage: { ...usage, by_model: { "fake/fake-1": usage }, by_step: {} },
      },
    };
  }

  return {
    calls,
    release: (task) => {
      if (task === undefined) releasedAll = true;
      else releasedTasks.add(task);
      for (const waiter of [...waiting]) if (task === undefined || waiter.task === task) waiter.open();
    },
    runReport,
    search: async () => ({ results: [], providers: [], warnings: [] }),
    describe: () => ({ engine: "llm", modelProvider: "fake", modelName: "fake-1", searchProviders: ["tavily"] }),
  };
}
