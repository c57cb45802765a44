/**
 * The seed guide's Cursor call — `orchestrator_mcp_streaming("生成AI Agent行业报告",
 * task_type="news_report")` — through a real SDK client against the built binary over stdio
 * (as Cursor starts it: `npx -y report-mcp`), with the loopback research world. Every message
 * the server writes is checked against SPEC §6's shapes (test/http/seed-shapes.ts).
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { CallToolResultSchema, ServerNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { notificationKind, resultMessageShape } from "../http/seed-shapes.js";
import { snapshotBinary } from "./binary-snapshot.js";
import { nonJsonRpcLines, RecordingChildTransport } from "./child-transport.js";

let world: ResearchWorld;
let BIN: string;
let removeBinary: () => void = () => undefined;
let home: string;

beforeAll(async () => {
  ({ bin: BIN, remove: removeBinary } = await snapshotBinary());
  world = await startResearchWorld({ sections: 3 });
  home = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-seed-stdio-"));
}, 180_000);

afterAll(async () => {
  await world?.close();
  removeBinary();
  if (home) await fs.rm(home, { recursive: true, force: true });
});

function spawnServer(extraEnv: Record<string, string> = {}): RecordingChildTransport {
  const env = { PATH: process.env.PATH ?? "", HOME: home, REPORT_MCP_HOME: home, ...world.env(), ...extraEnv };
  return new RecordingChildTransport({ command: process.execPath, args: [BIN], env, cwd: home });
}

it("runs the seed's tool call over stdio: hidden from tools/list, every message in the seed's shapes", async () => {
  const transport = spawnServer();
  const client = new Client({ name: "cursor-like", version: "1.0.0" });
  try {
    await client.connect(transport);
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain("orchestrator_mcp_streaming");
    const result = await client.callTool(
      { name: "orchestrator_mcp_streaming", arguments: { task: "生成AI Agent行业报告", task_type: "news_report" } },
      CallToolResultSchema,
    );
    expect(result.isError).toBeFalsy();

    const sent = transport.transcript
      .filter((entry) => entry.direction === "server→client")
      .map((entry) => entry.message as Record<string, unknown>);
    const call = transport.transcript.find(
      (entry) => entry.direction === "client→server" && (entry.message as { method?: string }).method === "tools/call",
    );
    const callId = (call?.message as { id: number }).id;
    const final = sent.find((message) => message["id"] === callId);
    const report = resultMessageShape({ transport: "mcp" }).parse(final).result.structuredContent;
    expect(report).toMatchObject({ task: "生成AI Agent行业报告", task_type: "news_report" });

    const notifications = sent.filter((message) => message["id"] === undefined);
    const kinds = notifications.map((message) => {
      if (message["method"] === "notifications/message") return notificationKind(message);
      ServerNotificationSchema.parse(message);
      return String(message["method"]);
    });
    expect(kinds).toContain("progress");
    expect(kinds.filter((kind) => kind === "usage")).toHaveLength(report.metadata.usage["calls"] as number);
    expect(nonJsonRpcLines(transport.stdout)).toEqual([]);
  } finally {
    await client.close();
  }
});

it("lists the seed's tool when REPORT_MCP_LIST_SEED_TOOL=1, and refuses to start on a value it cannot read", async () => {
  const listed = spawnServer({ REPORT_MCP_LIST_SEED_TOOL: "1" });
  const client = new Client({ name: "cursor-like", version: "1.0.0" });
  try {
    await client.connect(listed);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain("orchestrator_mcp_streaming");
    expect(names).toContain("generate_report");
  } finally {
    await client.close();
  }

  const wrong = spawnServer({ REPORT_MCP_LIST_SEED_TOOL: "maybe" });
  const exited = await wrong.exited;
  expect(exited.code).toBe(2);
  expect(wrong.stderr).toContain(
    'REPORT_MCP_LIST_SEED_TOOL must be 1 (list orchestrator_mcp_streaming in tools/list) or 0 (got "maybe")',
  );
  expect(wrong.stdout).toBe("");
});
