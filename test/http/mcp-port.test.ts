/**
 * `serve --mcp-port`: `/mcp` on a second port (the original orchestrator's 8000) under the main
 * port's rules — Host/Origin checks, the token, body caps — and clear errors for a busy port or
 * the same port twice. Real sockets; an SDK client over Streamable HTTP.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/app/settings.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { createTestCli } from "../helpers/cli-context.js";
import { createScriptedRuntime } from "./fake-runtime.js";
import { postJson, rawRequest } from "./sse-client.js";

const TOKEN = "seed-port-token";
let home: string;
let server: HttpServerHandle;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-mcp-port-"));
  server = await serveHttp({
    settings: settingsSchema.parse({ home }),
    port: 0,
    mcpPort: 0,
    token: TOKEN,
    runtime: createScriptedRuntime(),
    maxBodyBytes: 4096,
  });
});

afterAll(async () => {
  await server?.close();
  await rm(home, { recursive: true, force: true });
});

const auth = { Authorization: `Bearer ${TOKEN}` };
const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

/** A loopback port something else already holds. */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  const address = holder.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  return { port: address.port, server: holder };
}

describe("serve with an MCP port", () => {
  it("serves the MCP tools there to an SDK client, sharing the jobs of the main port", async () => {
    const client = new Client({ name: "seed-cursor", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.mcpUrl}/mcp`), { requestInit: { headers: auth } }),
    );
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain("generate_report");
      const started = await client.callTool(
        { name: "start_report", arguments: { task: "AI agents" } },
        CallToolResultSchema,
      );
      const reportId = (started.structuredContent as { report_id: string }).report_id;
      await server.jobs.done(reportId);
      const session = await fetch(`${server.url}/mcp/streaming/sessions/${reportId}`, { headers: auth });
      expect((await session.json()).status).toBe("completed");
    } finally {
      await client.close();
    }
  });

  it("applies the main port's rules: token, Host and Origin checks, body cap; serves /health; points elsewhere for the rest", async () => {
    const mcpPort = new URL(server.mcpUrl ?? "").port;
    const headers = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
    const noToken = await postJson(`${server.mcpUrl}/mcp`, initialize, headers);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toMatch(/^Bearer/);

    const asHost = (host: string, extra: Record<string, string> = {}) =>
      rawRequest({
        url: `${server.mcpUrl}/mcp`,
        method: "POST",
        headers: { ...headers, ...auth, Host: host, ...extra },
        body: initialize,
      });
    expect((await asHost(`evil.example:${mcpPort}`)).status).toBe(403);
    expect((await asHost(`localhost:${mcpPort}`, { Origin: "https://evil.example" })).status).toBe(403);
    const allowed = await asHost(`localhost:${mcpPort}`, { Origin: `http://localhost:${mcpPort}` });
    expect(allowed.status).toBe(200);
    expect(allowed.headers["mcp-session-id"]).toBeTruthy();

    const tooBig = await postJson(
      `${server.mcpUrl}/mcp`,
      JSON.stringify({ ...JSON.parse(initialize), padding: "x".repeat(5000) }),
      { ...headers, ...auth },
    );
    expect(tooBig.status).toBe(413);

    const health = await fetch(`${server.mcpUrl}/health`);
    expect(await health.json()).toMatchObject({ status: "ok" });

    const elsewhere = await postJson(`${server.mcpUrl}/mcp/streaming/orchestrator`, { task: "x" }, auth);
    expect(elsewhere.status).toBe(404);
    expect((await elsewhere.json()).error.data.message).toBe(
      `This port serves only /mcp (MCP Streamable HTTP) and /health; the SSE API, the web page and the rest are at ${server.url}.`,
    );
  });
});

describe("an envelope's id on a refused start", () => {
  it("429 (too many running reports) carries the envelope's id", async () => {
    const runtime = createScriptedRuntime({ gated: true });
    const busy = await serveHttp({
      settings: settingsSchema.parse({ home: path.join(home, "busy") }),
      port: 0,
      runtime,
      maxConcurrent: 1,
    });
    try {
      const first = await postJson(`${busy.url}/mcp/streaming/orchestrator`, { task: "one" });
      expect(first.status).toBe(200);
      const refused = await postJson(`${busy.url}/mcp/streaming/orchestrator`, {
        jsonrpc: "2.0",
        id: "busy-1",
        method: "tools/call",
        params: { name: "orchestrator_mcp_streaming", arguments: { task: "two" } },
      });
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ id: "busy-1", error: { data: { type: "too_many_sessions" } } });
      await first.body?.cancel();
    } finally {
      runtime.release();
      await busy.close();
    }
  });
});

describe("MCP port errors", () => {
  it("refuses the same port twice before binding anything", async () => {
    await expect(
      serveHttp({
        settings: settingsSchema.parse({ home }),
        port: 8001,
        mcpPort: 8001,
        runtime: createScriptedRuntime(),
      }),
    ).rejects.toThrow(/--mcp-port 8001 is the same as --port: \/mcp is already served there/);
  });

  it("names --mcp-port when that port is busy, and leaves nothing listening on the main port", async () => {
    const busy = await occupiedPort();
    const free = await occupiedPort();
    const mainPort = free.port;
    await new Promise<void>((resolve) => free.server.close(() => resolve()));
    try {
      await expect(
        serveHttp({
          settings: settingsSchema.parse({ home }),
          port: mainPort,
          mcpPort: busy.port,
          runtime: createScriptedRuntime(),
        }),
      ).rejects.toThrow(
        `Could not listen on 127.0.0.1:${busy.port} (--mcp-port): port ${busy.port} is already in use; pass --mcp-port with a free port.`,
      );
      await expect(fetch(`http://127.0.0.1:${mainPort}/health`)).rejects.toThrow();
    } finally {
      await new Promise<void>((resolve) => busy.server.close(() => resolve()));
    }
  });
});

/** A stderr that resolves `line(pattern)` when a written line matches (no polling). */
function watchedStream() {
  let text = "";
  const waiters: Array<{ pattern: RegExp; resolve: (match: RegExpExecArray) => void }> = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      for (const waiter of [...waiters]) {
        const match = waiter.pattern.exec(text);
        if (match) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
      callback();
    },
  });
  return {
    stream,
    text: () => text,
    line: (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve) => {
        const match = pattern.exec(text);
        if (match) resolve(match);
        else waiters.push({ pattern, resolve });
      }),
  };
}

describe("report-mcp serve --mcp-port", () => {
  it("serves /mcp on both ports until Ctrl-C, then closes both", async () => {
    const test = createTestCli({ env: { REPORT_MCP_HOME: path.join(home, "cli") }, cwd: home });
    const stderr = watchedStream();
    test.context.stderr = stderr.stream;
    const running = test.run(["serve", "--sse", "--port", "0", "--mcp-port", "0", "--list-seed-tool"]);
    const mcpUrl = (await stderr.line(/MCP also on (http:\/\/127\.0\.0\.1:\d+)\/mcp \(--mcp-port\)/))[1] ?? "";
    const mainUrl = /serving on (http:\/\/\S+)/.exec(stderr.text())?.[1] ?? "";
    expect(mcpUrl).not.toBe(mainUrl);
    const client = new Client({ name: "seed-cursor", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${mcpUrl}/mcp`)));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain("orchestrator_mcp_streaming");
    await client.close();
    test.interrupt();
    expect(await running).toBe(0);
    await expect(fetch(`${mcpUrl}/health`)).rejects.toThrow();
    await expect(fetch(`${mainUrl}/health`)).rejects.toThrow();
  });

  it("is bad usage (exit 2, one line) when it equals --port, is not a port, or REPORT_MCP_LIST_SEED_TOOL is unreadable", async () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [
        ["serve", "--mcp-port", "8001"],
        {},
        "--mcp-port 8001 is the same as --port: /mcp is already served there; pick another port (the original orchestrator used 8000)",
      ],
      [["serve", "--port", "9000", "--mcp-port", "9000"], {}, "--mcp-port 9000 is the same as --port"],
      [
        ["serve", "--mcp-port", "eight-thousand"],
        {},
        '--mcp-port must be a whole number from 0 to 65535 (got "eight-thousand")',
      ],
      [
        ["serve", "--port", "0"],
        { REPORT_MCP_LIST_SEED_TOOL: "on" },
        'REPORT_MCP_LIST_SEED_TOOL must be 1 (list orchestrator_mcp_streaming in tools/list) or 0 (got "on")',
      ],
    ];
    for (const [argv, env, message] of cases) {
      const test = createTestCli({ env: { REPORT_MCP_HOME: path.join(home, "cli"), ...env }, cwd: home });
      expect(await test.run(argv), argv.join(" ")).toBe(2);
      expect(test.stderr.text()).toContain(message);
      expect(test.stderr.text().trim().split("\n")).toHaveLength(1);
    }
  });
});
