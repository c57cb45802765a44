import { CallToolResultSchema, CreateTaskResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reportErrorSchema, reportResultSchema } from "../../src/core/result.js";
import { reportStatusSchema } from "../../src/mcp/job-view.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { callTool, connect, type Harness } from "./mcp-harness.js";
import { removeRuntimeHomes, worldRuntime } from "./test-runtime.js";

const TASK = { task: "State of solid-state batteries in 2026", max_iterations: 1 };

let world: ResearchWorld;
let harness: Harness;

/** Counts requests to the fake model and the fake search API. */
function spend(): number {
  return world.openai.calls.length + (world.search.tavily?.calls.length ?? 0);
}

/**
 * After a cancel: the job has ended and the pipeline behind it has wound down, having made at
 * most the requests already on the wire when the cancel came (`allowance`: a model call and a
 * round of parallel searches).
 */
async function expectNoFurtherSpend(atCancel: number, allowance = 5): Promise<void> {
  await Promise.all(harness.jobs.list().map((job) => harness.jobs.done(job.id)));
  await harness.settled();
  expect(spend()).toBeLessThanOrEqual(atCancel + allowance);
}

/** Model requests made before the current test began (every earlier run had wound down). */
let spendBaseline = 0;

beforeAll(async () => {
  // Every model call takes 120 ms, so a run lasts long enough to be interrupted.
  world = await startResearchWorld({ sections: 3, latencyMs: 120 });
});

// A host of its own per test: no job of one test is seen (or cancelled) by the next.
beforeEach(async () => {
  harness = await connect({ runtime: worldRuntime(world), heartbeatMs: 50 });
  spendBaseline = world.openai.calls.length;
});

afterEach(async () => {
  for (const job of harness.jobs.list()) harness.jobs.cancel(job.id);
  await harness.settled();
  await harness.close();
});

afterAll(async () => {
  await world?.close();
  removeRuntimeHomes();
});

describe("generate_report while it runs", () => {
  it("sends heartbeats with the current step while a model call is slow", async () => {
    const progress: Array<{ progress: number; message?: string }> = [];
    await callTool(harness.client, "generate_report", TASK, {
      onprogress: (update) => progress.push(update),
      resetTimeoutOnProgress: true,
    });
    const beats = progress.filter((update) => update.message?.startsWith("still working: "));
    expect(beats.length).toBeGreaterThan(2);
    for (let index = 1; index < progress.length; index += 1) {
      expect(progress[index]?.progress).toBeGreaterThanOrEqual(progress[index - 1]?.progress ?? 0);
    }
  });

  it("stops the run on notifications/cancelled: no model or search request afterwards", async () => {
    const controller = new AbortController();
    const call = callTool(harness.client, "generate_report", TASK, {
      signal: controller.signal,
      onprogress: () => undefined,
    });
    const baseline = world.openai.calls.length;
    await world.openai.received(baseline + 2);
    const callsBefore = world.openai.calls.length;
    const spendBefore = spend();
    controller.abort("the person pressed stop");
    await expect(call).rejects.toThrow();
    await expectNoFurtherSpend(spendBefore);
    expect(world.openai.calls.length).toBeLessThanOrEqual(callsBefore + 1);
    expect(harness.jobs.list()[0]?.status).toBe("cancelled");
  });
});

describe("MCP Tasks", () => {
  it("returns a task at once; tasks/get shows progress; tasks/result returns the report", async () => {
    const progress: number[] = [];
    const created = await harness.client.request(
      { method: "tools/call", params: { name: "generate_report", arguments: TASK, task: { ttl: 60_000 } } },
      CreateTaskResultSchema,
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(created.task.status).toBe("working");
    const messagesBefore = harness.messages.length;
    const taskId = created.task.taskId;
    await harness.until(() => (harness.jobs.list()[0]?.progress ?? 0) > 10);
    const running = await harness.client.experimental.tasks.getTask(taskId);
    expect(running.status).toBe("working");
    expect(running.statusMessage).toMatch(/^\d+% · \S/);
    const result = await harness.client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
    expect(result.isError).toBeFalsy();
    expect(reportResultSchema.parse(result.structuredContent).status).toBe("completed");
    expect((await harness.client.experimental.tasks.getTask(taskId)).status).toBe("completed");
    // Progress keeps flowing to the original token after the task was returned; messages name the task.
    expect(progress.at(-1)).toBe(100);
    const taskMessages = harness.messages.slice(messagesBefore);
    expect(taskMessages.length).toBeGreaterThan(5);
    expect(taskMessages.every((message) => JSON.stringify(message._meta ?? {}).includes(taskId))).toBe(true);
  });

  it("tasks/cancel stops the run", async () => {
    const created = await harness.client.request(
      { method: "tools/call", params: { name: "generate_report", arguments: TASK, task: { ttl: 60_000 } } },
      CreateTaskResultSchema,
    );
    await harness.until(
      () =>
        world.openai.calls.length > 0 &&
        harness.jobs.list()[0]?.status === "running" &&
        (harness.jobs.list()[0]?.progress ?? 0) > 5,
    );
    const spendBefore = spend();
    const cancelled = await harness.client.experimental.tasks.cancelTask(created.task.taskId);
    expect(cancelled.status).toBe("cancelled");
    await expectNoFurtherSpend(spendBefore);
    expect(harness.jobs.list()[0]?.status).toBe("cancelled");
    const result = await harness.client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema);
    expect(result.isError).toBe(true);
    expect(reportErrorSchema.parse(result.structuredContent).type).toBe("cancelled");
  });
});

describe("start_report / get_report / cancel_report", () => {
  it("starts at once, long-polls to the finished report", async () => {
    const started = await callTool(harness.client, "start_report", TASK);
    const { report_id, status } = started.structuredContent as { report_id: string; status: string };
    expect(status).toBe("running");
    expect(world.openai.calls.length).toBeLessThanOrEqual(spendBaseline + 1);

    const early = await callTool(harness.client, "get_report", { report_id, wait_seconds: 0 });
    const earlyStatus = reportStatusSchema.parse(early.structuredContent);
    expect(earlyStatus.status).toBe("running");
    expect(earlyStatus.result).toBeNull();

    const polled = await callTool(harness.client, "get_report", { report_id, wait_seconds: 30 });
    const done = reportStatusSchema.parse(polled.structuredContent);
    expect(done.status).toBe("completed");
    expect(done.progress).toBe(100);
    expect(done.sections).toHaveLength(3);
    expect(done.result?.report_content).toBe((polled.content[0] as { text: string }).text);
  });

  it("get_report with after_seq answers on the next change", async () => {
    const started = await callTool(harness.client, "start_report", TASK);
    const { report_id } = started.structuredContent as { report_id: string };
    const first = reportStatusSchema.parse(
      (await callTool(harness.client, "get_report", { report_id, wait_seconds: 0 })).structuredContent,
    );
    const next = reportStatusSchema.parse(
      (await callTool(harness.client, "get_report", { report_id, wait_seconds: 30, after_seq: first.seq }))
        .structuredContent,
    );
    expect(next.seq).toBeGreaterThan(first.seq);
    expect(next.status).not.toBe("completed");
  });

  it("cancel_report stops a running report", async () => {
    const started = await callTool(harness.client, "start_report", TASK);
    const { report_id } = started.structuredContent as { report_id: string };
    await world.openai.received(spendBaseline + 1);
    const spendBefore = spend();
    const cancelled = await callTool(harness.client, "cancel_report", { report_id });
    const status = reportStatusSchema.parse(cancelled.structuredContent);
    expect(status.status).toBe("cancelled");
    expect(status.error?.type).toBe("cancelled");
    await expectNoFurtherSpend(spendBefore);
  });

  it("answers unknown report ids with a session_not_found error", async () => {
    for (const [name, extra] of [
      ["get_report", { wait_seconds: 0 }],
      ["cancel_report", {}],
    ] as const) {
      const result = await harness.client.callTool({ name, arguments: { report_id: "no-such-report", ...extra } });
      expect(result.isError, name).toBe(true);
      const payload = reportErrorSchema.parse(result.structuredContent);
      expect(payload.type).toBe("session_not_found");
      expect(payload.message).toMatch(/no-such-report/);
    }
  });
});

describe("input validation", () => {
  it("rejects misspelt options instead of ignoring them", async () => {
    for (const [name, args] of [
      ["get_report", { report_id: "x", timeout: 30 }],
      ["cancel_report", { report_id: "x", force: true }],
      ["search", { query: "x", limit: 3 }],
    ] as const) {
      const result = await harness.client.callTool({ name, arguments: args });
      expect(result.isError, name).toBe(true);
      expect(JSON.stringify(result.content), name).toMatch(/unrecognized|Unrecognized/);
    }
  });
});

describe("search", () => {
  it("returns structured results from the configured providers", async () => {
    const result = await callTool(harness.client, "search", { query: "solid-state electrolyte", max_results: 3 });
    expect(result.isError).toBeFalsy();
    const output = result.structuredContent as {
      results: Array<{ url: string; provider: string }>;
      providers: string[];
    };
    expect(output.providers).toEqual(["tavily"]);
    expect(output.results.length).toBeGreaterThan(0);
    expect(output.results.every((hit) => hit.provider === "tavily" && hit.url.startsWith(world.siteUrl))).toBe(true);
  });
});
