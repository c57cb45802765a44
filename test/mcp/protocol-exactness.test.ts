/**
 * MCP 2025-11-25 exactness through a real SDK Client (in-memory transport), asserting what the
 * server put on the wire: JSON-RPC errors where the spec wants them, tool execution errors with
 * structured `invalid_params`, portable output schemas, strictly increasing progress, the
 * outline elicitation of a task (related-task `_meta`, delivered through `tasks/result`), and no
 * `notifications/cancelled` for an elicitation already answered.
 */
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  CallToolResultSchema,
  ErrorCode,
  McpError,
  RELATED_TASK_META_KEY,
  type JSONRPCMessage,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ReportJobs } from "../../src/core/jobs/index.js";
import { reportErrorSchema, reportResultSchema } from "../../src/core/result.js";
import { createMcpServer } from "../../src/mcp/create-server.js";
import { reportStatusSchema } from "../../src/mcp/job-view.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { Notifier } from "../helpers/notifier.js";
import { callTool, connect, type Harness } from "./mcp-harness.js";
import { removeRuntimeHomes, worldRuntime } from "./test-runtime.js";

const TASK = { task: "State of solid-state batteries in 2026", max_iterations: 1 };

let world: ResearchWorld;
const open: Harness[] = [];
const warnings: Error[] = [];
const onWarning = (warning: Error): void => void warnings.push(warning);

async function host(options: Omit<Parameters<typeof connect>[0], "runtime"> = {}): Promise<Harness> {
  const harness = await connect({ runtime: worldRuntime(world), ...options });
  open.push(harness);
  return harness;
}

/** Sends one raw JSON-RPC request through the harness's transport and resolves with the server's answer to it. */
async function rawRequest(harness: Harness, message: Record<string, unknown>): Promise<JSONRPCMessage> {
  const id = String(message.id);
  const before = harness.wire.length;
  const answerOf = () => harness.wire.slice(before).find((received) => "id" in received && String(received.id) === id);
  await harness.client.transport?.send(message as JSONRPCMessage);
  await harness.until(() => answerOf() !== undefined);
  return answerOf() as JSONRPCMessage;
}

function errorOf(message: JSONRPCMessage): { code: number; message: string; data?: unknown } {
  if (!("error" in message)) throw new Error(`expected an error, got ${JSON.stringify(message)}`);
  return message.error;
}

/** Schema nodes that strict clients flag: `type` arrays and empty `additionalProperties`. */
function unportable(node: unknown, path: string): string[] {
  if (Array.isArray(node)) return node.flatMap((child, index) => unportable(child, `${path}[${index}]`));
  if (typeof node !== "object" || node === null) return [];
  const record = node as Record<string, unknown>;
  const found: string[] = [];
  if (Array.isArray(record.type)) found.push(`${path}.type`);
  const extra = record.additionalProperties;
  if (typeof extra === "object" && extra !== null && Object.keys(extra).length === 0)
    found.push(`${path}.additionalProperties`);
  for (const [key, value] of Object.entries(record)) found.push(...unportable(value, `${path}.${key}`));
  return found;
}

beforeAll(async () => {
  world = await startResearchWorld({ sections: 3 });
  process.on("warning", onWarning);
});

afterEach(async () => {
  for (const harness of open) for (const job of harness.jobs.list()) harness.jobs.cancel(job.id);
  await Promise.all(open.splice(0).map((harness) => harness.close()));
});

afterAll(async () => {
  process.off("warning", onWarning);
  await world?.close();
  removeRuntimeHomes();
});

describe("JSON-RPC errors where MCP asks for them", () => {
  it("answers an unknown tool with -32602 naming the tools", async () => {
    const harness = await host();
    const error = await harness.client
      .callTool({ name: "write_report", arguments: {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(ErrorCode.InvalidParams);
    expect((error as McpError).message).toMatch(
      /Unknown tool "write_report"\. Available tools: generate_report, start_report, get_report, cancel_report, search/,
    );
  });

  it("answers invalid arguments with a tool error carrying {type: invalid_params} that names every field", async () => {
    const harness = await host();
    const result = await callTool(harness.client, "generate_report", {
      task: " ",
      days: 9999,
      max_iterations: 1.5,
      colour: "red",
    });
    expect(result.isError).toBe(true);
    const payload = reportErrorSchema.parse(result.structuredContent);
    expect(payload.type).toBe("invalid_params");
    expect(payload.message).toMatch(/^Invalid arguments for generate_report: /);
    for (const field of [
      "task must not be empty",
      "days must be at most 3650",
      "max_iterations must be a whole number",
      "colour: unknown field",
    ]) {
      expect(payload.message).toContain(field);
    }
    expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(payload);
    expect(harness.jobs.list()).toEqual([]);

    // A task-augmented call expects a task: it gets -32602 with the same data instead.
    const answer = await rawRequest(harness, {
      jsonrpc: "2.0",
      id: "task-1",
      method: "tools/call",
      params: { name: "generate_report", arguments: { task: "" }, task: { ttl: 1000 } },
    });
    expect(errorOf(answer)).toMatchObject({
      code: -32602,
      data: { type: "invalid_params", fields: ["params.arguments.task"] },
    });
  });

  it("answers tools/call without params and logging/setLevel with an unknown level with -32602 and a readable message", async () => {
    const harness = await host();
    const noParams = errorOf(await rawRequest(harness, { jsonrpc: "2.0", id: "raw-1", method: "tools/call" }));
    expect(noParams.code).toBe(-32602);
    expect(noParams.message).toMatch(/^Invalid params for tools\/call: params: .*Send \{"name": "<tool>", "arguments"/);
    const badLevel = errorOf(
      await rawRequest(harness, {
        jsonrpc: "2.0",
        id: "raw-2",
        method: "logging/setLevel",
        params: { level: "bogus" },
      }),
    );
    expect(badLevel.code).toBe(-32602);
    expect(badLevel.message).toMatch(/^Invalid params for logging\/setLevel: params\.level: .*"debug"\|"info"/);
    for (const error of [noParams, badLevel]) {
      // No raw zod dump: no JSON array of issues, no "code": keys.
      expect(error.message).not.toMatch(/\[\s*\{|"code"\s*:/);
    }
    // The session still works.
    expect((await harness.client.listTools()).tools.length).toBe(6);
  });

  it("refuses every request but initialize and ping before initialize", async () => {
    const jobs = new ReportJobs({ runtime: worldRuntime(world) });
    const server = createMcpServer({ runtime: async () => worldRuntime(world), jobs, version: "0.0.0-test" });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const received: JSONRPCMessage[] = [];
    const arrivals = new Notifier();
    clientSide.onmessage = (message) => {
      received.push(message);
      arrivals.notify();
    };
    const searchesBefore = world.search.tavily?.calls.length ?? 0;
    await server.connect(serverSide);
    await clientSide.start();
    try {
      await clientSide.send({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "search", arguments: { query: "x" } },
      });
      await clientSide.send({ jsonrpc: "2.0", id: 2, method: "ping" });
      await clientSide.send({ jsonrpc: "2.0", id: 3, method: "tools/list" });
      await arrivals.until(() => received.length >= 3);
      const byId = new Map(received.map((message) => ["id" in message ? message.id : null, message]));
      expect(errorOf(byId.get(1) as JSONRPCMessage)).toMatchObject({
        code: -32600,
        message: expect.stringMatching(/not initialized: send "initialize"/),
      });
      expect(byId.get(2)).toMatchObject({ result: {} });
      expect(errorOf(byId.get(3) as JSONRPCMessage).code).toBe(-32600);
      expect(world.search.tavily?.calls.length ?? 0).toBe(searchesBefore);
    } finally {
      await jobs.close();
      await server.close();
    }
  });
});

describe("what a run sends", () => {
  it("declares output schemas without type arrays or empty additionalProperties", async () => {
    const harness = await host();
    const { tools } = await harness.client.listTools();
    const found = tools.flatMap((tool) => [
      ...unportable(tool.inputSchema, `${tool.name}.input`),
      ...unportable(tool.outputSchema, `${tool.name}.output`),
    ]);
    expect(found).toEqual([]);
    // Nullable fields became anyOf branches that each name their type.
    const generate = tools.find((tool) => tool.name === "generate_report");
    expect(JSON.stringify(generate?.outputSchema)).toContain(
      '"published_at":{"anyOf":[{"type":"string"},{"type":"null"}]}',
    );
  });

  it("sends strictly increasing progress, heartbeats included, and a first message with the task cut to one line", async () => {
    const harness = await host({ heartbeatMs: 20 });
    const longTask = `${"Solid-state batteries:\n".repeat(40)}${"x".repeat(1200)}`.slice(0, 2000);
    const progress: Array<{ progress: number; message?: string }> = [];
    const result = await callTool(
      harness.client,
      "generate_report",
      { ...TASK, task: longTask },
      {
        onprogress: (update) => progress.push(update),
        resetTimeoutOnProgress: true,
      },
    );
    expect(result.isError).toBeFalsy();
    const wireProgress = harness.wire.flatMap((message) =>
      "method" in message && message.method === "notifications/progress"
        ? [message.params as { progress: number; message: string }]
        : [],
    );
    expect(wireProgress.length).toBeGreaterThan(5);
    for (let index = 1; index < wireProgress.length; index += 1) {
      expect(wireProgress[index]?.progress).toBeGreaterThan(wireProgress[index - 1]?.progress ?? -1);
    }
    expect(wireProgress.at(-1)?.progress).toBe(100);
    expect(wireProgress.every((update) => update.progress <= 100)).toBe(true);
    const first = wireProgress[0]?.message ?? "";
    expect(first).toMatch(/^Started: Solid-state batteries: Solid-state.*…$/);
    expect(first.length).toBeLessThanOrEqual(100);
    expect(first).not.toContain("\n");
  });

  it("links the finished report from get_report's final answer, as generate_report does", async () => {
    const harness = await host();
    const started = await callTool(harness.client, "start_report", TASK);
    const { report_id } = started.structuredContent as { report_id: string };
    let answer = await callTool(harness.client, "get_report", { report_id, wait_seconds: 30 });
    while (reportStatusSchema.parse(answer.structuredContent).status === "running") {
      answer = await callTool(harness.client, "get_report", { report_id, wait_seconds: 30 });
    }
    const status = reportStatusSchema.parse(answer.structuredContent);
    expect(status.status).toBe("completed");
    expect(answer.content).toEqual([
      { type: "text", text: status.result?.report_content },
      { type: "resource_link", uri: `report://${report_id}`, name: status.result?.title, mimeType: "text/markdown" },
    ]);
    const running = await callTool(harness.client, "start_report", TASK);
    const early = await callTool(harness.client, "get_report", {
      report_id: (running.structuredContent as { report_id: string }).report_id,
      wait_seconds: 0,
    });
    expect(early.content.map((block) => block.type)).toEqual(["text"]);
  });
});

describe("the outline elicitation", () => {
  it("sends no notifications/cancelled for an answered elicitation and no MaxListenersExceededWarning", async () => {
    const harness = await host({
      capabilities: { elicitation: { form: {} } },
      onElicit: () => ({ action: "accept", content: { decision: "approve" } }),
    });
    warnings.length = 0;
    for (let run = 0; run < 3; run += 1) {
      const result = await callTool(harness.client, "generate_report", { ...TASK, auto_confirm: false });
      expect(result.isError).toBeFalsy();
    }
    await harness.close();
    expect(harness.elicitations).toHaveLength(3);
    expect(
      harness.wire.filter((message) => "method" in message && message.method === "notifications/cancelled"),
    ).toEqual([]);
    expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("in task mode: the elicitation carries the related task and reaches the SDK client's task stream, which ends with the report", async () => {
    const harness = await host({
      capabilities: { elicitation: { form: {} } },
      onElicit: () => ({ action: "accept", content: { decision: "approve" } }),
    });
    const seen: string[] = [];
    let taskId = "";
    let report: unknown;
    const stream = harness.client.experimental.tasks.callToolStream(
      { name: "generate_report", arguments: { ...TASK, auto_confirm: false } },
      CallToolResultSchema,
      { task: { ttl: 60_000 }, timeout: 20_000 },
    );
    for await (const message of stream) {
      if (message.type === "taskCreated") taskId = message.task.taskId;
      if (message.type === "taskStatus") seen.push(message.task.status);
      if (message.type === "result") report = message.result;
      if (message.type === "error") throw message.error;
    }
    expect(seen).toContain("input_required");
    expect(reportResultSchema.parse((report as { structuredContent: unknown }).structuredContent).status).toBe(
      "completed",
    );
    const elicitation = harness.wire.find((message) => "method" in message && message.method === "elicitation/create");
    expect(elicitation).toMatchObject({ params: { _meta: { [RELATED_TASK_META_KEY]: { taskId } } } });
    expect(harness.elicitations).toHaveLength(1);
  });
});
