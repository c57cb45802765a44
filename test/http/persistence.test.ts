import { mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { followSse, postJson, readSse } from "./sse-client.js";

let home: string;
let world: ResearchWorld;
const servers: HttpServerHandle[] = [];

/** Tasks whose model calls never answer: runs that are still going when the server stops. */
const HANGING = ["cut off by a crash", "shutdown mid-run"];

beforeAll(async () => {
  world = await startResearchWorld({ sections: 2 });
  world.openai.setResponder((request, index) =>
    HANGING.some((task) => JSON.stringify(request.body.messages).includes(task))
      ? { hang: true }
      : world.responder(request, index),
  );
});

afterAll(async () => {
  await world?.close();
});

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-persist-"));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await rm(home, { recursive: true, force: true });
});

async function start(options: { maxCount?: number } = {}): Promise<HttpServerHandle> {
  const server = await serveHttp({
    settings: world.settings(home),
    port: 0,
    retention: options.maxCount ? { maxCount: options.maxCount } : undefined,
  });
  servers.push(server);
  return server;
}

describe("session persistence", () => {
  it("finished sessions and their messages survive a restart; runs cut off by a crash read failed / interrupted", async () => {
    const finishedServer = await start();
    const finished = await readSse(
      await postJson(`${finishedServer.url}/mcp/streaming/orchestrator`, {
        task: "finished before restart",
        id: "abc",
        max_iterations: 1,
      }),
    );
    const finishedId = finished.events[0]?.message.params.session_id;
    await finishedServer.close();
    const first = await start();
    const running = await postJson(`${first.url}/mcp/streaming/orchestrator`, { task: "cut off by a crash" });
    const runningId = running.headers.get("x-session-id") ?? "";
    // Written ahead: the running session's log holds its events already, no write to wait for.
    expect(
      (await readFile(path.join(home, "sessions", `${runningId}.jsonl`), "utf8")).split("\n").length,
    ).toBeGreaterThan(2);

    // A new process on the same data directory: `first` never got to shut down.
    const restarted = await start();
    const done = await (await fetch(`${restarted.url}/mcp/streaming/sessions/${finishedId}`)).json();
    expect(done.status).toBe("completed");
    expect(done.messages).toEqual(finished.events.map((event) => event.message));
    expect(done.result.report_content).toMatch(/^# /);
    const replay = await readSse(await fetch(`${restarted.url}/mcp/streaming/sessions/${finishedId}/events`));
    expect(replay.events).toEqual(finished.events);
    expect(replay.events.at(-1)?.message.id).toBe("abc");

    const cut = await (await fetch(`${restarted.url}/mcp/streaming/sessions/${runningId}`)).json();
    expect(cut.status).toBe("failed");
    expect(cut.error.type).toBe("interrupted");
    expect(cut.end_time).not.toBeNull();
    const cutStream = await readSse(
      await fetch(`${restarted.url}/mcp/streaming/sessions/${runningId}/events`, { headers: { "Last-Event-ID": "1" } }),
    );
    expect(cutStream.ended).toBe(true);
    expect(cutStream.events.at(-1)?.message.error).toEqual({
      code: -32603,
      message: "Internal error",
      data: { type: "interrupted", message: expect.any(String) },
    });
    void running.body?.cancel();
  });

  it("a graceful shutdown ends running reports as interrupted and their clients see it", async () => {
    const server = await start();
    const response = await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "shutdown mid-run" });
    const id = response.headers.get("x-session-id") ?? "";
    const reading = followSse(response);
    // The run is under way once its first step is announced.
    await reading.until(() =>
      reading.events.some((event) => typeof event.message.params?.data?.msg?.status === "string"),
    );
    await server.close();
    const read = await reading.done;
    expect(read.events.at(-1)?.message.error.data.type).toBe("interrupted");
    const file = JSON.parse(await readFile(path.join(home, "sessions", `${id}.json`), "utf8"));
    expect(file.snapshot.status).toBe("failed");
    const restarted = await start();
    expect((await (await fetch(`${restarted.url}/mcp/streaming/sessions/${id}`)).json()).error.type).toBe(
      "interrupted",
    );
  });

  it("writes one private JSON file per session atomically, skips corrupt files, and prunes by count", async () => {
    const server = await start({ maxCount: 2 });
    const ids: string[] = [];
    // A second apart on a fake clock (Date only): "newest" is never a tie within one millisecond.
    const base = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      for (const [index, task] of ["one", "two", "three"].entries()) {
        vi.setSystemTime(base + index * 1_000);
        const read = await readSse(
          await postJson(`${server.url}/mcp/streaming/orchestrator`, { task, max_iterations: 1 }),
        );
        ids.push(read.events[0]?.message.params.session_id);
      }
    } finally {
      vi.useRealTimers();
    }
    expect((await fetch(`${server.url}/mcp/streaming/sessions/${ids[0]}`)).status).toBe(404);
    // Closing flushes every queued write: the directory is then final.
    await server.close();
    const files = (await readdir(path.join(home, "sessions"))).sort();
    expect(files).toEqual([`${ids[1]}.json`, `${ids[2]}.json`].sort());
    expect((await stat(path.join(home, "sessions", files[0] ?? ""))).mode & 0o777).toBe(0o600);
    await writeFile(path.join(home, "sessions", "broken.json"), "{not json");
    await writeFile(path.join(home, "sessions", "half.json.123.tmp"), "{");
    // A crash's leftover is old; a fresh temp file may be another process's write in progress.
    await utimes(
      path.join(home, "sessions", "half.json.123.tmp"),
      new Date(Date.now() - 120_000),
      new Date(Date.now() - 120_000),
    );
    await writeFile(path.join(home, "sessions", "fresh.json.456.tmp"), "{");
    const restarted = await start();
    const list = await (await fetch(`${restarted.url}/mcp/streaming/sessions`)).json();
    expect(list.sessions.map((item: { task: string }) => item.task)).toEqual(["three", "two"]);
    expect(await readdir(path.join(home, "sessions"))).not.toContain("half.json.123.tmp");
    expect(await readdir(path.join(home, "sessions"))).toContain("fresh.json.456.tmp");
  });
});
