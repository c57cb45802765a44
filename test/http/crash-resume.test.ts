/**
 * `kill -9` of the built `report-mcp serve` while reports run, then a restart on the same data
 * folder: nothing a client saw is lost or renumbered, and every resume ends with the
 * `interrupted` error under a higher id than any the client saw.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { snapshotBinary } from "../mcp/binary-snapshot.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { postJson, readSse, type SseRead } from "./sse-client.js";

const RUNS = 5;
let world: ResearchWorld;
let home: string;
let binary: { bin: string; remove: () => void };
const children: ChildProcess[] = [];
/** Each run's model call that never answers, by task: resolves when it reaches the fake. */
const hung = new Map<string, () => void>();
const hungReached = new Map<string, Promise<void>>();

/**
 * Every run's first model call is held until all runs have made theirs, then answered at once;
 * run i then hangs on its model call number HANG_AT[i] (2 = outline, 3 = quality, 4+ = sections),
 * so the runs produce events right up to the kill.
 */
const taskOf = (index: number) => `crash run ${index}`;
const HANG_AT = [2, 3, 3, 4, 4];

beforeAll(async () => {
  binary = await snapshotBinary();
  world = await startResearchWorld({ sections: 2 });
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-crash-"));
});

/** Scripts the model for the crash test's runs (see HANG_AT); other tasks get the normal answers. */
function holdCrashRuns(): void {
  const callsPerTask = new Map<string, number>();
  let releaseFirst: () => void = () => undefined;
  const firstCallsAnswered = new Promise<void>((resolve) => (releaseFirst = resolve));
  let firstCalls = 0;
  for (let index = 0; index < RUNS; index += 1) {
    hungReached.set(taskOf(index), new Promise((resolve) => hung.set(taskOf(index), resolve)));
  }
  world.openai.setResponder(async (request, callIndex) => {
    const text = JSON.stringify(request.body.messages);
    const index = [...Array(RUNS).keys()].find((candidate) => text.includes(taskOf(candidate)));
    if (index === undefined) return world.responder(request, callIndex);
    const calls = (callsPerTask.get(taskOf(index)) ?? 0) + 1;
    callsPerTask.set(taskOf(index), calls);
    if (calls === 1) {
      firstCalls += 1;
      if (firstCalls === RUNS) releaseFirst();
      await firstCallsAnswered;
    }
    if (calls >= (HANG_AT[index] ?? 2)) {
      hung.get(taskOf(index))?.();
      return { hang: true };
    }
    return world.responder(request, callIndex);
  });
}

// Each test scripts the model for its own runs; the next one starts from the plain answers.
afterEach(() => {
  world.openai.setResponder(world.responder);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await world?.close();
  binary?.remove();
  await rm(home, { recursive: true, force: true });
});

/** Starts the built binary's `serve --sse` on a free port; resolves with its URL once it listens. */
function startServe(dataHome: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [binary.bin, "serve", "--sse", "--port", "0", "--max-concurrent", "10"], {
    cwd: home,
    env: { PATH: process.env["PATH"] ?? "", HOME: home, REPORT_MCP_HOME: dataHome, ...world.env() },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderr += chunk;
      const url = /serving on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url) resolve({ child, url });
    });
    child.once("exit", (code) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
  });
}

describe("serve after kill -9", () => {
  it("keeps every event a client saw, renumbers none, and ends each resumed stream with interrupted", async () => {
    holdCrashRuns();
    const dataHome = path.join(home, "crash");
    const first = await startServe(dataHome);
    const reads: Array<Promise<SseRead>> = [];
    for (let index = 0; index < RUNS; index += 1) {
      const response = await postJson(`${first.url}/mcp/streaming/orchestrator`, {
        task: taskOf(index),
        kwargs: { max_iterations: 1 },
      });
      expect(response.status).toBe(200);
      reads.push(readSse(response));
    }
    await Promise.all(hungReached.values());
    // Killed the moment every run is waiting on the model: no shutdown, no flush.
    const exited = new Promise((resolve) => first.child.once("exit", resolve));
    first.child.kill("SIGKILL");
    await exited;
    const seen = await Promise.all(reads);

    const second = await startServe(dataHome);
    for (const read of seen) {
      expect(read.ended).toBe(false); // cut off by the kill, not ended by the server
      const sessionId = read.events[0]?.message.params.session_id as string;
      expect(read.events.map((event) => Number(event.id))).toEqual(read.events.map((_, index) => index + 1));
      const lastSeen = read.events.length;

      const state = await (await fetch(`${second.url}/mcp/streaming/sessions/${sessionId}`)).json();
      expect(state.status).toBe("failed");
      expect(state.error.type).toBe("interrupted");
      // What the client saw is on disk, message for message, under the same ids.
      expect(state.messages.slice(0, lastSeen)).toEqual(read.events.map((event) => event.message));
      expect(state.last_event_id).toBeGreaterThan(lastSeen);

      const resumed = await readSse(
        await fetch(`${second.url}/mcp/streaming/sessions/${sessionId}/events`, {
          headers: { "Last-Event-ID": String(lastSeen) },
        }),
      );
      expect(resumed.status).toBe(200);
      expect(resumed.ended).toBe(true);
      expect(resumed.events.map((event) => Number(event.id))).toEqual(
        resumed.events.map((_, index) => lastSeen + 1 + index),
      );
      expect(resumed.events.at(-1)?.message.error.data.type).toBe("interrupted");
      expect(Number(resumed.events.at(-1)?.id)).toBe(state.last_event_id);

      const atEnd = await fetch(`${second.url}/mcp/streaming/sessions/${sessionId}/events`, {
        headers: { "Last-Event-ID": String(state.last_event_id) },
      });
      expect(atEnd.status).toBe(204);
      const beyond = await fetch(`${second.url}/mcp/streaming/sessions/${sessionId}/events`, {
        headers: { "Last-Event-ID": String(state.last_event_id + 1) },
      });
      expect(beyond.status).toBe(400);
    }
    const exitedAgain = new Promise((resolve) => second.child.once("exit", resolve));
    second.child.kill("SIGTERM");
    await exitedAgain;
  });

  it("a Last-Event-ID above any id sent on a running session is refused with 400", async () => {
    const server = await startServe(path.join(home, "running"));
    let reached: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (reached = resolve));
    world.openai.setResponder((request, index) => {
      if (!JSON.stringify(request.body.messages).includes("waits on its model")) return world.responder(request, index);
      reached();
      return { hang: true };
    });
    const response = await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "waits on its model" });
    const read = await readSse(response, { stopAfter: (_event, index) => index === 1 });
    const sessionId = read.events[0]?.message.params.session_id as string;
    await waiting; // the run now waits on the model: its last id stays put
    const state = await (await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}`)).json();
    expect(state.status).toBe("running");
    const beyond = await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, {
      headers: { "Last-Event-ID": String(state.last_event_id + 1) },
    });
    expect(beyond.status).toBe(400);
    expect((await beyond.json()).error.data).toMatchObject({ type: "invalid_params", fields: ["Last-Event-ID"] });
    const exited = new Promise((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGKILL");
    await exited;
  });
});
