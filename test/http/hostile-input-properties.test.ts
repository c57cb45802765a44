/**
 * Property-based tests (fast-check) over the HTTP boundary: whatever a client sends as an
 * orchestrator or confirm body, Last-Event-ID, cookie, Authorization header or session id, the
 * answer is a result or a typed JSON-RPC error — never a 500, never a hang.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/app/settings.js";
import { ERROR_TYPES } from "../../src/core/errors.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { PER_INPUT_TIMEOUT_MS, propertyRuns } from "../helpers/property-runs.js";
import { createScriptedRuntime } from "./fake-runtime.js";
import { postJson, rawRequest, readSse } from "./sse-client.js";

const TOKEN = "property-token-0123456789";
let home: string;
let open: HttpServerHandle;
let guarded: HttpServerHandle;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-properties-"));
  open = await serveHttp({
    settings: settingsSchema.parse({ home: path.join(home, "open") }),
    port: 0,
    runtime: createScriptedRuntime(),
    maxConcurrent: 3,
    maxBodyBytes: 16 * 1024,
  });
  guarded = await serveHttp({
    settings: settingsSchema.parse({ home: path.join(home, "guarded") }),
    port: 0,
    runtime: createScriptedRuntime(),
    token: TOKEN,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([open?.close(), guarded?.close()]);
  await rm(home, { recursive: true, force: true });
});

const OPTIONS = { numRuns: propertyRuns(60), timeout: PER_INPUT_TIMEOUT_MS, interruptAfterTimeLimit: 120_000 };

/** Characters Node lets a client put in a header value (HTAB, visible ASCII, obs-text). */
const headerText = (maxLength = 80) =>
  fc.string({
    unit: fc
      .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constant(0x09), fc.integer({ min: 0x80, max: 0xff }))
      .map((code) => String.fromCharCode(code)),
    maxLength,
  });

const FIELDS = [
  "task",
  "task_type",
  "days",
  "quality_threshold",
  "max_iterations",
  "auto_confirm",
  "language",
  "max_tokens",
  "max_cost",
  "id",
  "colour",
];
const fieldValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom("news_report", "auto", "en", "zh", "", " "),
  fc.double(),
  fc.integer(),
);
const taskObject = fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 6 });
const orchestratorBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.tuple(taskObject, fc.option(taskObject)).map(([top, kwargs]) => JSON.stringify(kwargs ? { ...top, kwargs } : top)),
  fc.record({ task: fc.string({ minLength: 1, maxLength: 60 }) }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 400 }),
  fc.constant("x".repeat(17 * 1024)),
);

/** A JSON-RPC error body as every 4xx of this API carries it. */
async function expectTypedError(response: Response | { status: number; body: string }, context: string): Promise<void> {
  const text = "text" in response ? await response.text() : response.body;
  const body = JSON.parse(text) as {
    jsonrpc?: string;
    error?: { code?: unknown; message?: unknown; data?: { type?: string; message?: unknown } };
  };
  expect(body.jsonrpc, context).toBe("2.0");
  expect(typeof body.error?.code, context).toBe("number");
  expect(typeof body.error?.message, context).toBe("string");
  if (body.error?.data?.type !== undefined)
    expect(ERROR_TYPES as readonly string[], context).toContain(body.error.data.type);
}

describe("HTTP boundary properties", () => {
  it("any orchestrator body: an SSE stream, or a 400/413/429 JSON-RPC error", async () => {
    await fc.assert(
      fc.asyncProperty(orchestratorBody, async (body) => {
        const response = await fetch(`${open.url}/mcp/streaming/orchestrator`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
          body: typeof body === "string" ? body : new Uint8Array(body),
        });
        const context =
          typeof body === "string" ? body.slice(0, 120) : `bytes ${Buffer.from(body).toString("hex").slice(0, 80)}`;
        expect([200, 400, 413, 429], context).toContain(response.status);
        if (response.status === 200) {
          expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
          await response.body?.cancel();
        } else {
          await expectTypedError(response, context);
        }
      }),
      OPTIONS,
    );
  });

  it("any confirm body: accepted, or a 400/409/413 JSON-RPC error", async () => {
    const started = await postJson(`${open.url}/mcp/streaming/orchestrator`, {
      task: "waits for a decision",
      auto_confirm: false,
    });
    const read = await readSse(started, {
      stopAfter: (event) => event.message.params?.data?.msg?.status === "awaiting_confirmation",
    });
    const sessionId = read.events[0]?.message.params.session_id as string;
    const outline = fc.record(
      {
        title: fieldValue,
        sections: fc.oneof(
          fc.array(fc.dictionary(fc.constantFrom("id", "name", "goal", "queries"), fieldValue), { maxLength: 3 }),
          fieldValue,
        ),
      },
      { requiredKeys: [] },
    );
    const confirmBody = fc.oneof(
      fc
        .dictionary(
          fc.constantFrom("approve", "outline", "feedback", "extra"),
          fc.oneof(fieldValue, fc.boolean(), outline),
          { maxKeys: 4 },
        )
        .map((value) => JSON.stringify(value)),
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 100 }),
    );
    await fc.assert(
      fc.asyncProperty(confirmBody, async (body) => {
        const response = await fetch(`${open.url}/mcp/streaming/sessions/${sessionId}/confirm`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body,
        });
        expect([200, 400, 409, 413], body.slice(0, 120)).toContain(response.status);
        if (response.status === 200)
          expect(await response.json()).toMatchObject({ session_id: sessionId, accepted: true });
        else await expectTypedError(response, body.slice(0, 120));
      }),
      OPTIONS,
    );
    await fetch(`${open.url}/mcp/streaming/sessions/${sessionId}/cancel`, { method: "POST" });
  });

  it("any Last-Event-ID: a replay for an id that was sent, 204 after the last, 400 for anything else", async () => {
    // Started here: the bodies above start many runs, and old sessions are pruned past 200.
    const read = await readSse(await postJson(`${open.url}/mcp/streaming/orchestrator`, { task: "an ended session" }));
    const endedSession = {
      id: read.events[0]?.message.params.session_id as string,
      lastId: Number(read.events.at(-1)?.id),
    };
    const lastEventId = fc.oneof(
      headerText(24),
      fc.integer({ min: -5, max: 60 }).map(String),
      fc.nat().map((n) => ` ${n} `),
      fc.constantFrom("", "0", "1e1", "0x2", "²", "٣"),
    );
    await fc.assert(
      fc.asyncProperty(lastEventId, fc.boolean(), async (value, queryWanted) => {
        // Characters past U+00FF cannot travel in a header: those go in the query.
        const asQuery = queryWanted || /[^\t\x20-\xff]/.test(value);
        const url = `${open.url}/mcp/streaming/sessions/${endedSession.id}/events${asQuery ? `?last_event_id=${encodeURIComponent(value)}` : ""}`;
        const response = await rawRequest({
          url,
          headers: { host: new URL(open.url).host, ...(asQuery ? {} : { "last-event-id": value }) },
        });
        const trimmed = value.trim();
        const seq = /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : trimmed === "" ? 0 : null;
        const expected = seq === null || seq > endedSession.lastId ? 400 : seq === endedSession.lastId ? 204 : 200;
        expect(response.status, JSON.stringify(value)).toBe(expected);
        if (expected === 400) await expectTypedError(response, value);
      }),
      OPTIONS,
    );
  });

  it("any cookie or Authorization header without the token: 401, never 500", async () => {
    const cookie = fc.oneof(
      headerText(),
      fc
        .string({ unit: fc.constantFrom(..."%0123456789ABCDEFabcdefz=;+ "), maxLength: 30 })
        .map((text) => `report_mcp_token=${text}`),
      fc.tuple(headerText(10), headerText(20)).map(([name, text]) => `${name}=${text}; report_mcp_token=${text}`),
    );
    const authorization = fc.oneof(
      headerText(),
      headerText(40).map((text) => `Bearer ${text}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.option(cookie), fc.option(authorization), async (cookieHeader, authorizationHeader) => {
        const headers: Record<string, string> = { host: new URL(guarded.url).host };
        if (cookieHeader !== null) headers["cookie"] = cookieHeader;
        if (authorizationHeader !== null) headers["authorization"] = authorizationHeader;
        const response = await rawRequest({ url: `${guarded.url}/mcp/streaming/sessions`, headers });
        expect(response.status, JSON.stringify(headers)).toBe(401);
        await expectTypedError(response, JSON.stringify(headers));
      }),
      OPTIONS,
    );
  });

  it("any session id in the path: 404 session_not_found (or 400), never 500", async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
      fc.string({ unit: fc.constantFrom(..."%0123456789ABCDEFabcdef._~-"), minLength: 1, maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(segment, fc.constantFrom("", "/events", "/cancel", "/confirm"), async (id, suffix) => {
        const method = suffix === "/cancel" || suffix === "/confirm" ? "POST" : "GET";
        const response = await rawRequest({
          url: `${open.url}/mcp/streaming/sessions/${id}${suffix}`,
          method,
          headers: { host: new URL(open.url).host, "content-type": "application/json" },
          body: method === "POST" ? "{}" : undefined,
        });
        expect(response.status, `${method} ${id}${suffix}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${method} ${id}${suffix}`).toBeLessThan(500);
        if (response.headers["content-type"]?.toString().includes("json")) await expectTypedError(response, id);
      }),
      OPTIONS,
    );
  });
});
