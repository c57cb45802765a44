import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { createScriptedRuntime, type ScriptedRuntime } from "../http/fake-runtime.js";
import { postJson, readSse } from "../http/sse-client.js";
import { followStream, observeRuns, startCluster, type ScaleCluster } from "./cluster.js";
import { findRedisServer, startRedisServer, type RedisServer } from "./redis-server.js";

const binary = findRedisServer();

describe.skipIf(!binary)("serve --redis: Redis lost mid-run", () => {
  let redis: RedisServer;
  let scripted: ScriptedRuntime;
  let observed: ReturnType<typeof observeRuns>;
  let cluster: ScaleCluster;

  beforeAll(async () => {
    redis = await startRedisServer({ binary: binary ?? "", appendOnly: true });
    scripted = createScriptedRuntime({ gated: true });
    observed = observeRuns(scripted);
    cluster = await startCluster({ redisUrl: redis.url, runtime: observed.runtime, frontEnds: 1, workers: 1 });
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
    await redis?.close();
  });

  it("runs fail with a typed error, the front end answers 503 with Retry-After meanwhile, and both recover when Redis is back", async () => {
    const url = cluster.frontEnds[0]?.url ?? "";
    const [frontEndLog] = cluster.frontEndLogs;
    const [workerLog] = cluster.workerLogs;
    if (!frontEndLog || !workerLog) throw new Error("cluster without logs");
    const task = "Through a Redis restart";
    const {
      events,
      reached,
      done: stream,
    } = followStream(await postJson(`${url}/mcp/streaming/orchestrator`, { task }));
    await reached("searching");
    const sessionId: string = events[0]?.message.params.session_id;

    await redis.stop();
    await frontEndLog.waitFor(/lost the connection to Redis/);
    await workerLog.waitFor(/lost the connection to Redis/);
    const reason = await observed.aborted(task);
    expect(reason).toBeInstanceOf(ReportError);
    expect((reason as ReportError).type).toBe("interrupted");

    const session = await fetch(`${url}/mcp/streaming/sessions/${sessionId}`);
    expect(session.status).toBe(503);
    expect(Number(session.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await session.json()).error.data).toMatchObject({
      type: "interrupted",
      message: expect.stringContaining("Redis"),
    });
    const start = await postJson(`${url}/mcp/streaming/orchestrator`, { task: "While Redis is away" });
    expect(start.status).toBe(503);
    expect(start.headers.get("retry-after")).not.toBeNull();
    expect((await fetch(`${url}/health`)).status).toBe(200);

    const frontEndLines = frontEndLog.lines.length;
    const workerLines = workerLog.lines.length;
    await redis.start();
    await frontEndLog.waitFor(/Redis connection restored/, frontEndLines);
    await workerLog.waitFor(/Redis connection restored/, workerLines);

    // The stream that stayed open gets the typed end once the worker could write it.
    const read = await stream;
    expect(read.ended).toBe(true);
    expect(events.map((event) => Number(event.id))).toEqual(events.map((_, index) => index + 1));
    expect(events.at(-1)?.message.error.data).toMatchObject({
      type: "interrupted",
      message: expect.stringContaining("lost its connection to Redis"),
    });
    const view = await (await fetch(`${url}/mcp/streaming/sessions/${sessionId}`)).json();
    expect(view).toMatchObject({ status: "failed", error: { type: "interrupted" } });

    scripted.release("After the restart");
    const after = await readSse(await postJson(`${url}/mcp/streaming/orchestrator`, { task: "After the restart" }));
    expect(after.status).toBe(200);
    expect(after.events.at(-1)?.message.result.isError).toBe(false);
  });
});
