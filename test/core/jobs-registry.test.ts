import { describe, expect, it, vi } from "vitest";
import {
  ReportJobs,
  type JobHeader,
  type JobRecord,
  type JobSnapshot,
  type JobStore,
  type StoredJob,
} from "../../src/core/jobs/index.js";
import { ReportError } from "../../src/core/errors.js";
import { taskParamsSchema } from "../../src/core/params.js";
import { createScriptedRuntime } from "../http/fake-runtime.js";

const params = (task = "AI agents this week", extra: Record<string, unknown> = {}) =>
  taskParamsSchema.parse({ task, ...extra });

/** A JobStore fake kept in memory (copies on the way in and out, like a file would). */
class MemoryStore implements JobStore {
  /** Write-ahead logs, then compact entries once a job has ended (the log is then dropped). */
  readonly logs = new Map<string, { header: JobHeader; records: JobRecord[] }>();
  readonly entries = new Map<string, { snapshot: JobSnapshot; records: JobRecord[] }>();
  saves = 0;
  /** Whether the process that saved the entries is another one still alive. */
  liveElsewhere = false;
  append(header: JobHeader, record: JobRecord): void {
    const log = this.logs.get(header.id) ?? { header: structuredClone(header), records: [] };
    log.records.push(structuredClone(record));
    this.logs.set(header.id, log);
  }
  async save(snapshot: JobSnapshot, records: JobRecord[]): Promise<void> {
    this.saves += 1;
    this.entries.set(snapshot.id, structuredClone({ snapshot, records }));
    this.logs.delete(snapshot.id);
  }
  async loadAll(): Promise<StoredJob[]> {
    const compact = [...this.entries.values()].map(({ snapshot, records }) => ({
      header: { ...snapshot, task_type: snapshot.params.task_type },
      records,
    }));
    return [...compact, ...this.logs.values()].map((entry) => ({
      ...structuredClone(entry),
      liveElsewhere: this.liveElsewhere,
    }));
  }
  async remove(id: string): Promise<void> {
    this.entries.delete(id);
    this.logs.delete(id);
  }
  /** Status of a job as stored: from its compact entry, else its log. */
  status(id: string): string | undefined {
    const log = this.logs.get(id);
    return (
      this.entries.get(id)?.snapshot.status ??
      (log
        ? log.records.some((record) => record.kind === "error" || record.kind === "result")
          ? "ended"
          : "running"
        : undefined)
    );
  }
}

/** Resolves when the job emits a progress event of this status (a gated scripted run then waits at its gate). */
function untilStatus(jobs: ReportJobs, id: string, status: string): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = jobs.subscribe(id, 0, (record) => {
      if (record.kind === "event" && record.event.type === "progress" && record.event.status === status) {
        queueMicrotask(() => unsubscribe());
        resolve();
      }
    });
  });
}

/** Lets every queued promise job and I/O callback run (no wall-clock wait). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function expectWellFormed(records: JobRecord[]): void {
  expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
  expect(records[0]?.kind).toBe("started");
  const terminal = records.filter((record) => record.kind === "result" || record.kind === "error");
  expect(terminal).toHaveLength(1);
  expect(records.at(-1)).toBe(terminal[0]);
}

describe("ReportJobs", () => {
  it("runs a job to completion with an ordered log and a final snapshot", async () => {
    const jobs = new ReportJobs({ runtime: createScriptedRuntime() });
    const first = jobs.start(params());
    expect(first.status).toBe("running");
    const final = await jobs.done(first.id);
    expect(final.status).toBe("completed");
    expect(final.progress).toBe(100);
    expect(final.result?.report_content).toContain("# AI Agent weekly");
    expect(final.sections.map((section) => section.name)).toEqual(["Funding", "Launches"]);
    expect(final.outline?.title).toBe("AI Agent weekly");
    expect(final.end_time).not.toBeNull();
    const records = jobs.records(first.id);
    expectWellFormed(records);
    expect(final.last_seq).toBe(records.length);
    expect(jobs.records(first.id, records.length - 1)).toEqual([records.at(-1)]);
  });

  it("subscribe replays after a seq and then delivers live records exactly once", async () => {
    const runtime = createScriptedRuntime({ gated: true });
    const jobs = new ReportJobs({ runtime });
    const { id } = jobs.start(params());
    await untilStatus(jobs, id, "searching");
    const before = jobs.records(id);
    expect(before.length).toBeGreaterThan(3);
    const seen: number[] = [];
    jobs.subscribe(id, 2, (record) => seen.push(record.seq));
    expect(seen).toEqual(before.slice(2).map((record) => record.seq));
    runtime.release();
    const final = await jobs.done(id);
    expect(seen).toEqual(Array.from({ length: final.last_seq - 2 }, (_, index) => index + 3));
  });

  it("subscribing to an ended job replays its log and nothing more; a throwing listener does not break the job", async () => {
    const runtime = createScriptedRuntime({ gated: true });
    const jobs = new ReportJobs({ runtime });
    const { id } = jobs.start(params());
    jobs.subscribe(id, 0, () => {
      throw new Error("a broken client");
    });
    const seen: number[] = [];
    jobs.subscribe(id, 0, (record) => seen.push(record.seq));
    runtime.release();
    const final = await jobs.done(id);
    expect(final.status).toBe("completed");
    expect(seen).toHaveLength(final.last_seq);
    const replayed: string[] = [];
    jobs.subscribe(id, final.last_seq - 2, (record) => replayed.push(record.kind));
    expect(replayed).toEqual(["event", "result"]);
  });

  it("cancel ends the job at once with a cancelled error and no further spend", async () => {
    const runtime = createScriptedRuntime({ gated: true });
    const jobs = new ReportJobs({ runtime });
    const { id } = jobs.start(params());
    await untilStatus(jobs, id, "searching");
    expect(jobs.cancel(id)).toBe(true);
    expect(jobs.get(id)?.status).toBe("cancelled");
    expect(jobs.cancel(id)).toBe(false);
    const final = await jobs.done(id);
    expect(final.error?.type).toBe("cancelled");
    runtime.release();
    await settle();
    expect(runtime.calls.filter((call) => call.afterAbort)).toEqual([]);
    expect(runtime.calls.some((call) => call.step === "generating_sections")).toBe(false);
    expectWellFormed(jobs.records(id));
  });

  it("caps concurrent runs with too_many_sessions and a retry hint", async () => {
    const runtime = createScriptedRuntime({ gated: true });
    const jobs = new ReportJobs({ runtime, maxConcurrent: 2 });
    jobs.start(params("one"));
    const second = jobs.start(params("two"));
    let thrown: unknown;
    try {
      jobs.start(params("three"));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ReportError);
    expect((thrown as ReportError).type).toBe("too_many_sessions");
    expect((thrown as ReportError).retryAfterMs).toBeGreaterThan(0);
    jobs.cancel(second.id);
    expect(jobs.start(params("three")).status).toBe("running");
    await jobs.close();
  });

  it("external confirmation waits, then approves an edited outline (sent the moment the outline is announced)", async () => {
    const jobs = new ReportJobs({ runtime: createScriptedRuntime() });
    const { id } = jobs.start(params("t", { auto_confirm: false }), { confirm: "external" });
    await untilStatus(jobs, id, "awaiting_confirmation");
    const waiting = jobs.get(id);
    expect(waiting?.status).toBe("awaiting_confirmation");
    expect(waiting?.current_status).toBe("awaiting_confirmation");
    expect(waiting?.outline?.sections).toHaveLength(2);
    const edited = { title: "Edited", sections: [{ id: 1, name: "Only one", goal: "g", queries: ["q"] }] };
    expect(jobs.confirm(id, { action: "edit", outline: edited })).toBe(true);
    expect(jobs.confirm(id, { action: "approve" })).toBe(false);
    const final = await jobs.done(id);
    expect(final.status).toBe("completed");
    expect(final.result?.sections.map((section) => section.name)).toEqual(["Only one"]);
  });

  it("a rejected outline ends the run cancelled; a confirmation timeout stops it", async () => {
    const jobs = new ReportJobs({ runtime: createScriptedRuntime(), confirmTimeoutMs: 50 });
    const rejected = jobs.start(params("a", { auto_confirm: false }), { confirm: "external" });
    const timedOut = jobs.start(params("b", { auto_confirm: false }), { confirm: "external" });
    await untilStatus(jobs, rejected.id, "awaiting_confirmation");
    expect(jobs.confirm(rejected.id, { action: "reject", feedback: "too broad" })).toBe(true);
    const rejectedFinal = await jobs.done(rejected.id);
    expect(rejectedFinal.status).toBe("cancelled");
    expect(rejectedFinal.error?.message).toContain("too broad");
    const timedOutFinal = await jobs.done(timedOut.id);
    expect(timedOutFinal.status).toBe("cancelled");
    expect(timedOutFinal.error?.message).toMatch(/No decision on the outline/);
    expectWellFormed(jobs.records(timedOut.id));
  });

  it("maps a pipeline failure to a failed job with its typed error", async () => {
    const jobs = new ReportJobs({
      runtime: createScriptedRuntime({
        failWith: new ReportError("model_call_failed", "The model said 401; check OPENAI_API_KEY."),
      }),
    });
    const { id } = jobs.start(params());
    const final = await jobs.done(id);
    expect(final.status).toBe("failed");
    expect(final.error).toEqual({ type: "model_call_failed", message: "The model said 401; check OPENAI_API_KEY." });
  });

  it("waitForChange resolves on a new record, on timeout, and on abort", async () => {
    const runtime = createScriptedRuntime({ gated: true });
    const jobs = new ReportJobs({ runtime });
    const { id } = jobs.start(params());
    await untilStatus(jobs, id, "searching");
    const last = jobs.get(id)?.last_seq ?? 0;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      let timedOut = false;
      const quiet = jobs.waitForChange(id, { afterSeq: last, timeoutMs: 30 }).then(() => {
        timedOut = true;
      });
      await vi.advanceTimersByTimeAsync(29);
      expect(timedOut).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await quiet;
      expect(timedOut).toBe(true);
      expect(jobs.get(id)?.last_seq).toBe(last);
    } finally {
      vi.useRealTimers();
    }
    const controller = new AbortController();
    const aborted = jobs.waitForChange(id, { afterSeq: last, timeoutMs: 10_000, signal: controller.signal });
    controller.abort();
    await aborted;
    const change = jobs.waitForChange(id, { afterSeq: last, timeoutMs: 10_000 });
    runtime.release();
    await change;
    expect(jobs.get(id)?.last_seq).toBeGreaterThan(last);
    expect(() => jobs.records("nope")).toThrow(/No report session/);
    await expect(jobs.done("nope")).rejects.toMatchObject({ type: "session_not_found" });
  });

  it("shows awaiting_confirmation while a confirmer function (e.g. MCP elicitation) decides", async () => {
    const jobs = new ReportJobs({ runtime: createScriptedRuntime() });
    let decide: (decision: { action: "approve" }) => void = () => undefined;
    let asked: () => void = () => undefined;
    const beingAsked = new Promise<void>((resolve) => (asked = resolve));
    const job = jobs.start(params("needs approval", { auto_confirm: false }), {
      confirm: () =>
        new Promise((resolve) => {
          decide = resolve;
          asked();
        }),
    });
    await beingAsked;
    expect(jobs.get(job.id)?.status).toBe("awaiting_confirmation");
    decide({ action: "approve" });
    expect((await jobs.done(job.id)).status).toBe("completed");
    await jobs.close();
  });

  it("restores finished jobs and leaves a running job of another live process alone", async () => {
    const store = new MemoryStore();
    const runtime = createScriptedRuntime({ gated: true });
    const live = new ReportJobs({ runtime, store });
    const running = live.start(params("still running elsewhere"));
    const finished = live.start(params("finished"));
    runtime.release("finished");
    await live.done(finished.id);
    store.liveElsewhere = true;
    const other = new ReportJobs({ runtime: createScriptedRuntime(), store });
    const restoring = other.restore();
    await other.ready();
    await restoring;
    expect(other.get(finished.id)?.status).toBe("completed");
    expect(other.get(running.id)).toBeUndefined();
    expect(store.status(running.id)).toBe("running");
    runtime.release("still running elsewhere");
    expect((await live.done(running.id)).status).toBe("completed");
    await live.close();
  });

  it("persists, restores finished jobs and marks cut-off runs interrupted", async () => {
    const store = new MemoryStore();
    const runtime = createScriptedRuntime({ gated: true });
    const jobs = new ReportJobs({ runtime, store });
    const running = jobs.start(params("cut off"));
    const finished = jobs.start(params("finished"));
    runtime.release("finished");
    await jobs.done(finished.id);
    jobs.start(params("also cut off"));
    // Simulate a crash (no waiting: every record is in the store before anyone sees it): the store holds whatever was last written; a new registry restores it.
    const restored = new ReportJobs({ runtime: createScriptedRuntime(), store });
    await restored.restore();
    expect(restored.get(finished.id)?.status).toBe("completed");
    expect(restored.get(finished.id)?.result?.report_content).toContain("Funding");
    expect(restored.get(running.id)?.error?.type).toBe("interrupted");
    const cutOff = restored.list().find((snapshot) => snapshot.task === "also cut off");
    expect(cutOff?.status).toBe("failed");
    expect(cutOff?.error?.type).toBe("interrupted");
    expectWellFormed(restored.records(cutOff?.id ?? ""));
    await restored.close();
    expect(store.entries.get(cutOff?.id ?? "")?.snapshot.status).toBe("failed");
    await jobs.close();
  });

  it("close() ends running jobs as interrupted and flushes them to the store", async () => {
    const store = new MemoryStore();
    const jobs = new ReportJobs({ runtime: createScriptedRuntime({ gated: true }), store });
    const { id } = jobs.start(params());
    await jobs.close();
    expect(jobs.get(id)?.error?.type).toBe("interrupted");
    expect(store.entries.get(id)?.snapshot.status).toBe("failed");
    expect(() => jobs.start(params())).toThrow(/shutting down/);
  });

  it("prunes ended jobs by count and age", async () => {
    const store = new MemoryStore();
    let clock = Date.parse("2026-11-01T00:00:00Z");
    const jobs = new ReportJobs({
      runtime: createScriptedRuntime(),
      store,
      now: () => new Date(clock),
      retention: { maxCount: 2, maxAgeMs: 24 * 3600 * 1000 },
    });
    const ids: string[] = [];
    for (const task of ["a", "b", "c"]) {
      clock += 1000;
      const { id } = jobs.start(params(task));
      ids.push(id);
      await jobs.done(id);
    }
    await settle();
    expect(jobs.get(ids[0] ?? "")).toBeUndefined();
    expect(store.entries.has(ids[0] ?? "")).toBe(false);
    expect(jobs.list().map((snapshot) => snapshot.task)).toEqual(["c", "b"]);
    clock += 2 * 24 * 3600 * 1000;
    const { id } = jobs.start(params("fresh"));
    await jobs.done(id);
    await settle();
    expect(jobs.list().map((snapshot) => snapshot.task)).toEqual(["fresh"]);
  });

  it("resolves a lazy runtime once and keeps the caller's request id", async () => {
    let created = 0;
    const jobs = new ReportJobs({
      runtime: async () => {
        created += 1;
        return createScriptedRuntime();
      },
    });
    const first = jobs.start(params(), { requestId: "req-7" });
    const second = jobs.start(params());
    await Promise.all([jobs.done(first.id), jobs.done(second.id)]);
    expect(created).toBe(1);
    expect(jobs.get(first.id)?.request_id).toBe("req-7");
    expect(() => jobs.start(params(), { id: first.id })).toThrow(/already exists/);
  });
});
