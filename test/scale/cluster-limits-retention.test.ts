import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScriptedRuntime, type ScriptedRuntime } from "../http/fake-runtime.js";
import { postJson, readSse, type SseEvent } from "../http/sse-client.js";
import { startCluster, type ScaleCluster } from "./cluster.js";
import { findRedisServer, startRedisServer, type RedisServer } from "./redis-server.js";

const binary = findRedisServer();
const statusOf = (event: SseEvent): string | undefined => event.message.params?.data?.msg?.status;

describe.skipIf(!binary)("serve --redis: the cap on unfinished runs holds across replicas", () => {
  let redis: RedisServer;
  let runtime: ScriptedRuntime;
  let cluster: ScaleCluster;

  beforeAll(async () => {
    redis = await startRedisServer({ binary: binary ?? "" });
    runtime = createScriptedRuntime({ gated: true });
    cluster = await startCluster({ redisUrl: redis.url, runtime, frontEnds: 2, workers: 1, maxConcurrent: 2 });
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
    await redis?.close();
  });

  it("two runs (one per replica) fill a cap of 2: the third gets 429 with Retry-After on either replica, and a place frees when one ends", async () => {
    const [a, b] = cluster.frontEnds.map((frontEnd) => frontEnd.url) as [string, string];
    const first = await readSse(await postJson(`${a}/mcp/streaming/orchestrator`, { task: "Cap one" }), {
      stopAfter: (event) => statusOf(event) === "searching",
    });
    const second = await readSse(await postJson(`${b}/mcp/streaming/orchestrator`, { task: "Cap two" }), {
      stopAfter: (event) => statusOf(event) === "searching",
    });
    for (const url of [a, b]) {
      const refused = await postJson(`${url}/mcp/streaming/orchestrator`, { task: "Cap three", id: "req-9" });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const body = await refused.json();
      expect(body).toMatchObject({ id: "req-9", error: { data: { type: "too_many_sessions" } } });
      expect(body.error.data.message).toContain("across this deployment");
    }
    // MCP's start_report meets the same cap.
    const client = new Client({ name: "scale-cap", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${b}/mcp`)));
    try {
      const refused = await client.callTool({ name: "start_report", arguments: { task: "Cap over MCP" } });
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent).toMatchObject({ type: "too_many_sessions" });
    } finally {
      await client.close();
    }
    // One run ends (cancelled on the other replica): a place frees up.
    const firstId: string = first.events[0]?.message.params.session_id;
    expect((await fetch(`${b}/mcp/streaming/sessions/${firstId}/cancel`, { method: "POST" })).status).toBe(200);
    runtime.release("Cap four");
    const fourth = await readSse(await postJson(`${b}/mcp/streaming/orchestrator`, { task: "Cap four" }));
    expect(fourth.status).toBe(200);
    expect(fourth.events.at(-1)?.message.result.isError).toBe(false);
    runtime.release("Cap two");
    const secondId: string = second.events[0]?.message.params.session_id;
    const rest = await readSse(
      await fetch(`${a}/mcp/streaming/sessions/${secondId}/events`, {
        headers: { "Last-Event-ID": second.events.at(-1)?.id ?? "" },
      }),
    );
    expect(rest.events.at(-1)?.message.result.isError).toBe(false);
  });
});

describe.skipIf(!binary)("serve --redis: finished runs expire after the retention period", () => {
  let redis: RedisServer;
  let cluster: ScaleCluster;
  let watcher: Redis;

  beforeAll(async () => {
    redis = await startRedisServer({ binary: binary ?? "", keyspaceEvents: "Ex" });
    cluster = await startCluster({
      redisUrl: redis.url,
      runtime: createScriptedRuntime(),
      frontEnds: 2,
      workers: 1,
      retentionMs: 1000,
    });
    watcher = new Redis(redis.url);
  }, 60_000);

  afterAll(async () => {
    watcher?.disconnect();
    await cluster?.close();
    await redis?.close();
  });

  it("a finished run's log and result are readable until they expire, then gone on every replica (and from the list)", async () => {
    const [a, b] = cluster.frontEnds.map((frontEnd) => frontEnd.url) as [string, string];
    const expired = new Set<string>();
    const waiters: Array<() => void> = [];
    watcher.on("message", (_channel: string, key: string) => {
      expired.add(key);
      for (const wake of waiters.splice(0)) wake();
    });
    await watcher.subscribe("__keyevent@0__:expired");
    const run = await readSse(await postJson(`${a}/mcp/streaming/orchestrator`, { task: "Short-lived report" }));
    const sessionId: string = run.events[0]?.message.params.session_id;
    expect(run.events.at(-1)?.message.result.isError).toBe(false);
    const before = await fetch(`${b}/mcp/streaming/sessions/${sessionId}`);
    expect(before.status).toBe(200);
    expect((await before.json()).result.title).toBe("AI Agent weekly");

    const keys = [`${cluster.prefix}:run:${sessionId}:meta`, `${cluster.prefix}:run:${sessionId}:log`];
    while (!keys.every((key) => expired.has(key))) await new Promise<void>((resolve) => waiters.push(resolve));

    for (const url of [a, b]) {
      expect((await fetch(`${url}/mcp/streaming/sessions/${sessionId}`)).status).toBe(404);
      expect((await fetch(`${url}/mcp/streaming/sessions/${sessionId}/events`)).status).toBe(404);
      const listed = await (await fetch(`${url}/mcp/streaming/sessions`)).json();
      expect(listed.sessions.map((session: { session_id: string }) => session.session_id)).not.toContain(sessionId);
    }
    const reader = new Redis(redis.url);
    try {
      expect(await reader.keys(`${cluster.prefix}:run:${sessionId}:*`)).toEqual([]);
    } finally {
      reader.disconnect();
    }
  });
});
