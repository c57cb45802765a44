/**
 * One scripted session with the built binary that touches every tool, as a host would. Set
 * REPORT_MCP_CAPTURE=<file> to save the JSON-RPC transcript (docs/mcp.md quotes it).
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { CallToolResultSchema, CreateTaskResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { reportErrorSchema, reportResultSchema } from "../../src/core/result.js";
import { reportStatusSchema } from "../../src/mcp/job-view.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { snapshotBinary } from "./binary-snapshot.js";
import { nonJsonRpcLines, RecordingChildTransport } from "./child-transport.js";
import { callTool } from "./mcp-harness.js";

let world: ResearchWorld;
let BIN: string;
let removeBinary: () => void = () => undefined;
let home: string;

beforeAll(async () => {
  ({ bin: BIN, remove: removeBinary } = await snapshotBinary());
  world = await startResearchWorld({ sections: 3 });
  home = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-transcript-"));
}, 180_000);

afterAll(async () => {
  await world?.close();
  removeBinary();
  if (home) await fs.rm(home, { recursive: true, force: true });
});

it("serves every tool over stdio in one session", async () => {
  const env = { PATH: process.env.PATH ?? "", HOME: home, REPORT_MCP_HOME: home, ...world.env() };
  const transport = new RecordingChildTransport({ command: process.execPath, args: [BIN], env, cwd: home });
  const client = new Client({ name: "transcript", version: "1.0.0" });
  try {
    await client.connect(transport);
    await client.listTools();
    await client.setLoggingLevel("info");

    const report = await callTool(
      client,
      "generate_report",
      { task: "生成AI Agent领域最近一周的行业重大事件报告", max_iterations: 1 },
      { onprogress: () => undefined, resetTimeoutOnProgress: true },
    );
    expect(reportResultSchema.parse(report.structuredContent).metadata.language).toMatch(/^zh/);

    const started = await callTool(client, "start_report", {
      task: "State of solid-state batteries in 2026",
      max_iterations: 1,
    });
    const { report_id } = started.structuredContent as { report_id: string };
    const done = reportStatusSchema.parse(
      (await callTool(client, "get_report", { report_id, wait_seconds: 30 })).structuredContent,
    );
    expect(done.status).toBe("completed");

    const created = await client.request(
      {
        method: "tools/call",
        params: {
          name: "generate_report",
          arguments: { task: "Solid-state battery patents", max_iterations: 1 },
          task: { ttl: 600_000 },
        },
      },
      CreateTaskResultSchema,
    );
    await transport.until(() => transport.stdout.includes("Searching"));
    const polled = await client.experimental.tasks.getTask(created.task.taskId);
    expect(["working", "completed"]).toContain(polled.status);
    const taskResult = await client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema);
    expect(taskResult.isError).toBeFalsy();

    const search = await callTool(client, "search", { query: "solid-state battery electrolyte", max_results: 2 });
    expect(search.isError).toBeFalsy();

    const unknown = await callTool(client, "get_report", { report_id: "not-a-report", wait_seconds: 0 });
    expect(reportErrorSchema.parse(unknown.structuredContent).type).toBe("session_not_found");

    const { resources } = await client.listResources();
    expect(resources.length).toBe(3);
    expect(nonJsonRpcLines(transport.stdout)).toEqual([]);
    // Only the task the client asked for is announced; a plain call's hidden SDK task stays invisible.
    expect(transport.stdout.match(/notifications\/tasks\/status/g)).toHaveLength(1);
  } finally {
    await client.close();
    const capture = process.env.REPORT_MCP_CAPTURE;
    if (capture) await fs.writeFile(capture, JSON.stringify(transport.transcript, null, 2));
  }
});
