/**
 * The original orchestrator's MCP tool name, `orchestrator_mcp_streaming`, through a real SDK
 * client against `createMcpServer` and the real runtime on the loopback research world: hidden
 * from tools/list by default yet callable, listed on request, the same run as generate_report.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  LoggingMessageNotificationSchema,
  McpError,
  type LoggingMessageNotification,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportJobs } from "../../src/core/jobs/index.js";
import { reportErrorSchema, reportResultSchema } from "../../src/core/result.js";
import type { ReportRuntime } from "../../src/core/runtime.js";
import { createMcpServer } from "../../src/mcp/create-server.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { callTool, progressMessages, usageMessages } from "./mcp-harness.js";
import { removeRuntimeHomes, worldRuntime } from "./test-runtime.js";

type Connection = { client: Client; messages: LoggingMessageNotification["params"][]; close(): Promise<void> };

let world: ResearchWorld;
let runtime: ReportRuntime;
const open: Connection[] = [];

beforeAll(async () => {
  world = await startResearchWorld({ sections: 3 });
  runtime = worldRuntime(world);
});

afterAll(async () => {
  await Promise.all(open.map((connection) => connection.close()));
  await world?.close();
  removeRuntimeHomes();
});

async function connect(options: { listSeedTool?: boolean } = {}): Promise<Connection> {
  const jobs = new ReportJobs({ runtime: async () => runtime });
  const server = createMcpServer({
    runtime: async () => runtime,
    jobs,
    version: "0.0.0-test",
    listSeedTool: options.listSeedTool,
  });
  const client = new Client({ name: "seed-client", version: "1.0.0" });
  const messages: LoggingMessageNotification["params"][] = [];
  client.setNotificationHandler(
    LoggingMessageNotificationSchema,
    (notification) => void messages.push(notification.params),
  );
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  const connection = {
    client,
    messages,
    async close() {
      await jobs.close();
      await client.close();
      await server.close();
    },
  };
  open.push(connection);
  return connection;
}

describe("orchestrator_mcp_streaming (the original orchestrator's tool name)", () => {
  it("is not listed by default, yet the seed's call runs the same report as generate_report", async () => {
    const { client, messages } = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain("orchestrator_mcp_streaming");

    const progress: number[] = [];
    const seed = await callTool(
      client,
      "orchestrator_mcp_streaming",
      { task: "生成AI Agent行业报告", task_type: "news_report" },
      {
        onprogress: (update) => void progress.push(update.progress),
      },
    );
    const seedMessages = messages.splice(0);
    const generate = await callTool(client, "generate_report", {
      task: "生成AI Agent行业报告",
      task_type: "news_report",
    });
    const generateMessages = messages.splice(0);

    expect(seed.isError).toBeFalsy();
    const seedReport = reportResultSchema.parse(seed.structuredContent);
    const generateReport = reportResultSchema.parse(generate.structuredContent);
    expect(seedReport.task).toBe("生成AI Agent行业报告");
    expect(seedReport.task_type).toBe("news_report");
    expect(seedReport.sections.map((section) => section.name)).toEqual(
      generateReport.sections.map((section) => section.name),
    );
    expect(seed.content.map((block) => block.type)).toEqual(generate.content.map((block) => block.type));
    expect(progress.length).toBeGreaterThan(3);
    expect(progressMessages(seedMessages).map((message) => message.status)).toEqual(
      progressMessages(generateMessages).map((message) => message.status),
    );
    expect(usageMessages(seedMessages)).toHaveLength(seedReport.metadata.usage.calls);
    expect(seedMessages.every((message) => message.logger === "report-mcp")).toBe(true);
  });

  it("takes the options under kwargs (the seed's **kwargs) or flat, and applies them", async () => {
    const { client } = await connect();
    const nested = await callTool(client, "orchestrator_mcp_streaming", {
      task: "生成AI Agent领域最近一周的行业重大事件报告",
      task_type: "news_report",
      kwargs: { days: 30, quality_threshold: 7.0, max_iterations: 1, auto_confirm: true },
    });
    const nestedReport = reportResultSchema.parse(nested.structuredContent);
    expect(nestedReport.metadata.days).toBe(30);
    expect(nestedReport.quality.iterations).toBe(1);

    const flat = await callTool(client, "orchestrator_mcp_streaming", {
      task: "Solid-state batteries",
      days: 14,
      max_iterations: 1,
      kwargs: null,
    });
    expect(reportResultSchema.parse(flat.structuredContent).metadata.days).toBe(14);
  });

  it("rejects bad arguments with invalid_params naming the field, before any work starts", async () => {
    const { client } = await connect();
    const calls = world.openai.calls.length;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ task: "x", days: 3, kwargs: { days: 7 } }, /days given both at the top level and under kwargs/],
      [{ task: "x", kwargs: { days: 0 } }, /kwargs\.days:? (days )?must be at least 1/],
      [{ task: "x", kwargs: { topic: "AI" } }, /kwargs\.topic/],
      [{ task: "x", report_type: "comprehensive" }, /report_type/],
      [{ task_type: "news_report" }, /task\b/],
    ];
    for (const [args, pattern] of cases) {
      const result = await callTool(client, "orchestrator_mcp_streaming", args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      const error = reportErrorSchema.parse(result.structuredContent);
      expect(error.type).toBe("invalid_params");
      expect(error.message).toMatch(/^Invalid arguments for orchestrator_mcp_streaming: /);
      expect(error.message).toMatch(pattern);
    }
    expect(world.openai.calls.length).toBe(calls);
    // The same value in both places is no conflict.
    const same = await callTool(client, "orchestrator_mcp_streaming", {
      task: "Edge AI chips",
      max_iterations: 1,
      kwargs: { max_iterations: 1 },
    });
    expect(same.isError).toBeFalsy();
  });

  it("is listed when asked, as generate_report's entry under the seed's name with kwargs described", async () => {
    const { client } = await connect({ listSeedTool: true });
    const { tools } = await client.listTools();
    const seed = tools.find((tool) => tool.name === "orchestrator_mcp_streaming");
    const generate = tools.find((tool) => tool.name === "generate_report");
    expect(tools.filter((tool) => tool.name === "orchestrator_mcp_streaming")).toHaveLength(1);
    expect(seed?.description).toMatch(/generate_report/);
    expect(seed?.outputSchema).toEqual(generate?.outputSchema);
    expect(seed?.execution).toEqual(generate?.execution);
    expect(seed?.annotations).toEqual(generate?.annotations);
    expect(seed?.inputSchema.required).toEqual(["task"]);
    const properties = seed?.inputSchema.properties ?? {};
    expect(Object.keys(properties).sort()).toEqual(
      [...Object.keys(generate?.inputSchema.properties ?? {}), "kwargs"].sort(),
    );
    for (const [field, schema] of Object.entries(properties))
      expect((schema as { description?: string }).description, field).toMatch(/\w{3,}/);
    // The client validates the listed output schema against the alias's result.
    const result = await callTool(client, "orchestrator_mcp_streaming", {
      task: "Edge AI chips",
      kwargs: { max_iterations: 1 },
    });
    expect(result.isError).toBeFalsy();
  });

  it("runs as an MCP task like generate_report; a task call with bad arguments is a JSON-RPC error", async () => {
    const { client } = await connect();
    const created = await client.request(
      {
        method: "tools/call",
        params: {
          name: "orchestrator_mcp_streaming",
          arguments: { task: "Battery recycling", kwargs: { max_iterations: 1 } },
          task: { ttl: 60_000 },
        },
      },
      CreateTaskResultSchema,
    );
    const result = await client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema);
    expect(result.isError).toBeFalsy();
    expect(reportResultSchema.parse(result.structuredContent).task).toBe("Battery recycling");

    const refused = client.request(
      {
        method: "tools/call",
        params: {
          name: "orchestrator_mcp_streaming",
          arguments: { task: "x", kwargs: { days: -1 } },
          task: { ttl: 60_000 },
        },
      },
      CreateTaskResultSchema,
    );
    await expect(refused).rejects.toBeInstanceOf(McpError);
    await expect(refused).rejects.toThrow(/kwargs\.days/);
  });
});
