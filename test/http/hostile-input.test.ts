/**
 * What a hostile or broken client sends: bad percent-encoding in the token cookie, bytes that are
 * not UTF-8 in a body, garbage in the query. Each gets a 4xx with a JSON-RPC error, never a 500,
 * and never starts a run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/app/settings.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { createScriptedRuntime } from "./fake-runtime.js";
import { postJson, rawRequest, readSse } from "./sse-client.js";

const TOKEN = "s3cret-token-for-tests";
let home: string;
let open: HttpServerHandle;
let guarded: HttpServerHandle;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-hostile-"));
  open = await serveHttp({
    settings: settingsSchema.parse({ home: path.join(home, "open") }),
    port: 0,
    runtime: createScriptedRuntime({ gated: true }),
    maxConcurrent: 4,
  });
  guarded = await serveHttp({
    settings: settingsSchema.parse({ home: path.join(home, "guarded") }),
    port: 0,
    runtime: createScriptedRuntime(),
    token: TOKEN,
  });
});

afterAll(async () => {
  await Promise.all([open?.close(), guarded?.close()]);
  await rm(home, { recursive: true, force: true });
});

/** `{"task": "<bytes>"}` with raw bytes that are not UTF-8 (a lone continuation byte, a cut sequence). */
const NOT_UTF8 = Buffer.concat([
  Buffer.from('{"task": "caf'),
  Buffer.from([0xe9, 0x20, 0xe0, 0xa4]),
  Buffer.from('"}'),
]);

function postBytes(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream", ...headers },
    body: new Uint8Array(body),
  });
}

describe("hostile HTTP input", () => {
  it("a token cookie that is not valid percent-encoding is a 401, not a 500", async () => {
    for (const cookie of ["report_mcp_token=%E0%A4%A", "report_mcp_token=%", "report_mcp_token=%ZZ; other=1"]) {
      const response = await fetch(`${guarded.url}/mcp/streaming/sessions`, { headers: { Cookie: cookie } });
      expect(response.status, cookie).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="report-mcp"');
      expect((await response.json()).error.message).toBe("Unauthorized");
    }
    // The right token, percent-encoded as the server sets it, still gets in.
    const good = await fetch(`${guarded.url}/mcp/streaming/sessions`, {
      headers: { Cookie: `report_mcp_token=${encodeURIComponent(TOKEN)}` },
    });
    expect(good.status).toBe(200);
  });

  it("a body that is not UTF-8 is a 400 parse error and starts no run", async () => {
    const before = (await (await fetch(`${open.url}/mcp/streaming/sessions`)).json()).sessions.length;
    for (const route of ["/mcp/streaming/orchestrator", "/mcp/orchestrator"]) {
      const response = await postBytes(`${open.url}${route}`, NOT_UTF8);
      expect(response.status, route).toBe(400);
      const body = await response.json();
      expect(body).toMatchObject({
        jsonrpc: "2.0",
        id: null,
        error: { code: -32700, message: "Parse error", data: { type: "parse_error" } },
      });
      expect(body.error.data.message).toMatch(/not valid UTF-8/);
    }
    expect((await (await fetch(`${open.url}/mcp/streaming/sessions`)).json()).sessions).toHaveLength(before);
  });

  it("/confirm and /mcp refuse bodies that are not UTF-8 the same way", async () => {
    const started = await postJson(`${open.url}/mcp/streaming/orchestrator`, {
      task: "waits for approval",
      auto_confirm: false,
    });
    const read = await readSse(started, {
      stopAfter: (event) => event.message.params?.data?.msg?.status === "awaiting_confirmation",
    });
    const sessionId = read.events[0]?.message.params.session_id as string;
    const confirm = await postBytes(
      `${open.url}/mcp/streaming/sessions/${sessionId}/confirm`,
      Buffer.concat([Buffer.from('{"approve": false, "feedback": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    );
    expect(confirm.status).toBe(400);
    expect((await confirm.json()).error.data.type).toBe("parse_error");
    expect((await (await fetch(`${open.url}/mcp/streaming/sessions/${sessionId}`)).json()).status).toBe(
      "awaiting_confirmation",
    );

    const mcpHeaders = { Accept: "application/json, text/event-stream" };
    const initialize = await postJson(
      `${open.url}/mcp`,
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "hostile", version: "1" } },
      },
      mcpHeaders,
    );
    const mcpSession = initialize.headers.get("mcp-session-id") ?? "";
    expect(mcpSession).not.toBe("");
    await initialize.body?.cancel();
    const call = Buffer.concat([
      Buffer.from(
        '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"start_report","arguments":{"task":"',
      ),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}}}'),
    ]);
    const response = await postBytes(`${open.url}/mcp`, call, {
      ...mcpHeaders,
      "Mcp-Session-Id": mcpSession,
      "Mcp-Protocol-Version": "2025-11-25",
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: -32700, data: { type: "parse_error" } });
    await fetch(`${open.url}/mcp/streaming/sessions/${sessionId}/cancel`, { method: "POST" });
  });

  it("garbage in the path and query is a 4xx, never a 500", async () => {
    const statuses = await Promise.all(
      [
        "/mcp/streaming/sessions/%E0%A4%A",
        "/mcp/streaming/sessions/%E0%A4%A/events",
        "/mcp/streaming/sessions/x/events?last_event_id=%E0%A4%A",
        "/%FF?token=%E0%A4%A",
      ].map(
        async (target) =>
          (await rawRequest({ url: `${open.url}${target}`, headers: { host: new URL(open.url).host } })).status,
      ),
    );
    for (const status of statuses) expect(status).toBeGreaterThanOrEqual(400);
    for (const status of statuses) expect(status).toBeLessThan(500);
  });
});
