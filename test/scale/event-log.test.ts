/**
 * The per-run event log under stress, against a real Redis: watchers that attach while records
 * are being appended, and a pub/sub connection killed mid-stream, still get every record once, in
 * order. A worker that lost its run (another claimed it) can no longer append.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttemptAppender, AttemptStoppedError } from "../../src/scale/attempt-appender.js";
import { connectRedis, duplicateConnection } from "../../src/scale/connect.js";
import { EventHub } from "../../src/scale/event-hub.js";
import { scaleKeys } from "../../src/scale/keys.js";
import { newRun } from "../../src/scale/redis-jobs.js";
import { RunStore } from "../../src/scale/run-store.js";
import { findRedisServer, startRedisServer, type RedisServer } from "./redis-server.js";

const binary = findRedisServer();

const params = {
  task: "stress",
  task_type: "auto" as const,
  quality_threshold: 7,
  max_iterations: 3,
  auto_confirm: true,
};

describe.skipIf(!binary)("the per-run event log", () => {
  let redis: RedisServer;
  let command: Redis;
  let subscriber: Redis;
  let store: RunStore;
  let hub: EventHub;
  const logged: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ binary: binary ?? "" });
    command = await connectRedis({ url: redis.url, role: "worker", name: "test", log: (line) => logged.push(line) });
    subscriber = await duplicateConnection(command);
    store = new RunStore({ redis: command, keys: scaleKeys("eventlog"), retentionMs: 60_000 });
    hub = new EventHub({ subscriber, store, log: (line) => logged.push(line) });
  }, 60_000);

  afterAll(async () => {
    await hub?.close();
    subscriber?.disconnect();
    command?.disconnect();
    await redis?.close();
  });

  async function startRun(id: string): Promise<AttemptAppender> {
    const { head, first } = newRun({ id, params, requestId: null });
    expect(await store.reserve({ head, first, confirm: "none", cap: 100 })).toBe("ok");
    const claim = await store.claim(id, `token-${id}`);
    if (claim.kind !== "ok") throw new Error(`claim ${claim.kind}`);
    return new AttemptAppender({ store, id, token: `token-${id}`, head: claim.head, onStop: () => undefined });
  }

  /** Collects what a watcher gets until the terminal record. */
  function collect(id: string, afterSeq: number): { ready: Promise<() => void>; done: Promise<number[]> } {
    const seqs: number[] = [];
    let finish: (seqs: number[]) => void = () => undefined;
    const done = new Promise<number[]>((resolve) => (finish = resolve));
    const ready = hub.watch(id, afterSeq, (record) => {
      seqs.push(record.seq);
      if (record.kind === "error" || record.kind === "result") finish(seqs);
    });
    return { ready, done };
  }

  const range = (from: number, to: number): number[] =>
    Array.from({ length: to - from + 1 }, (_, index) => from + index);

  it("watchers attaching at any point while 300 records are appended each get the rest exactly once, in order", async () => {
    const id = "stress-1";
    const appender = await startRun(id);
    const watchers: Array<{ afterSeq: number; done: Promise<number[]> }> = [];
    for (let index = 0; index < 300; index += 1) {
      const appending = appender.append({
        kind: "event",
        event: { type: "progress", status: "searching", message: `step ${index}`, progress: index / 3 },
      });
      if (index % 10 === 0) {
        // Attach without waiting for the append in flight: the log read and the live channel race.
        const afterSeq = Math.max(0, appender.head.last_seq - (index % 7));
        watchers.push({ afterSeq, done: collect(id, afterSeq).done });
      }
      if (index % 3 === 0) await appending;
    }
    await appender.append({ kind: "error", error: { type: "cancelled", message: "end of the stress run" } });
    const last = appender.head.last_seq;
    expect(last).toBe(302);
    for (const watcher of watchers) expect(await watcher.done).toEqual(range(watcher.afterSeq + 1, last));
    expect(hub.watchedRuns).toBe(0);
  });

  it("a pub/sub connection killed mid-stream reconnects and fills the gap from the log", async () => {
    const id = "stress-2";
    const appender = await startRun(id);
    const watcher = collect(id, 0);
    await watcher.ready;
    for (let index = 0; index < 50; index += 1)
      await appender.append({
        kind: "event",
        event: { type: "progress", status: "searching", message: `before ${index}`, progress: 1 },
      });
    const admin = new Redis(redis.url);
    try {
      expect(await admin.client("KILL", "TYPE", "pubsub")).toBeGreaterThan(0);
    } finally {
      admin.disconnect();
    }
    for (let index = 0; index < 50; index += 1)
      await appender.append({
        kind: "event",
        event: { type: "progress", status: "searching", message: `after ${index}`, progress: 2 },
      });
    await appender.append({ kind: "error", error: { type: "cancelled", message: "end" } });
    expect(await watcher.done).toEqual(range(1, 102));
  });

  it("once another worker claims the run, the first one's appends are refused (fenced) and its run is told to stop", async () => {
    const id = "fenced-1";
    const stops: string[] = [];
    await store.reserve({ ...newRun({ id, params, requestId: null }), confirm: "none", cap: 100 });
    const claimOne = await store.claim(id, "one");
    if (claimOne.kind !== "ok") throw new Error("claim");
    const one = new AttemptAppender({
      store,
      id,
      token: "one",
      head: claimOne.head,
      onStop: (reason) => stops.push(reason),
    });
    await one.append({ kind: "event", event: { type: "progress", status: "searching", message: "one", progress: 1 } });
    const claimTwo = await store.claim(id, "two");
    if (claimTwo.kind !== "ok") throw new Error("claim");
    expect(claimTwo.attempt).toBe(2);
    await expect(
      one.append({ kind: "event", event: { type: "progress", status: "searching", message: "stale", progress: 2 } }),
    ).rejects.toBeInstanceOf(AttemptStoppedError);
    expect(stops).toEqual(["fenced"]);
    const records = (await store.records(id)) ?? [];
    expect(records.map((record) => record.seq)).toEqual([1, 2]);
  });
});
