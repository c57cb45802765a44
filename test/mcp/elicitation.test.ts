import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  ErrorCode,
  McpError,
  type ElicitResult,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Outline } from "../../src/core/author.js";
import { ReportError } from "../../src/core/errors.js";
import { reportErrorSchema, reportResultSchema } from "../../src/core/result.js";
import { createElicitConfirm } from "../../src/mcp/elicit-outline.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { callTool, connect, progressMessages, type Harness } from "./mcp-harness.js";
import { removeRuntimeHomes, worldRuntime } from "./test-runtime.js";

const TASK = { task: "State of solid-state batteries in 2026", max_iterations: 1, auto_confirm: false };

let world: ResearchWorld;
const open: Harness[] = [];

async function hostAnswering(answer: ElicitResult | null): Promise<Harness> {
  const harness = await connect({
    runtime: worldRuntime(world),
    ...(answer ? { capabilities: { elicitation: { form: {} } }, onElicit: () => answer } : {}),
  });
  open.push(harness);
  return harness;
}

beforeAll(async () => {
  world = await startResearchWorld({ sections: 3 });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((harness) => harness.close()));
});

afterAll(async () => {
  await world?.close();
  removeRuntimeHomes();
});

describe("outline confirmation (auto_confirm: false)", () => {
  it("puts the outline to a person who approves it, then writes the report", async () => {
    const harness = await hostAnswering({ action: "accept", content: { decision: "approve" } });
    const result = await callTool(harness.client, "generate_report", TASK);
    expect(result.isError).toBeFalsy();
    expect(harness.elicitations).toHaveLength(1);
    const request = harness.elicitations[0];
    expect(request?.message).toMatch(/Theme 1[\s\S]*Theme 2[\s\S]*Theme 3/);
    // The quote for this outline comes with it (docs/cost.md).
    expect(request?.message).toMatch(/Estimate \(openai\/gpt-4\.1-mini, .*~\d+ model calls.*tokens.*USD/);
    expect(reportResultSchema.parse(result.structuredContent).sections.map((section) => section.name)).toEqual([
      "Theme 1",
      "Theme 2",
      "Theme 3",
    ]);
    expect(progressMessages(harness.messages).map((step) => step.status)).toContain("awaiting_confirmation");
  });

  it("writes the sections the person edited", async () => {
    const harness = await hostAnswering({
      action: "accept",
      content: { decision: "edit", sections: "Cell chemistry\nManufacturing scale-up" },
    });
    const result = await callTool(harness.client, "generate_report", TASK);
    expect(result.isError).toBeFalsy();
    const report = reportResultSchema.parse(result.structuredContent);
    expect(report.sections.map((section) => section.name)).toEqual(["Cell chemistry", "Manufacturing scale-up"]);
  });

  it("ends the run with a clear cancelled error when the person rejects the outline", async () => {
    const harness = await hostAnswering({ action: "accept", content: { decision: "reject", feedback: "too broad" } });
    const sectionCallsBefore = world.responder.counts.section;
    const result = await callTool(harness.client, "generate_report", TASK);
    expect(result.isError).toBe(true);
    const payload = reportErrorSchema.parse(result.structuredContent);
    expect(payload.type).toBe("cancelled");
    expect(payload.message).toMatch(/outline was rejected.*too broad/);
    expect(world.responder.counts.section).toBe(sectionCallsBefore);
    expect(harness.jobs.list()[0]?.status).toBe("cancelled");
  });

  it("treats a declined form as a rejection", async () => {
    const harness = await hostAnswering({ action: "decline" });
    const result = await callTool(harness.client, "generate_report", TASK);
    expect(result.isError).toBe(true);
    expect(reportErrorSchema.parse(result.structuredContent).type).toBe("cancelled");
  });

  it("runs on with a warning when the client cannot elicit", async () => {
    const harness = await hostAnswering(null);
    const result = await callTool(harness.client, "generate_report", TASK);
    expect(result.isError).toBeFalsy();
    const warnings = harness.messages.filter((message) => message.level === "warning");
    expect(warnings.length).toBeGreaterThan(0);
    expect(progressMessages(warnings)[0]?.status).toBe("warning");
    expect(progressMessages(warnings)[0]?.message).toMatch(/confirm/i);
    expect(reportResultSchema.parse(result.structuredContent).warnings.join(" ")).toMatch(/confirm/i);
  });

  it("asks for the outline during a task-augmented call too, the task showing input_required meanwhile", async () => {
    let taskId: Promise<string> = new Promise(() => undefined);
    let statusWhileAsked = "";
    const harness = await connect({
      runtime: worldRuntime(world),
      capabilities: { elicitation: { form: {} } },
      onElicit: async () => {
        statusWhileAsked = (await harness.client.experimental.tasks.getTask(await taskId)).status;
        return { action: "accept", content: { decision: "approve" } };
      },
    });
    open.push(harness);
    const creating = harness.client.request(
      { method: "tools/call", params: { name: "generate_report", arguments: TASK, task: { ttl: 60_000 } } },
      CreateTaskResultSchema,
    );
    taskId = creating.then((created) => created.task.taskId);
    const created = await creating;
    const result = await harness.client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema);
    expect(result.isError).toBeFalsy();
    expect(harness.elicitations).toHaveLength(1);
    expect(statusWhileAsked).toBe("input_required");
    expect((await harness.client.experimental.tasks.getTask(created.task.taskId)).status).toBe("completed");
  });
});

describe("outline elicitation that fails", () => {
  const outline: Outline = {
    title: "Batteries",
    sections: [{ id: 0, name: "Cells", goal: "Cells", queries: ["cells"] }],
  };

  it("says what to do when the host answers the elicitation with an error", async () => {
    const harness = await connect({
      runtime: worldRuntime(world),
      capabilities: { elicitation: { form: {} } },
      onElicit: () => {
        throw new Error("host UI crashed");
      },
    });
    open.push(harness);
    const result = await callTool(harness.client, "generate_report", TASK);
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
    await expect(decided).rejects.toMatchObject({
      type: "cancelled",
      message: expect.stringMatching(/No decision on the outline arrived within 2 minute/),
    });
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
