/**
 * The built binary over raw stdio, as a hostile or careless client drives it: every line that is
 * not a JSON-RPC message gets a JSON-RPC error, `initialize` is validated before the fast path
 * answers it (one answer per id), nothing runs before `initialize`, and a task-augmented
 * `generate_report` with outline approval ends with the report for a real SDK client.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { CallToolResultSchema, ElicitRequestSchema, RELATED_TASK_META_KEY } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportResultSchema } from "../../src/core/result.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { snapshotBinary } from "./binary-snapshot.js";
import { nonJsonRpcLines, RecordingChildTransport, wireMessages } from "./child-transport.js";

let world: ResearchWorld;
let BIN: string;
let removeBinary: () => void = () => undefined;
let home: string;

function childEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: home, REPORT_MCP_HOME: home, ...world.env() };
}

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" };

/** Writes `lines` to a fresh server, closes stdin, and returns every message it wrote once it exits. */
async function session(
  lines: string[],
): Promise<{ messages: ReturnType<typeof wireMessages>; stdout: string; stderr: string; code: number | null }> {
  const transport = new RecordingChildTransport({ command: process.execPath, args: [BIN], env: childEnv(), cwd: home });
  transport.child.stdin.end(lines.map((line) => `${line}\n`).join(""));
  const exit = await transport.exited;
  return {
    messages: wireMessages(transport.stdout),
    stdout: transport.stdout,
    stderr: transport.stderr,
    code: exit.code,
  };
}

beforeAll(async () => {
  ({ bin: BIN, remove: removeBinary } = await snapshotBinary());
  world = await startResearchWorld({ sections: 3 });
  home = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-stdio-protocol-"));
}, 180_000);

afterAll(async () => {
  await world?.close();
  removeBinary();
  if (home) await fs.rm(home, { recursive: true, force: true });
});

describe("raw stdio input", () => {
  it("answers every line that is no JSON-RPC message with -32700 or -32600, and goes on serving", async () => {
    const bad: Array<[string, number, unknown]> = [
      ["not json at all", -32700, null],
      ['{"jsonrpc":"2.0","id":1,"method":', -32700, null],
      ["[]", -32600, null],
      ["42", -32600, null],
      ['"a string"', -32600, null],
      ["null", -32600, null],
      ['{"jsonrpc":"1.0","id":"old","method":"ping"}', -32600, "old"],
      ['{"jsonrpc":"2.0","id":{"nested":1},"method":"ping"}', -32600, null],
      ['{"jsonrpc":"2.0","id":1.5,"method":"ping"}', -32600, null],
      ['[{"jsonrpc":"2.0","id":"b1","method":"ping"},{"jsonrpc":"2.0","id":"b2","method":"ping"}]', -32600, null],
      ['{"jsonrpc":"2.0","id":"no-method"}', -32600, "no-method"],
      ['{"jsonrpc":"2.0","id":"bad-params","method":"ping","params":[1]}', -32600, "bad-params"],
      ['{"jsonrpc":"2.0","id":"extra","method":"ping","colour":"red"}', -32600, "extra"],
    ];
    const lines = [
      JSON.stringify(INITIALIZE),
      JSON.stringify(INITIALIZED),
      ...bad.map(([line]) => line),
      "",
      '{"jsonrpc":"2.0","id":"alive","method":"ping"}',
    ];
    const { messages, stdout, code } = await session(lines);
    expect(code).toBe(0);
    expect(nonJsonRpcLines(stdout)).toEqual([]);
    const errors = messages.filter((message) => message.error !== undefined) as Array<{
      id: unknown;
      error: { code: number; message: string };
    }>;
    expect(errors.map((message) => [message.error.code, message.id])).toEqual(
      bad.map(([, errorCode, id]) => [errorCode, id]),
    );
    for (const message of errors) expect(message.error.message).toMatch(/^(Parse error|Invalid Request): \S/);
    expect(messages.find((message) => message.id === "alive")).toMatchObject({ result: {} });
    expect(messages.filter((message) => message.id === 0)).toHaveLength(1);
  });

  it("validates initialize before the fast path answers: an invalid one gets one error and no result", async () => {
    const invalid = {
      ...INITIALIZE,
      params: { ...INITIALIZE.params, capabilities: { roots: { listChanged: "yes" } } },
    };
    const { messages } = await session([
      JSON.stringify(invalid),
      JSON.stringify({ ...INITIALIZE, id: 1 }),
      '{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
    ]);
    const first = messages.filter((message) => message.id === 0);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      error: { code: -32602, message: expect.stringMatching(/params\.capabilities\.roots\.listChanged/) },
    });
    expect(messages.find((message) => message.id === 1)).toMatchObject({ result: { protocolVersion: "2025-11-25" } });
    expect((messages.find((message) => message.id === 2)?.result as { tools: unknown[] }).tools).toHaveLength(6);
  });

  it("refuses tools before initialize, names unknown tools, and explains bad params without a zod dump", async () => {
    const searchesBefore = world.search.tavily?.calls.length ?? 0;
    const { messages } = await session([
      '{"jsonrpc":"2.0","id":"early","method":"tools/call","params":{"name":"search","arguments":{"query":"x"}}}',
      JSON.stringify(INITIALIZE),
      JSON.stringify(INITIALIZED),
      '{"jsonrpc":"2.0","id":"unknown","method":"tools/call","params":{"name":"nope","arguments":{}}}',
      '{"jsonrpc":"2.0","id":"no-params","method":"tools/call"}',
      '{"jsonrpc":"2.0","id":"level","method":"logging/setLevel","params":{"level":"bogus"}}',
      '{"jsonrpc":"2.0","id":"args","method":"tools/call","params":{"name":"search","arguments":{"query":"","limit":3}}}',
    ]);
    const byId = new Map(messages.map((message) => [message.id, message]));
    expect(byId.get("early")).toMatchObject({
      error: { code: -32600, message: expect.stringMatching(/not initialized/) },
    });
    expect(byId.get("unknown")).toMatchObject({
      error: { code: -32602, message: expect.stringMatching(/Unknown tool "nope"/) },
    });
    expect(byId.get("no-params")).toMatchObject({ error: { code: -32602 } });
    expect(byId.get("level")).toMatchObject({
      error: { code: -32602, message: expect.stringMatching(/params\.level/) },
    });
    for (const id of ["no-params", "level"]) expect(JSON.stringify(byId.get(id))).not.toMatch(/\\"code\\"|\[\\n/);
    expect(byId.get("args")).toMatchObject({
      result: {
        isError: true,
        structuredContent: {
          type: "invalid_params",
          message: expect.stringMatching(/query must not be empty; limit: unknown field/),
        },
      },
    });
    expect(world.search.tavily?.calls.length ?? 0).toBe(searchesBefore);
  });
});

describe("outline approval in task mode over stdio", () => {
  it("the SDK client's task stream gets the elicitation through tasks/result and ends with the report; nothing cancelled, no listener warning", async () => {
    const transport = new RecordingChildTransport({
      command: process.execPath,
      args: [BIN],
      env: childEnv(),
      cwd: home,
    });
    const client = new Client({ name: "task-host", version: "1.0.0" }, { capabilities: { elicitation: { form: {} } } });
    let asked = 0;
    client.setRequestHandler(ElicitRequestSchema, async () => {
      asked += 1;
      return { action: "accept", content: { decision: "approve" } };
    });
    try {
      await client.connect(transport);
      const statuses: string[] = [];
      let taskId = "";
      let result: unknown;
      const stream = client.experimental.tasks.callToolStream(
        {
          name: "generate_report",
          arguments: { task: "State of solid-state batteries in 2026", max_iterations: 1, auto_confirm: false },
        },
        CallToolResultSchema,
        { task: { ttl: 60_000 }, timeout: 30_000 },
      );
      for await (const message of stream) {
        if (message.type === "taskCreated") taskId = message.task.taskId;
        if (message.type === "taskStatus") statuses.push(message.task.status);
        if (message.type === "result") result = message.result;
        if (message.type === "error") throw message.error;
      }
      expect(asked).toBe(1);
      expect(statuses).toContain("input_required");
      expect(reportResultSchema.parse((result as { structuredContent: unknown }).structuredContent).status).toBe(
        "completed",
      );
      const sent = wireMessages(transport.stdout);
      const elicitation = sent.find((message) => message.method === "elicitation/create");
      expect(elicitation?.params).toMatchObject({ _meta: { [RELATED_TASK_META_KEY]: { taskId } } });
      // Plain (non-task) elicited runs as well: the answered elicitation is never cancelled afterwards.
      await client.callTool({
        name: "generate_report",
        arguments: { task: "Sodium-ion batteries", max_iterations: 1, auto_confirm: false },
      });
      expect(asked).toBe(2);
      expect(wireMessages(transport.stdout).filter((message) => message.method === "notifications/cancelled")).toEqual(
        [],
      );
    } finally {
      await client.close();
      await transport.exited;
    }
    expect(transport.stderr).not.toMatch(/MaxListenersExceededWarning/);
  });
});
