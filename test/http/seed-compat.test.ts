/**
 * A client of the original orchestrator, replayed byte for byte against `serve --mcp-port`:
 * the seed guide's curl example on the SSE port, the same request as a JSON-RPC tools/call
 * envelope, and the guide's MCP tool call on the MCP port. Every message is checked against
 * the four shapes of SPEC §6 (zod schemas in ./seed-shapes.ts). Real sockets, the loopback
 * research world (fake OpenAI + Tavily + website), eventsource-parser.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ServerNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { errorMessageShape, notificationKind, resultMessageShape, sessionStartedShape } from "./seed-shapes.js";
import { postJson, rawRequest, readSse, type SseEvent } from "./sse-client.js";

/** The seed guide's curl example (../shared/seed/000_1baf33b1d3f1c176.txt, "手动调用SSE端点"), body as written. */
const SEED_CURL_BODY = `{
    "task": "生成AI Agent领域最近一周的行业重大事件报告",
    "task_type": "news_report",
    "kwargs": {
      "days": 7,
      "quality_threshold": 7.0,
      "max_iterations": 2,
      "auto_confirm": true
    }
  }`;

/** The guide's Cursor call `orchestrator_mcp_streaming("生成AI Agent行业报告", task_type="news_report")` as JSON-RPC. */
const SEED_TOOL_CALL =
  '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"orchestrator_mcp_streaming","arguments":{"task":"生成AI Agent行业报告","task_type":"news_report"}}}';

let world: ResearchWorld;
let home: string;
let server: HttpServerHandle;

beforeAll(async () => {
  world = await startResearchWorld({ sections: 3 });
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-seed-compat-"));
  server = await serveHttp({ settings: world.settings(home), port: 0, mcpPort: 0 });
});

afterAll(async () => {
  await server?.close();
  await world?.close();
  await rm(home, { recursive: true, force: true });
});

/** Checks a whole SSE API stream: session/started, §6.1/§6.2 messages, one §6.3 result or §6.4 error; ids 1…n. */
function expectSeedStream(
  events: SseEvent[],
  options: { task: string; id: string | number; ends: "result" | "error" },
) {
  expect(events.map((event) => event.id)).toEqual(events.map((_, index) => String(index + 1)));
  const [first, ...rest] = events.map((event) => event.message);
  const final = rest.pop();
  expect(sessionStartedShape.parse(first).params.task).toBe(options.task);
  const kinds = rest.map(notificationKind);
  if (options.ends === "error") {
    const error = errorMessageShape.parse(final);
    expect(error.id).toBe(options.id);
    return { kinds, error };
  }
  const result = resultMessageShape({ transport: "sse" }).parse(final);
  expect(result.id).toBe(options.id);
  expect(kinds).toContain("progress");
  expect(kinds.filter((kind) => kind === "usage")).toHaveLength(
    result.result.structuredContent.metadata.usage["calls"] as number,
  );
  return { kinds, result: result.result.structuredContent };
}

describe("the seed guide's curl example", () => {
  it("streams the seed's messages and result when replayed byte for byte (curl's own headers, Host localhost)", async () => {
    const port = new URL(server.url).port;
    const response = await rawRequest({
      url: `${server.url}/mcp/streaming/orchestrator`,
      method: "POST",
      headers: {
        Host: `localhost:${port}`,
        "User-Agent": "curl/8.5.0",
        Accept: "text/event-stream",
        "Content-Type": "application/json",
        "Content-Length": String(Buffer.byteLength(SEED_CURL_BODY)),
      },
      body: SEED_CURL_BODY,
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/event-stream/);
    const read = await readSse(new Response(response.body));
    expect(read.ended).toBe(true);
    const { result } = expectSeedStream(read.events, {
      task: "生成AI Agent领域最近一周的行业重大事件报告",
      id: 1,
      ends: "result",
    });
    expect(result?.task_type).toBe("news_report");
    expect(result?.metadata["days"]).toBe(7);
    expect(result?.quality.iterations).toBeLessThanOrEqual(2);
    const sections = read.events
      .map((event) => event.message.params?.data?.msg)
      .filter((msg) => msg?.status === "generating_sections" && msg.details.content);
    expect(sections.map((msg) => msg.details.name).sort()).toEqual(
      result?.sections.map((section) => section.name).sort(),
    );
  });
});

describe("a JSON-RPC tools/call envelope on POST /mcp/streaming/orchestrator", () => {
  it("runs generate_report and echoes a string id exactly in the final result", async () => {
    const body =
      '{"jsonrpc":"2.0","id":"42","method":"tools/call","params":{"name":"generate_report","arguments":{"task":"State of solid-state batteries in 2026","task_type":"auto"}}}';
    const read = await readSse(await postJson(`${server.url}/mcp/streaming/orchestrator`, body));
    const { result } = expectSeedStream(read.events, {
      task: "State of solid-state batteries in 2026",
      id: "42",
      ends: "result",
    });
    expect(result?.task).toBe("State of solid-state batteries in 2026");
  });

  it("takes the seed's tool name with the options under kwargs, and a numeric id", async () => {
    const body = {
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: {
        name: "orchestrator_mcp_streaming",
        arguments: { task: "生成AI Agent行业报告", task_type: "news_report", kwargs: { days: 3, max_iterations: 1 } },
        _meta: { progressToken: "p" },
      },
    };
    const read = await readSse(await postJson(`${server.url}/mcp/streaming/orchestrator`, body));
    const { result } = expectSeedStream(read.events, { task: "生成AI Agent行业报告", id: 7, ends: "result" });
    expect(result?.metadata["days"]).toBe(3);
  });

  it("ends a failed run with a §6.4 error carrying the envelope's id; POST /mcp/orchestrator answers the envelope in one message", async () => {
    world.openai.setResponder(() => ({ status: 401, content: "Incorrect API key provided" }));
    try {
      const envelope = {
        jsonrpc: "2.0",
        id: "run-9",
        method: "tools/call",
        params: { name: "generate_report", arguments: { task: "AI chips", max_iterations: 1 } },
      };
      const read = await readSse(await postJson(`${server.url}/mcp/streaming/orchestrator`, envelope));
      const { error } = expectSeedStream(read.events, { task: "AI chips", id: "run-9", ends: "error" });
      expect(error?.error).toMatchObject({
        code: -32603,
        message: "Internal error",
        data: { type: "model_call_failed" },
      });
      const single = await postJson(`${server.url}/mcp/orchestrator`, { ...envelope, id: 10 });
      expect(single.status).toBe(200);
      expect(errorMessageShape.parse(await single.json()).id).toBe(10);
    } finally {
      world.openai.setResponder(world.responder);
    }
    const done = await postJson(`${server.url}/mcp/orchestrator`, {
      jsonrpc: "2.0",
      id: "ok-1",
      method: "tools/call",
      params: { name: "generate_report", arguments: { task: "AI chips", max_iterations: 1 } },
    });
    expect(resultMessageShape({ transport: "sse" }).parse(await done.json()).id).toBe("ok-1");
  });

  it("answers a bad envelope or body with a 400 naming the field and echoing any readable id", async () => {
    const cases: Array<{ body: unknown; id: string | number | null; fields: string[]; message: RegExp }> = [
      {
        body: { jsonrpc: "2.0", id: "42", method: "tools/list" },
        id: "42",
        fields: ["method"],
        message: /method must be "tools\/call".*got "tools\/list"/,
      },
      {
        body: { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "search", arguments: { task: "x" } } },
        id: 5,
        fields: ["params.name"],
        message: /unknown tool "search".*generate_report or orchestrator_mcp_streaming/,
      },
      {
        body: {
          jsonrpc: "1.0",
          id: "a",
          method: "tools/call",
          params: { name: "generate_report", arguments: { task: "x" } },
        },
        id: "a",
        fields: ["jsonrpc"],
        message: /jsonrpc must be "2\.0"/,
      },
      {
        body: { jsonrpc: "2.0", id: "b", method: "tools/call", params: { name: "generate_report" } },
        id: "b",
        fields: ["params.arguments"],
        message: /arguments must be an object/,
      },
      {
        body: {
          jsonrpc: "2.0",
          id: "c",
          method: "tools/call",
          params: { name: "generate_report", arguments: { task: "x", kwargs: { days: 0 } } },
        },
        id: "c",
        fields: ["params.arguments.kwargs.days"],
        message: /params\.arguments\.kwargs\.days: days must be at least 1/,
      },
      {
        body: {
          jsonrpc: "2.0",
          id: "d",
          method: "tools/call",
          params: { name: "generate_report", arguments: { task: "x", days: 2, kwargs: { days: 3 } } },
        },
        id: "d",
        fields: ["params.arguments.days", "params.arguments.kwargs.days"],
        message: /given both/,
      },
      {
        body: {
          jsonrpc: "2.0",
          id: "e",
          method: "tools/call",
          params: { name: "generate_report", arguments: { task: "x" }, task: { ttl: 1 } },
        },
        id: "e",
        fields: ["params.task"],
        message: /params\.task: unknown field/,
      },
      { body: { task: "", id: "plain-1" }, id: "plain-1", fields: ["task"], message: /task must not be empty/ },
      {
        body: { task: "x", kwargs: { colour: "red" }, id: 77 },
        id: 77,
        fields: ["kwargs.colour"],
        message: /unknown field/,
      },
      { body: { task: "x", id: 1.5 }, id: null, fields: ["id"], message: /id must be a string/ },
      { body: [SEED_TOOL_CALL], id: null, fields: ["(body)"], message: /batches are not supported/ },
    ];
    for (const { body, id, fields, message } of cases) {
      for (const route of ["/mcp/streaming/orchestrator", "/mcp/orchestrator"]) {
        const response = await postJson(`${server.url}${route}`, body);
        expect(response.status, `${route} ${JSON.stringify(body)}`).toBe(400);
        const parsed = errorMessageShape.parse(await response.json());
        expect(parsed.id, JSON.stringify(body)).toBe(id);
        expect(parsed.error.code).toBe(-32602);
        expect(parsed.error.data.type).toBe("invalid_params");
        expect(parsed.error.data.fields).toEqual(fields);
        expect(parsed.error.data.message).toMatch(message);
      }
    }
    const malformed = await postJson(`${server.url}/mcp/streaming/orchestrator`, '{"jsonrpc":"2.0","id":"42",');
    expect(errorMessageShape.parse(await malformed.json())).toMatchObject({
      id: null,
      error: { code: -32700, data: { type: "parse_error" } },
    });
  });
});

describe("the seed guide's MCP tool call on the MCP port (--mcp-port)", () => {
  it("replays orchestrator_mcp_streaming byte for byte over Streamable HTTP: §6.1/§6.2 notifications, then a §6.3 result", async () => {
    expect(server.mcpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.mcpUrl).not.toBe(server.url);
    const endpoint = `${server.mcpUrl}/mcp`;
    const headers = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
    const init = await fetch(endpoint, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "seed-client", version: "1" } },
      }),
    });
    expect(init.status).toBe(200);
    const sessionId = init.headers.get("mcp-session-id") ?? "";
    await init.text();
    const session = { ...headers, "Mcp-Session-Id": sessionId, "Mcp-Protocol-Version": "2025-06-18" };
    await (
      await fetch(endpoint, {
        method: "POST",
        headers: session,
        body: '{"jsonrpc":"2.0","method":"notifications/initialized"}',
      })
    ).text();

    const call = await fetch(endpoint, { method: "POST", headers: session, body: SEED_TOOL_CALL });
    expect(call.status).toBe(200);
    const read = await readSse(call, { stopAfter: (event) => event.message.id === 1 });
    const messages = read.events.map((event) => event.message).filter((message) => Object.keys(message).length > 0);
    const final = messages.pop();
    const result = resultMessageShape({ transport: "mcp" }).parse(final);
    expect(result.result.structuredContent).toMatchObject({ task: "生成AI Agent行业报告", task_type: "news_report" });
    const kinds = messages.map((message) => {
      if (message.method === "notifications/message") return notificationKind(message);
      ServerNotificationSchema.parse(message);
      return String(message.method);
    });
    expect(kinds).toContain("progress");
    expect(kinds.filter((kind) => kind === "usage")).toHaveLength(
      result.result.structuredContent.metadata.usage["calls"] as number,
    );
    await fetch(endpoint, { method: "DELETE", headers: session });
  });
});
