import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRuntime } from "../../src/app/create-runtime.js";
import { settingsSchema, type Settings } from "../../src/app/settings.js";
import { checkPipelineEvent, type PipelineEvent } from "../../src/core/events/index.js";
import { ReportError } from "../../src/core/errors.js";
import { taskParamsSchema } from "../../src/core/params.js";
import { reportResultSchema } from "../../src/core/result.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";

let home: string;

/** No model, no web search: the extractive engine over one corpus folder. */
function offlineSettings(corpus: string): Settings {
  return settingsSchema.parse({ corpus: [corpus], home });
}
let world: ResearchWorld | undefined;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "report-mcp-runtime-"));
});
afterEach(async () => {
  await world?.close();
  world = undefined;
  await rm(home, { recursive: true, force: true });
});

describe("createRuntime against loopback fakes (real openai, Tavily and Brave clients, real page fetcher)", () => {
  it("produces a cited report whose usage equals what the fake model reported", async () => {
    world = await startResearchWorld({
      providers: ["tavily", "brave"],
      sections: 3,
      usage: { prompt_tokens: 321, completion_tokens: 45 },
    });
    const runtime = createRuntime(world.settings(home));
    const events: PipelineEvent[] = [];
    const result = await runtime.runReport(taskParamsSchema.parse({ task: "State of solid-state batteries in 2026" }), {
      onEvent: (event) => {
        events.push(checkPipelineEvent(event));
      },
    });
    expect(reportResultSchema.parse(result).status).toBe("completed");
    expect(result.metadata.model_provider).toBe("openai");
    expect(result.metadata.search_providers).toEqual(["tavily", "brave"]);
    // Every model call was one HTTP request with one usage event carrying the fake's numbers.
    const usage = events.filter((event) => event.type === "model_usage");
    expect(usage).toHaveLength(world.openai.calls.length);
    for (const event of usage) expect([event.input_tokens, event.output_tokens]).toEqual([321, 45]);
    expect(result.metadata.usage.input_tokens).toBe(321 * world.openai.calls.length);
    expect(result.metadata.usage.output_tokens).toBe(45 * world.openai.calls.length);
    expect(result.metadata.usage.by_step["generating_sections"]?.calls).toBe(3);
    expect(result.metadata.usage.estimated).toBe(false);
    // Sources are the fake site's pages, and the best ones were fetched for their main text.
    expect(result.sources.length).toBeGreaterThan(0);
    for (const source of result.sources) expect(source.url.startsWith(world.siteUrl)).toBe(true);
    expect(world.siteRequests.length).toBeGreaterThan(0);
    // Both providers were asked every query.
    expect(world.search.tavily?.calls.length).toBe(world.search.brave?.calls.length);
  });

  it("stops at cancel: no model request reaches the fake after the abort", async () => {
    world = await startResearchWorld({ latencyMs: 80 });
    const runtime = createRuntime(world.settings(home));
    const controller = new AbortController();
    let abortedAtCall = -1;
    const running = runtime.runReport(taskParamsSchema.parse({ task: "State of solid-state batteries" }), {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "progress" && event.status === "generating_sections" && abortedAtCall < 0) {
          abortedAtCall = world?.openai.calls.length ?? 0;
          controller.abort();
        }
      },
    });
    const error = await running.catch((caught: unknown) => caught);
    expect((error as ReportError).type).toBe("cancelled");
    // The run has ended: every request it made was sent before it rejected.
    expect(world.openai.calls.length).toBe(abortedAtCall);
  });

  it("reports a rejected model key as model_call_failed without leaking the key", async () => {
    world = await startResearchWorld({
      override: { intent: () => ({ status: 401, content: "Incorrect API key provided: sk-test-fake-key" }) },
    });
    const runtime = createRuntime(world.settings(home));
    const error = await runtime
      .runReport(taskParamsSchema.parse({ task: "anything" }), { onEvent: () => {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).type).toBe("model_call_failed");
    expect((error as ReportError).message).not.toContain("sk-test-fake-key");
    expect((error as ReportError).message).toContain("OPENAI_API_KEY");
  });

  it("searches once across providers for the search tool", async () => {
    world = await startResearchWorld({ providers: ["google"] });
    const runtime = createRuntime(world.settings(home));
    const found = await runtime.search({ query: "sodium batteries", days: 30 });
    expect(found.providers).toEqual(["google"]);
    expect(found.results.length).toBe(3);
    expect(world.search.google?.calls[0]?.params["dateRestrict"]).toBe("d30");
  });
});

describe("createRuntime offline (no model key, local corpus)", () => {
  it("uses the extractive engine and reports skipped corpus files in the run's warnings", async () => {
    const { mkdir, writeFile } = await import("node:fs/promises");
    const corpus = join(home, "docs");
    await mkdir(corpus, { recursive: true });
    await writeFile(
      join(corpus, "2026-11-20-sodium.md"),
      "---\ntitle: Sodium-ion cells ship\ndate: 2026-11-20\n---\n\nA maker shipped sodium-ion cells for home storage this week. The cells cost less than lithium-ion cells of the same size.\n",
    );
    await writeFile(join(corpus, "broken.md"), Buffer.from([0, 159, 146, 150, 0, 0, 1, 2, 3, 0]));
    // The terminal prints both the logger's lines and the run's warnings: the notice must come once.
    const logged: string[] = [];
    const runtime = createRuntime(offlineSettings(corpus), {
      now: () => new Date("2026-11-25T12:00:00Z"),
      logger: (line) => void logged.push(line),
    });
    expect(runtime.describe()).toMatchObject({ engine: "extractive", searchProviders: ["corpus"] });
    const events: PipelineEvent[] = [];
    const result = await runtime.runReport(taskParamsSchema.parse({ task: "sodium-ion cells this week" }), {
      onEvent: (event) => {
        events.push(checkPipelineEvent(event));
      },
    });
    expect(result.metadata.engine).toBe("extractive");
    expect(result.metadata.usage.calls).toBe(0);
    expect(events.some((event) => event.type === "model_usage")).toBe(false);
    expect(result.sources[0]?.url).toMatch(/^file:\/\//);
    const skipped = result.warnings.filter((warning) => warning.includes("broken.md"));
    expect(skipped).toHaveLength(1);
    expect(logged.filter((line) => line.includes("broken.md"))).toEqual([]);
  });

  it("keeps an outline on topic when only one source falls inside the window", async () => {
    const runtime = createRuntime(offlineSettings(join(process.cwd(), "examples", "corpus")), {
      now: () => new Date("2026-11-25T12:00:00Z"),
    });
    const result = await runtime.runReport(taskParamsSchema.parse({ task: "固态电池行业分析" }), { onEvent: () => {} });
    expect(result.sources.length).toBeGreaterThan(0);
    for (const source of result.sources) expect(source.url).toContain("/batteries/");
    for (const section of result.sections) expect(section.name).not.toMatch(/智能|指引|征求/);
  });

  it("keeps a Chinese report's sections in Chinese when they have Chinese evidence enough", async () => {
    const runtime = createRuntime(offlineSettings(join(process.cwd(), "examples", "corpus")), {
      now: () => new Date("2026-11-25T12:00:00Z"),
    });
    const result = await runtime.runReport(
      taskParamsSchema.parse({ task: "生成AI Agent领域最近一周的行业重大事件报告" }),
      { onEvent: () => {} },
    );
    let checked = 0;
    for (const section of result.sections) {
      const sentences = section.content
        .split("\n")
        .slice(1)
        .join(" ")
        .split(/\[\d+\]/)
        .map((text) => text.trim())
        .filter(Boolean);
      const chinese = sentences.filter((text) => /[\u4e00-\u9fff]/.test(text));
      if (chinese.length < 2) continue;
      checked += 1;
      expect(
        sentences.filter((text) => !/[\u4e00-\u9fff]/.test(text)),
        section.name,
      ).toEqual([]);
    }
    expect(checked).toBeGreaterThan(0);
  });
});
