import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportErrorSchema, reportResultSchema } from "../../src/core/result.js";
import type { FakeReply } from "../fakes/openai-server.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { callTool, connect, progressMessages, usageMessages, type Harness } from "./mcp-harness.js";
import { removeRuntimeHomes, worldRuntime } from "./test-runtime.js";

/** Usage the fake model reports per call: distinct numbers so sums are meaningful. */
const reported: Array<{ prompt_tokens: number; completion_tokens: number }> = [];

let world: ResearchWorld;
let harness: Harness;

beforeAll(async () => {
  world = await startResearchWorld({ sections: 3 });
  const base = world.responder;
  world.openai.setResponder(async (request, index): Promise<FakeReply> => {
    const reply = await base(request, index);
    const usage = { prompt_tokens: 500 + index * 7, completion_tokens: 40 + index * 3 };
    reported.push(usage);
    return { ...reply, usage };
  });
  harness = await connect({ runtime: worldRuntime(world) });
});

afterAll(async () => {
  await harness?.close();
  await world?.close();
  removeRuntimeHomes();
});

describe("tools/list", () => {
  it("lists the six tools, every input field described, generate_report task-capable with a declared output schema", async () => {
    const { tools } = await harness.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "cancel_report",
      "estimate_report",
      "generate_report",
      "get_report",
      "search",
      "start_report",
    ]);
    for (const tool of tools) {
      expect(tool.description, tool.name).toBeTruthy();
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect((schema as { description?: string }).description, `${tool.name}.${field}`).toMatch(/\w{3,}/);
      }
      expect(tool.outputSchema?.type, tool.name).toBe("object");
    }
    const generate = tools.find((tool) => tool.name === "generate_report");
    expect(generate?.execution?.taskSupport).toBe("optional");
    expect(Object.keys(generate?.inputSchema.properties ?? {}).sort()).toEqual(
      [
        "auto_confirm",
        "days",
        "language",
        "max_cost",
        "max_iterations",
        "max_tokens",
        "quality_threshold",
        "task",
        "task_type",
      ].sort(),
    );
    expect(generate?.inputSchema.required).toEqual(["task"]);
    const variants = (generate?.outputSchema as { anyOf?: Array<{ required?: string[] }> }).anyOf ?? [];
    expect(variants.map((variant) => variant.required?.includes("report_content"))).toEqual([true, false]);
  });
});

describe("generate_report", () => {
  it("streams monotonic progress and the seed's messages, and returns a schema-valid report", async () => {
    const progress: Array<{ progress: number; total?: number; message?: string }> = [];
    const before = harness.messages.length;
    // This run's calls only: other tests may have run reports on the same world first.
    const callsBefore = world.openai.calls.length;
    const reportedBefore = reported.length;
    const result = await callTool(
      harness.client,
      "generate_report",
      { task: "State of solid-state batteries in 2026", days: 30 },
      { onprogress: (update) => progress.push(update), resetTimeoutOnProgress: true, timeout: 20_000 },
    );
    expect(result.isError).toBeFalsy();
    const report = reportResultSchema.parse(result.structuredContent);
    expect(report.status).toBe("completed");
    expect(report.sections).toHaveLength(3);
    expect(result.content[0]).toEqual({ type: "text", text: report.report_content });
    expect(report.report_content).toMatch(/^# /);

    expect(progress.length).toBeGreaterThan(5);
    for (const [index, update] of progress.entries()) {
      expect(update.total).toBe(100);
      expect(update.message).toBeTruthy();
      if (index > 0) expect(update.progress).toBeGreaterThanOrEqual(progress[index - 1]?.progress ?? 0);
    }
    expect(progress.at(-1)?.progress).toBe(100);

    const messages = harness.messages.slice(before);
    for (const message of messages) {
      expect(message.logger).toBe("report-mcp");
      expect(["info", "warning"]).toContain(message.level);
    }
    const steps = progressMessages(messages);
    const statuses = steps.map((step) => step.status);
    expect(statuses[0]).toBe("task_started");
    expect(statuses.at(-1)).toBe("task_completed");
    for (const status of [
      "analyzing_intent",
      "generating_outline",
      "searching",
      "assessing_quality",
      "generating_sections",
      "generating_summary",
    ]) {
      expect(statuses).toContain(status);
    }
    const finishedSections = steps.filter(
      (step) => step.status === "generating_sections" && (step.details as { content?: string })?.content,
    );
    expect(finishedSections.map((step) => (step.details as { name: string }).name).sort()).toEqual(
      report.sections.map((section) => section.name).sort(),
    );

    const usage = usageMessages(messages);
    const reportedHere = reported.slice(reportedBefore);
    expect(usage).toHaveLength(world.openai.calls.length - callsBefore);
    for (const entry of usage) {
      // The seed's four fields first, then the call's cost (the preset's default model has a price).
      expect(Object.keys(entry)).toEqual(["model_provider", "model_name", "input_tokens", "output_tokens", "cost"]);
      expect(entry.model_provider).toBe("openai");
    }
    const sum = (key: string): number => usage.reduce((total, entry) => total + Number(entry[key]), 0);
    expect(sum("input_tokens")).toBe(reportedHere.reduce((total, entry) => total + entry.prompt_tokens, 0));
    expect(sum("output_tokens")).toBe(reportedHere.reduce((total, entry) => total + entry.completion_tokens, 0));
    expect(report.metadata.usage.input_tokens).toBe(sum("input_tokens"));
    expect(report.metadata.usage.output_tokens).toBe(sum("output_tokens"));
  });

  it("lists the finished report as a report:// resource with its Markdown", async () => {
    // A report of its own: the test does not rely on an earlier one having run.
    const started = await callTool(harness.client, "start_report", {
      task: "Sodium-ion batteries in 2026",
      max_iterations: 1,
    });
    const { report_id } = started.structuredContent as { report_id: string };
    await harness.jobs.done(report_id);
    const { resources } = await harness.client.listResources();
    const listed = resources.find((resource) => resource.uri === `report://${report_id}`);
    expect(listed?.uri).toMatch(/^report:\/\/[\w-]+$/);
    expect(listed?.mimeType).toBe("text/markdown");
    const read = await harness.client.readResource({ uri: listed?.uri ?? "" });
    const content = read.contents[0];
    expect(content && "text" in content ? content.text : "").toMatch(/^# .*\n/);
    await expect(harness.client.readResource({ uri: "report://no-such-report" })).rejects.toThrow(/does not exist/);
  });

  it("honours logging/setLevel: at warning level no info messages arrive", async () => {
    await harness.client.setLoggingLevel("warning");
    const before = harness.messages.length;
    const result = await callTool(harness.client, "generate_report", { task: "Solid-state battery supply chain" });
    expect(result.isError).toBeFalsy();
    const levels = harness.messages.slice(before).map((message) => message.level);
    expect(levels.filter((level) => level === "info")).toEqual([]);
    await harness.client.setLoggingLevel("info");
  });

  it("rejects out-of-range parameters naming the field", async () => {
    const result = await callTool(harness.client, "generate_report", { task: "x", quality_threshold: 11 });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/quality_threshold/);
  });

  it("returns a failed run as isError with {type, message} that passes the client's schema check", async () => {
    world.openai.setResponder(() => ({ status: 401, content: "Incorrect API key provided" }));
    try {
      const result = await callTool(harness.client, "generate_report", { task: "Anything at all" });
      expect(result.isError).toBe(true);
      const payload = reportErrorSchema.parse(result.structuredContent);
      expect(payload.type).toBe("model_call_failed");
      expect(payload.message).not.toMatch(/sk-test-fake-key/);
      expect(result.content[0]).toEqual({ type: "text", text: JSON.stringify(payload) });
    } finally {
      world.openai.setResponder(world.responder);
    }
  });
});
