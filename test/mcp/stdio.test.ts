/**
 * The built binary over stdio: `node bin/report-mcp.js` with no arguments, pointed at the
 * loopback fakes through the environment, driven by a real SDK Client.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportErrorSchema, reportResultSchema } from "../../src/core/result.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { snapshotBinary } from "./binary-snapshot.js";
import { nonJsonRpcLines, RecordingChildTransport, wireMessages } from "./child-transport.js";
import { callTool } from "./mcp-harness.js";
import { initializeResult } from "../../src/mcp/server-info.js";
import { VERSION } from "../../src/version.js";

const TASK = { task: "State of solid-state batteries in 2026", max_iterations: 1 };

let world: ResearchWorld;
let BIN: string;
let removeBinary: () => void = () => undefined;
let home: string;

/** A clean environment: no inherited keys, everything pointed at the fakes and a temp home. */
function childEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: home, REPORT_MCP_HOME: home, ...world.env() };
}

beforeAll(async () => {
  ({ bin: BIN, remove: removeBinary } = await snapshotBinary());
  world = await startResearchWorld({ sections: 3 });
  home = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-stdio-"));
}, 180_000);

afterAll(async () => {
  await world?.close();
  removeBinary();
  if (home) await fs.rm(home, { recursive: true, force: true });
});

describe("report-mcp over stdio (built binary)", () => {
  it("answers initialize and tools/list, and runs a whole report with progress", async () => {
    // Progress is read from the bytes the server wrote: the SDK client drops a progress
    // notification that arrives in the same chunk as the result, so its callbacks may miss the last one.
    const transport = new RecordingChildTransport({
      command: process.execPath,
      args: [BIN],
      env: childEnv(),
      cwd: home,
    });
    const client = new Client({ name: "stdio-test", version: "1.0.0" });
    const messages: unknown[] = [];
    client.setNotificationHandler(
      LoggingMessageNotificationSchema,
      (notification) => void messages.push(notification.params.data),
    );
    try {
      await client.connect(transport);
      expect(client.getServerVersion()?.name).toBe("report-mcp");
      expect(client.getServerCapabilities()?.logging).toBeDefined();
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        "cancel_report",
        "estimate_report",
        "generate_report",
        "get_report",
        "search",
        "start_report",
      ]);

      const result = await callTool(client, "generate_report", TASK, {
        onprogress: () => undefined,
        resetTimeoutOnProgress: true,
      });
      expect(result.isError).toBeFalsy();
      const report = reportResultSchema.parse(result.structuredContent);
      expect(report.metadata.engine).toBe("llm");
      expect(report.sources.length).toBeGreaterThan(0);
      const progress = wireMessages(transport.stdout)
        .filter((message) => message.method === "notifications/progress")
        .map((message) => (message.params as { progress: number }).progress);
      expect(progress.at(-1)).toBe(100);
      for (let index = 1; index < progress.length; index += 1)
        expect(progress[index]).toBeGreaterThan(progress[index - 1] ?? -1);
      expect(messages.length).toBeGreaterThan(5);
    } finally {
      await client.close();
    }
  });

  it("keeps finished reports across a restart: report:// resources and get_report still answer", async () => {
    const restartHome = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-stdio-restart-"));
    const env = { ...childEnv(), HOME: restartHome, REPORT_MCP_HOME: restartHome };
    const connectClient = async () => {
      const client = new Client({ name: "restart-test", version: "1.0.0" });
      await client.connect(
        new StdioClientTransport({ command: process.execPath, args: [BIN], env, cwd: restartHome, stderr: "pipe" }),
      );
      return client;
    };
    let reportId: string;
    const first = await connectClient();
    try {
      const started = await callTool(first, "start_report", TASK);
      reportId = String((started.structuredContent as { report_id: string }).report_id);
      let status = "running";
      for (let attempt = 0; attempt < 30 && status !== "completed"; attempt += 1) {
        const polled = await callTool(first, "get_report", { report_id: reportId, wait_seconds: 5 });
        status = String((polled.structuredContent as { status: string }).status);
      }
      expect(status).toBe("completed");
    } finally {
      await first.close();
    }
    const second = await connectClient();
    try {
      const { resources } = await second.listResources();
      expect(resources.map((resource) => resource.uri)).toContain(`report://${reportId}`);
      const read = await second.readResource({ uri: `report://${reportId}` });
      expect(String((read.contents[0] as { text?: string }).text)).toMatch(/^# /);
      const polled = await callTool(second, "get_report", { report_id: reportId, wait_seconds: 0 });
      expect((polled.structuredContent as { status: string }).status).toBe("completed");
    } finally {
      await second.close();
      await fs.rm(restartHome, { recursive: true, force: true });
    }
  });

  it("writes nothing but JSON-RPC to stdout, through a chatty dependency, a provider failure and a SIGINT mid-run", async () => {
    // A "dependency" that logs to stdout every 50 ms once the server runs.
    const chatter = `setTimeout(() => setInterval(() => { console.log("noise-log"); console.warn("noise-warn"); process.stdout.write("noise-write\\n"); }, 50).unref(), 500).unref();`;
    const env = { ...childEnv(), NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(chatter)}` };
    const transport = new RecordingChildTransport({ command: process.execPath, args: [BIN], env, cwd: home });
    const client = new Client({ name: "raw-stdio-test", version: "1.0.0" });
    try {
      await client.connect(transport);
      world.openai.setResponder(() => ({ status: 401, content: "Incorrect API key provided: sk-test-fake-key" }));
      const failed = await callTool(client, "generate_report", TASK);
      expect(failed.isError).toBe(true);
      const payload = reportErrorSchema.parse(failed.structuredContent);
      expect(payload.type).toBe("model_call_failed");
      expect(JSON.stringify(failed)).not.toContain("sk-test-fake-key");

      world.openai.setResponder(async (request, index) => ({
        ...(await world.responder(request, index)),
        delayMs: 200,
      }));
      let progressCount = 0;
      const running = callTool(client, "generate_report", TASK, { onprogress: () => void (progressCount += 1) }).catch(
        (error: unknown) => error,
      );
      await transport.until(() => progressCount >= 2 && transport.stderr.includes("noise-write"));
      transport.child.kill("SIGINT");
      const exit = await transport.exited;
      expect(exit.code).toBe(130);
      await running;

      expect(transport.stdout.length).toBeGreaterThan(0);
      expect(transport.stdout.endsWith("\n")).toBe(true);
      expect(nonJsonRpcLines(transport.stdout)).toEqual([]);
      // initialize was answered once (by the fast path, before the SDK loaded), exactly as the SDK would.
      const initializeAnswers = transport.stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id?: unknown; result?: unknown })
        .filter((message) => message.id === 0 && message.result !== undefined);
      expect(initializeAnswers).toHaveLength(1);
      expect(initializeAnswers[0]?.result).toEqual(initializeResult("2025-11-25", VERSION));
      expect(transport.stderr).toMatch(/SIGINT/);
      expect(transport.stderr).toMatch(/noise-log[\s\S]*noise-write/);
    } finally {
      world.openai.setResponder(world.responder);
      await client.close();
    }
  });

  it("exits 0 when the client closes stdin, after answering what it had sent", async () => {
    const transport = new RecordingChildTransport({
      command: process.execPath,
      args: [BIN],
      env: childEnv(),
      cwd: home,
    });
    const lines = [
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "pipe", version: "1" } },
      },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
    ];
    transport.child.stdin.end(lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
    const exit = await transport.exited;
    expect(exit.code).toBe(0);
    const answers = transport.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: number; result: Record<string, unknown> });
    expect(answers.map((answer) => answer.id)).toEqual([1, 2]);
    expect(answers[0]?.result.protocolVersion).toBe("2025-06-18");
    expect(Array.isArray(answers[1]?.result.tools)).toBe(true);
  });
});
