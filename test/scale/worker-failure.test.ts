/**
 * Workers killed mid-run (SIGKILL, the built binary): the run is restarted once on another worker
 * (the client sees a warning and later ids), and after the retry budget it ends `interrupted`.
 * The model (a loopback fake in this process) holds its answers, so a run is mid-flight exactly
 * when the test kills its worker.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/build.js";
import { cleanEnv, startBinary, type RunningBinary } from "../helpers/run-binary.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { postJson, type SseEvent } from "../http/sse-client.js";
import { followStream } from "./cluster.js";
import { findRedisServer, startRedisServer, type RedisServer } from "./redis-server.js";

const binary = findRedisServer();

/** Resolves with the first match of `pattern` in the process's stderr (already written or to come). */
function waitForStderr(process: RunningBinary, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const match = pattern.exec(process.stderr());
      if (match) {
        process.child.stderr.off("data", check);
        process.child.off("exit", onExit);
        resolve(match);
      }
      return match !== null;
    };
    const onExit = (): void => {
      if (!check()) reject(new Error(`process exited before printing ${pattern}:\n${process.stderr()}`));
    };
    if (check()) return;
    process.child.stderr.on("data", check);
    process.child.once("exit", onExit);
  });
}

/**
 * The run's id, from the response header (the first event carries it too, but the test may see
 * the worker call the model before it has read that event).
 */
function sessionOf(response: Response): string {
  const id = response.headers.get("x-session-id");
  if (!id) throw new Error(`the orchestrator answered ${response.status} without an X-Session-Id header`);
  return id;
}

const isRestartWarning = (event: SseEvent): boolean =>
  /Restarted after a worker failure/.test(event.message.params?.data?.msg?.message ?? "");

/** A gate the fake model's answers wait at while closed; `arrived` resolves on the next request. */
class ModelGate {
  #open = true;
  #waiting: Array<() => void> = [];
  #arrivals: Array<() => void> = [];

  close(): void {
    this.#open = false;
  }

  open(): void {
    this.#open = true;
    for (const release of this.#waiting.splice(0)) release();
  }

  arrived(): Promise<void> {
    return new Promise((resolve) => this.#arrivals.push(resolve));
  }

  async pass(): Promise<void> {
    for (const notify of this.#arrivals.splice(0)) notify();
    if (this.#open) return;
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
}

describe.skipIf(!binary)("report-mcp worker: a worker killed mid-run", () => {
  let redis: RedisServer;
  let world: ResearchWorld;
  let home: string;
  let frontEnd: RunningBinary;
  let url: string;
  const gate = new ModelGate();
  const workers: RunningBinary[] = [];

  const env = (): NodeJS.ProcessEnv =>
    cleanEnv({ ...world.env(), REPORT_MCP_HOME: home, REPORT_MCP_REDIS_URL: redis.url });
  const startWorker = async (): Promise<RunningBinary> => {
    const worker = startBinary(["worker", "--concurrency", "1", "--stall-timeout", "1s"], { env: env() });
    workers.push(worker);
    await waitForStderr(worker, /taking up to 1 report/);
    return worker;
  };
  /** Waits until one of `candidates` runs report `id` (attempt n), and returns that worker. */
  const runnerOf = (candidates: RunningBinary[], id: string, attempt: number): Promise<RunningBinary> =>
    Promise.race(
      candidates.map((worker) =>
        waitForStderr(worker, new RegExp(`running report ${id} \\(attempt ${attempt}\\)`)).then(() => worker),
      ),
    );
  const kill = async (worker: RunningBinary): Promise<void> => {
    worker.child.kill("SIGKILL");
    await worker.done;
  };

  beforeAll(async () => {
    await ensureBuilt();
    redis = await startRedisServer({ binary: binary ?? "", appendOnly: true });
    world = await startResearchWorld({ sections: 2 });
    const responder = world.responder;
    world.openai.setResponder(async (request, index) => {
      await gate.pass();
      return responder(request, index);
    });
    home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-worker-kill-"));
    frontEnd = startBinary(["serve", "--port", "0", "--workers", "0"], { env: env() });
    url = (await waitForStderr(frontEnd, /serving on (http:\/\/\S+)/))[1] ?? "";
  }, 120_000);

  afterAll(async () => {
    for (const process of [frontEnd, ...workers]) {
      if (process && process.child.exitCode === null && process.child.signalCode === null) {
        process.child.kill("SIGTERM");
        await process.done;
      }
    }
    await world?.close();
    await redis?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("the run restarts on the other worker: a warning, then events with higher ids, then the report", async () => {
    const pool = [await startWorker(), await startWorker()];
    gate.close();
    const firstCall = gate.arrived();
    const response = await postJson(`${url}/mcp/streaming/orchestrator`, {
      task: "Survive a dead worker",
      kwargs: { max_iterations: 1 },
    });
    const sessionId = sessionOf(response);
    const { events, done: stream } = followStream(response);
    await firstCall;
    const first = await runnerOf(pool, sessionId, 1);
    const idsBeforeKill = events.length;
    await kill(first);
    const second = pool.find((worker) => worker !== first);
    if (!second) throw new Error("no second worker");
    await waitForStderr(second, new RegExp(`running report ${sessionId} \\(attempt 2\\)`));
    gate.open();
    const read = await stream;
    expect(read.ended).toBe(true);
    expect(events.map((event) => Number(event.id))).toEqual(events.map((_, index) => index + 1));
    const warningAt = events.findIndex(
      (event) => event.message.params?.data?.msg?.status === "warning" && isRestartWarning(event),
    );
    expect(warningAt).toBeGreaterThanOrEqual(idsBeforeKill);
    expect(events[warningAt]?.message.params.level).toBe("warning");
    expect(
      events.slice(warningAt + 1).some((event) => event.message.params?.data?.msg?.status === "generating_sections"),
    ).toBe(true);
    expect(events.at(-1)?.message.result.structuredContent.status).toBe("completed");
  }, 120_000);

  it("after the retry budget (one restart) the run ends with a typed interrupted error", async () => {
    const alive = workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null);
    const pool = [...alive, await startWorker()];
    gate.close();
    const firstCall = gate.arrived();
    const response = await postJson(`${url}/mcp/streaming/orchestrator`, {
      task: "Outlive two dead workers",
      kwargs: { max_iterations: 1 },
    });
    const sessionId = sessionOf(response);
    const { events, until, done: stream } = followStream(response);
    await firstCall;
    const first = await runnerOf(pool, sessionId, 1);
    await kill(first);
    const second = await runnerOf(
      pool.filter((worker) => worker !== first),
      sessionId,
      2,
    );
    // Killed once its restart is under way (its warning is in the log); the gate holds its model call.
    await until(isRestartWarning);
    await kill(second);
    const third = await startWorker();
    await waitForStderr(third, new RegExp(`running report ${sessionId} \\(attempt 3\\)`));
    const read = await stream;
    gate.open();
    expect(read.ended).toBe(true);
    expect(events.map((event) => Number(event.id))).toEqual(events.map((_, index) => index + 1));
    expect(events.filter(isRestartWarning)).toHaveLength(1);
    expect(events.at(-1)?.message.error.data).toMatchObject({
      type: "interrupted",
      message: expect.stringContaining("retry budget"),
    });
    const view = await (await fetch(`${url}/mcp/streaming/sessions/${sessionId}`)).json();
    expect(view).toMatchObject({ status: "failed", error: { type: "interrupted" } });
  }, 120_000);
});
