import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScriptedRuntime, type ScriptedRuntime } from "../http/fake-runtime.js";
import { postJson, type SseEvent } from "../http/sse-client.js";
import { followStream, startCluster, type ScaleCluster } from "./cluster.js";
import { findRedisServer, startRedisServer, type RedisServer } from "./redis-server.js";

const binary = findRedisServer();
const statusOf = (event: SseEvent): string | undefined => event.message.params?.data?.msg?.status;

describe.skipIf(!binary)("report-mcp worker: a worker that shuts down", () => {
  let redis: RedisServer;
  let runtime: ScriptedRuntime;
  let cluster: ScaleCluster;

  beforeAll(async () => {
    redis = await startRedisServer({ binary: binary ?? "" });
    runtime = createScriptedRuntime({ gated: true });
    cluster = await startCluster({ redisUrl: redis.url, runtime, frontEnds: 1, workers: 2, concurrency: 1 });
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
    await redis?.close();
  });

  it("hands its running report back: another worker restarts it at once and the client is told why", async () => {
    const url = cluster.frontEnds[0]?.url ?? "";
    const task = "Handed back on shutdown";
    const {
      events,
      reached,
      done: stream,
    } = followStream(await postJson(`${url}/mcp/streaming/orchestrator`, { task }));
    await reached("searching");
    const sessionId: string = events[0]?.message.params.session_id;
    const attempt = (n: number) => new RegExp(`running report ${sessionId} \\(attempt ${n}\\)`);
    const runnerIndex = await Promise.race(
      cluster.workerLogs.map((watch, index) => watch.waitFor(attempt(1)).then(() => index)),
    );
    const other = cluster.workerLogs[1 - runnerIndex];
    if (!other) throw new Error("no second worker");
    await cluster.workers[runnerIndex]?.close();
    await other.waitFor(attempt(2));
    runtime.release(task);
    const read = await stream;
    expect(read.ended).toBe(true);
    expect(events.map((event) => Number(event.id))).toEqual(events.map((_, index) => index + 1));
    const warning = events.find((event) => statusOf(event) === "warning");
    expect(warning?.message.params.data.msg.message).toMatch(
      /^Restarted on another worker: the worker running this report shut down/,
    );
    expect(events.at(-1)?.message.result.structuredContent.status).toBe("completed");
  });
});
