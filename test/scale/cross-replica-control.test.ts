import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScriptedRuntime, type ScriptedRuntime } from "../http/fake-runtime.js";
import { postJson, readSse, type SseEvent } from "../http/sse-client.js";
import { followStream, observeRuns, startCluster, type ScaleCluster } from "./cluster.js";
import { findRedisServer, startRedisServer, type RedisServer } from "./redis-server.js";

const binary = findRedisServer();
const statusOf = (event: SseEvent): string | undefined => event.message.params?.data?.msg?.status;
const ids = (events: SseEvent[]): number[] => events.map((event) => Number(event.id));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe.skipIf(!binary)("serve --redis: cancel and outline confirmation cross machines", () => {
  let redis: RedisServer;
  let scripted: ScriptedRuntime;
  let observed: ReturnType<typeof observeRuns>;
  let cluster: ScaleCluster;
  let a: string;
  let b: string;

  beforeAll(async () => {
    redis = await startRedisServer({ binary: binary ?? "" });
    scripted = createScriptedRuntime({ gated: true });
    observed = observeRuns(scripted);
    cluster = await startCluster({ redisUrl: redis.url, runtime: observed.runtime, frontEnds: 2, workers: 1 });
    [a, b] = cluster.frontEnds.map((frontEnd) => frontEnd.url) as [string, string];
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
    await redis?.close();
  });

  it("a cancel sent to replica B stops the run on the worker (its signal fires, no model call after it) and A's stream ends cancelled", async () => {
    const task = "Cancel across replicas";
    const {
      events,
      reached,
      done: reading,
    } = followStream(await postJson(`${a}/mcp/streaming/orchestrator`, { task }));
    await reached("searching");
    const sessionId: string = events[0]?.message.params.session_id;
    const cancelled = await fetch(`${b}/mcp/streaming/sessions/${sessionId}/cancel`, { method: "POST" });
    expect(await cancelled.json()).toEqual({ session_id: sessionId, cancelled: true, status: "cancelled" });
    // The worker, on another connection, is told: the gate's wait rejects on its aborted signal.
    await observed.aborted(task);
    const read = await reading;
    expect(read.ended).toBe(true);
    expect(ids(read.events)).toEqual(range(1, read.events.length));
    expect(read.events.at(-1)?.message.error.data.type).toBe("cancelled");
    expect(scripted.calls.filter((call) => call.task === task && call.afterAbort)).toEqual([]);
    // Cancelling twice is harmless; the session stays cancelled on both replicas.
    expect(await (await fetch(`${a}/mcp/streaming/sessions/${sessionId}/cancel`, { method: "POST" })).json()).toEqual({
      session_id: sessionId,
      cancelled: false,
      status: "cancelled",
    });
    const view = await (await fetch(`${b}/mcp/streaming/sessions/${sessionId}`)).json();
    expect(view).toMatchObject({ status: "cancelled", error: { type: "cancelled" } });
  });

  it("an outline approved with edits on replica B reaches the worker; A's stream shows the edited sections", async () => {
    const task = "Confirm across replicas";
    scripted.release(task);
    const first = await readSse(
      await postJson(`${a}/mcp/streaming/orchestrator`, { task, kwargs: { auto_confirm: false } }),
      {
        stopAfter: (event) => statusOf(event) === "awaiting_confirmation",
      },
    );
    const sessionId: string = first.events[0]?.message.params.session_id;
    const waiting = await (await fetch(`${b}/mcp/streaming/sessions/${sessionId}`)).json();
    expect(waiting.status).toBe("awaiting_confirmation");
    const outline = {
      title: "Edited weekly",
      sections: [{ id: 1, name: "Money", goal: "Who raised", queries: ["ai agent funding"] }],
    };
    const confirm = await fetch(`${b}/mcp/streaming/sessions/${sessionId}/confirm`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ approve: true, outline }),
    });
    expect(await confirm.json()).toMatchObject({ session_id: sessionId, accepted: true, action: "edit" });
    // A second decision is refused: the first one is already on its way.
    const again = await fetch(`${a}/mcp/streaming/sessions/${sessionId}/confirm`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ approve: true }),
    });
    expect(again.status).toBe(409);
    const rest = await readSse(
      await fetch(`${a}/mcp/streaming/sessions/${sessionId}/events`, {
        headers: { "Last-Event-ID": first.events.at(-1)?.id ?? "" },
      }),
    );
    const all = [...first.events, ...rest.events];
    expect(ids(all)).toEqual(range(1, all.length));
    const final = all.at(-1)?.message.result.structuredContent;
    expect(final.sections.map((section: { name: string }) => section.name)).toEqual(["Money"]);
    expect(final.title).toBe("Edited weekly");
  });

  it("a rejection on B ends the run cancelled; confirming a run that is not waiting is a 409", async () => {
    const task = "Reject across replicas";
    const first = await readSse(
      await postJson(`${a}/mcp/streaming/orchestrator`, { task, kwargs: { auto_confirm: false } }),
      {
        stopAfter: (event) => statusOf(event) === "awaiting_confirmation",
      },
    );
    const sessionId: string = first.events[0]?.message.params.session_id;
    const reject = await fetch(`${b}/mcp/streaming/sessions/${sessionId}/confirm`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ approve: false, feedback: "wrong angle" }),
    });
    expect(reject.status).toBe(200);
    const rest = await readSse(
      await fetch(`${b}/mcp/streaming/sessions/${sessionId}/events`, {
        headers: { "Last-Event-ID": first.events.at(-1)?.id ?? "" },
      }),
    );
    expect(rest.events.at(-1)?.message.error.data).toMatchObject({
      type: "cancelled",
      message: expect.stringContaining("wrong angle"),
    });
    const late = await fetch(`${a}/mcp/streaming/sessions/${sessionId}/confirm`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ approve: true }),
    });
    expect(late.status).toBe(409);
  });

  it("MCP elicitation: the replica holding the MCP session puts the outline to the person while a worker runs the report", async () => {
    const task = "Elicitation across processes";
    scripted.release(task);
    const client = new Client({ name: "scale-elicit", version: "1.0.0" }, { capabilities: { elicitation: {} } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: "accept", content: { decision: "edit", sections: "Only launches" } };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${a}/mcp`)));
    try {
      const result = await client.request(
        { method: "tools/call", params: { name: "generate_report", arguments: { task, auto_confirm: false } } },
        CallToolResultSchema,
        { timeout: 30_000 },
      );
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain("AI Agent weekly");
      expect(result.isError).toBeFalsy();
      expect(
        (result.structuredContent as { sections: Array<{ name: string }> }).sections.map((section) => section.name),
      ).toEqual(["Only launches"]);
    } finally {
      await client.close();
    }
  });
});
