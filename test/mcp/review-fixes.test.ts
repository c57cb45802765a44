/**
 * Regressions found in the review pass of the MCP server: what a host sees in tasks/list, the
 * progress a get_report long-poll reports, get_report's after_seq at the end of a report, and
 * the error of an outline elicitation the host could not answer.
 */
import { ErrorCode, McpError, type ProgressNotification } from "@modelcontextprotocol/sdk/types.js";
import { CreateTaskResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Outline } from "../../src/core/author.js";
import { ReportError } from "../../src/core/errors.js";
import { reportErrorSchema } from "../../src/core/result.js";
import { createElicitConfirm } from "../../src/mcp/elicit-outline.js";
import { reportStatusSchema } from "../../src/mcp/job-view.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { callTool, connect, until, type Harness } from "./mcp-harness.js";
import { removeRuntimeHomes, worldRuntime } from "./test-runtime.js";

const TASK = { task: "State of solid-state batteries in 2026", max_iterations: 1 };

let world: ResearchWorld;
const open: Harness[] = [];

async function host(options: Omit<Parameters<typeof connect>[0], "runtime"> = {}): Promise<Harness> {
  const harness = await connect({ runtime: worldRuntime(world), ...options });
  open.push(harness);
  return harness;
}

beforeAll(async () => {
  // Model calls take 250 ms: a run lasts a few seconds, with silences between steps.
  world = await startResearchWorld({ sections: 3, latencyMs: 250 });
});

afterEach(async () => {
  for (const harness of open) for (const job of harness.jobs.list()) harness.jobs.cancel(job.id);
  await Promise.all(open.splice(0).map((harness) => harness.close()));
});

afterAll(async () => {
  await world?.close();
  removeRuntimeHomes();
});

describe("tasks/list", () => {
  it("lists the tasks the client asked for, not the SDK's hidden task behind a plain generate_report call", async () => {
    const harness = await host();
    const plain = callTool(harness.client, "generate_report", TASK);
    await until(() => (harness.jobs.list()[0]?.progress ?? 0) > 0);
    expect((await harness.client.experimental.tasks.listTasks()).tasks).toEqual([]);

    const created = await harness.client.request(
      { method: "tools/call", params: { name: "generate_report", arguments: TASK, task: { ttl: 60_000 } } },
      CreateTaskResultSchema,
    );
    const listed = await harness.client.experimental.tasks.listTasks();
    expect(listed.tasks.map((task) => task.taskId)).toEqual([created.task.taskId]);
    await harness.client.experimental.tasks.cancelTask(created.task.taskId);
    await plain;
  });
});

describe("get_report", () => {
  it("reports the report's own progress and step in heartbeats, not 0 % 'starting'", async () => {
    const harness = await host({ heartbeatMs: 40 });
    const started = await callTool(harness.client, "start_report", TASK);
    const { report_id } = started.structuredContent as { report_id: string };
    await until(() => (harness.jobs.get(report_id)?.progress ?? 0) >= 15);
    const before = harness.jobs.get(report_id);
    const progress: ProgressNotification["params"][] = [];
    await callTool(harness.client, "get_report", { report_id, wait_seconds: 0.2 }, { onprogress: (update) => progress.push(update as ProgressNotification["params"]) });
    expect(progress.length).toBeGreaterThan(0);
    for (const update of progress) expect(update.progress).toBeGreaterThanOrEqual(before?.progress ?? 15);
    expect(progress.map((update) => update.message)).not.toContain("still working: starting");
  });

  it("answers when the report ends even if after_seq is past its last seq", async () => {
    const harness = await host();
    const started = await callTool(harness.client, "start_report", TASK);
    const { report_id } = started.structuredContent as { report_id: string };
    const startedAt = Date.now();
    const answer = await callTool(harness.client, "get_report", { report_id, after_seq: 10_000, wait_seconds: 20 }, { timeout: 30_000 });
    const status = reportStatusSchema.parse(answer.structuredContent);
    expect(status.status).toBe("completed");
    expect(Date.now() - startedAt).toBeLessThan(15_000);
  }, 30_000);
});

describe("outline elicitation that fails", () => {
  const outline: Outline = { title: "Batteries", sections: [{ id: 0, name: "Cells", goal: "Cells", queries: ["cells"] }] };

  it("says what to do when the host answers the elicitation with an error", async () => {
    const harness = await host({
      capabilities: { elicitation: { form: {} } },
      onElicit: () => {
        throw new Error("host UI crashed");
      },
    });
    const result = await callTool(harness.client, "generate_report", { ...TASK, auto_confirm: false });
    expect(result.isError).toBe(true);
    const payload = reportErrorSchema.parse(result.structuredContent);
    expect(payload.type).toBe("report_generation_failed");
    expect(payload.message).toMatch(/outline/);
    expect(payload.message).toMatch(/host UI crashed/);
    expect(payload.message).toMatch(/auto_confirm: true/);
  });

  it("ends as cancelled, saying so, when nobody decides in time", async () => {
    const confirm = createElicitConfirm({
      timeoutMs: 120_000,
      elicit: async () => {
        throw new McpError(ErrorCode.RequestTimeout, "Request timed out", { timeout: 120_000 });
      },
    });
    const decided = confirm({ outline, intent: undefined as never, signal: new AbortController().signal });
    await expect(decided).rejects.toBeInstanceOf(ReportError);
    await expect(decided).rejects.toMatchObject({ type: "cancelled", message: expect.stringMatching(/No decision on the outline arrived within 2 minute/) });
  });

  it("lets the abort of a cancelled run through unchanged", async () => {
    const controller = new AbortController();
    const aborted = new Error("This operation was aborted");
    const confirm = createElicitConfirm({
      elicit: async () => {
        controller.abort(new ReportError("cancelled", "stopped by the person"));
        throw aborted;
      },
    });
    await expect(confirm({ outline, intent: undefined as never, signal: controller.signal })).rejects.toBe(aborted);
  });
});
