/**
 * The built binary answers `tools/list` before the MCP SDK is loaded (from the precomputed
 * listing), and only a `tools/list` it has validated: anything else, or a `tools/list` with
 * params it does not vouch for, goes to the SDK, which answers it once. After the early answer
 * the SDK serves the session as before.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolsListResult } from "../../src/mcp/stdio-fast-path.js";
import { snapshotBinary } from "./binary-snapshot.js";
import { nonJsonRpcLines, RecordingChildTransport, wireMessages } from "./child-transport.js";

let BIN: string;
let removeBinary: () => void = () => undefined;
let home: string;

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" };

function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: home, REPORT_MCP_HOME: home, ...extra };
}

/** Writes `lines` at once to a fresh server, closes stdin, and returns what it wrote once it exits. */
async function session(lines: unknown[], env: Record<string, string> = {}) {
  const transport = new RecordingChildTransport({
    command: process.execPath,
    args: [BIN],
    env: childEnv(env),
    cwd: home,
  });
  transport.child.stdin.end(
    lines.map((line) => `${typeof line === "string" ? line : JSON.stringify(line)}\n`).join(""),
  );
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
  home = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-early-tools-"));
}, 180_000);

afterAll(async () => {
  removeBinary();
  if (home) await fs.rm(home, { recursive: true, force: true });
});

describe("tools/list before the SDK is loaded", () => {
  it("gives a real SDK client the SDK's own listing, and the SDK serves the calls after it", async () => {
    const transport = new RecordingChildTransport({
      command: process.execPath,
      args: [BIN],
      env: childEnv(),
      cwd: home,
    });
    const client = new Client({ name: "host", version: "1.0.0" });
    try {
      await client.connect(transport);
      const listed = await client.listTools();
      expect(listed.tools.map((tool) => tool.name)).toEqual(
        toolsListResult({ listSeedTool: false }).tools.map((tool) => tool.name),
      );
      const raw = wireMessages(transport.stdout).find((message) => message.id === 1);
      expect(raw?.result).toEqual(JSON.parse(JSON.stringify(toolsListResult({ listSeedTool: false }))));
      // The SDK has taken over: an unknown report id is the tool's own typed error.
      const answer = await client.callTool({
        name: "get_report",
        arguments: { report_id: "00000000-0000-4000-8000-000000000000" },
      });
      expect(answer.isError).toBe(true);
      expect(JSON.stringify(answer.structuredContent)).toMatch(/not_found|unknown|No report/i);
    } finally {
      await client.close();
    }
    expect(nonJsonRpcLines(transport.stdout)).toEqual([]);
  });

  it("answers every id once when tools/list comes with the rest in one write", async () => {
    const { messages, stdout, code } = await session([
      INITIALIZE,
      INITIALIZED,
      { jsonrpc: "2.0", id: "early", method: "tools/list", params: { cursor: "c1", _meta: { progressToken: 7 } } },
      { jsonrpc: "2.0", id: "later", method: "tools/list" },
      { jsonrpc: "2.0", id: "odd-meta", method: "tools/list", params: { _meta: { "example.com/trace": "x" } } },
      { jsonrpc: "2.0", id: "bad-cursor", method: "tools/list", params: { cursor: 5 } },
      { jsonrpc: "2.0", id: "unknown", method: "tools/call", params: { name: "nope", arguments: {} } },
    ]);
    expect(code).toBe(0);
    expect(nonJsonRpcLines(stdout)).toEqual([]);
    const ids = messages.filter((message) => message.id !== undefined).map((message) => message.id);
    expect([...ids].sort()).toEqual([0, "bad-cursor", "early", "later", "odd-meta", "unknown"].sort());
    const byId = new Map(messages.map((message) => [message.id, message]));
    const expected = JSON.parse(JSON.stringify(toolsListResult({ listSeedTool: false })));
    for (const id of ["early", "later", "odd-meta"]) expect(byId.get(id)?.result).toEqual(expected);
    expect(byId.get("bad-cursor")).toMatchObject({ error: { code: -32602, message: expect.stringMatching(/cursor/) } });
    expect(byId.get("unknown")).toMatchObject({
      error: { code: -32602, message: expect.stringMatching(/Unknown tool "nope"/) },
    });
    // The early answer is written right after initialize's, before anything the SDK writes.
    expect(messages.slice(0, 2).map((message) => message.id)).toEqual([0, "early"]);
  });

  it("does not answer tools/list before initialize: the SDK side refuses it once", async () => {
    const { messages } = await session([
      { jsonrpc: "2.0", id: "first", method: "tools/list" },
      INITIALIZE,
      { jsonrpc: "2.0", id: "second", method: "tools/list" },
    ]);
    expect(messages.filter((message) => message.id === "first")).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ code: -32600 }) }),
    ]);
    expect(messages.filter((message) => message.id === "second")).toHaveLength(1);
    expect(messages.filter((message) => message.id === 0)).toHaveLength(1);
  });

  it("lists the seed tool's alias when the host's environment asks for it", async () => {
    const { messages } = await session([INITIALIZE, { jsonrpc: "2.0", id: 1, method: "tools/list" }], {
      REPORT_MCP_LIST_SEED_TOOL: "1",
    });
    const tools = (messages.find((message) => message.id === 1)?.result as { tools: Array<{ name: string }> }).tools;
    expect(tools.map((tool) => tool.name)).toContain("orchestrator_mcp_streaming");
  });

  it("exits with bad usage and one line when that variable is unreadable", async () => {
    const { stdout, stderr, code } = await session([INITIALIZE], { REPORT_MCP_LIST_SEED_TOOL: "sometimes" });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^report-mcp: REPORT_MCP_LIST_SEED_TOOL must be 1/),
    ]);
  });
});
