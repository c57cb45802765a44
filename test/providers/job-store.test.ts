import { readFileSync } from "node:fs";
import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReportJobs, type JobRecord } from "../../src/core/jobs/index.js";
import { taskParamsSchema } from "../../src/core/params.js";
import { FileJobStore } from "../../src/providers/job-store/file-job-store.js";
import { createScriptedRuntime } from "../http/fake-runtime.js";

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), "report-mcp-job-store-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A server process: its own pid, and a view of which pids are alive. */
function server(pid: number, alive: Set<number>, runtime = createScriptedRuntime({ gated: true })): ReportJobs {
  const store = new FileJobStore({ directory, owner: pid, isAlive: (other) => alive.has(other) });
  return new ReportJobs({ runtime, store });
}

const params = (task: string) => taskParamsSchema.parse({ task });

/** Resolves when the job has emitted a progress event of this status (the scripted run then waits at its gate). */
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

async function readLines(file: string): Promise<unknown[]> {
  return (await readFile(file, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as unknown);
}

describe("FileJobStore: a write-ahead log per running session", () => {
  it("has every record on disk before a listener sees it, and compacts the session when it ends", async () => {
    const runtime = createScriptedRuntime({ gated: true });
    const jobs = server(101, new Set([101]), runtime);
    const job = jobs.start(params("write ahead"));
    const log = path.join(directory, `${job.id}.jsonl`);
    const onDiskWhenSeen: boolean[] = [];
    const seen: JobRecord[] = [];
    const done = new Promise<void>((resolve) => {
      jobs.subscribe(job.id, 0, (record) => {
        seen.push(record);
        // Synchronously, at delivery: the record's line is already in the file.
        const lines = readFileSync(log, "utf8").split("\n");
        onDiskWhenSeen.push(
          lines.some((line: string) => line !== "" && (JSON.parse(line) as { seq?: number }).seq === record.seq),
        );
        if (record.kind === "result" || record.kind === "error") resolve();
      });
    });
    const [head, first] = await readLines(log);
    expect(head).toMatchObject({
      version: 2,
      owner: 101,
      header: { id: job.id, task: "write ahead", request_id: null },
    });
    expect(first).toMatchObject({ seq: 1, kind: "started" });
    runtime.release();
    await done;
    expect(onDiskWhenSeen.length).toBe(seen.length);
    expect(onDiskWhenSeen.every(Boolean)).toBe(true);
    await jobs.close();
    // Ended: one compact private file, the log gone.
    expect(await readdir(directory)).toEqual([`${job.id}.json`]);
    const compact = JSON.parse(await readFile(path.join(directory, `${job.id}.json`), "utf8"));
    expect(compact.snapshot.status).toBe("completed");
    expect(compact.records).toEqual(seen);
    expect((await stat(path.join(directory, `${job.id}.json`))).mode & 0o777).toBe(0o600);
  });

  it("after a crash, restores what was written, cuts a torn last line and ends the run with a higher seq", async () => {
    const alive = new Set([101]);
    const first = server(101, alive);
    const job = first.start(params("cut off by a crash"));
    await untilStatus(first, job.id, "searching");
    const seen = first.records(job.id);
    expect(seen.length).toBeGreaterThan(3);
    const log = path.join(directory, `${job.id}.jsonl`);
    // The crash came in the middle of writing a record: half a line, never delivered.
    await appendFile(log, '{"seq":99,"time":"2026-');
    alive.delete(101); // killed: no close(), no flush

    const second = server(202, alive);
    await second.restore();
    const records = second.records(job.id);
    expect(records.slice(0, seen.length)).toEqual(seen);
    expect(records).toHaveLength(seen.length + 1);
    expect(records.at(-1)).toMatchObject({ seq: seen.length + 1, kind: "error", error: { type: "interrupted" } });
    expect(second.get(job.id)?.status).toBe("failed");
    await second.close();
    expect(await readdir(directory)).toEqual([`${job.id}.json`]);
    await first.close();
  });

  it("reads back only events that keep to the event contract: one whose details break it ends the log like a damaged line", async () => {
    const alive = new Set([101]);
    const first = server(101, alive);
    const job = first.start(params("written by something else"));
    await untilStatus(first, job.id, "searching");
    const seen = first.records(job.id);
    const log = path.join(directory, `${job.id}.jsonl`);
    // A whole line, but `searching` details with a count where the contract has a query list (docs/events.md).
    const bad = {
      seq: seen.length + 1,
      time: "2026-11-30T08:00:00.000Z",
      kind: "event",
      event: { type: "progress", status: "searching", message: "Searching", details: { queries: 2 }, progress: 30 },
    };
    await appendFile(log, `${JSON.stringify(bad)}\n`);
    alive.delete(101);

    const second = server(202, alive);
    await second.restore();
    const records = second.records(job.id);
    expect(records.slice(0, seen.length)).toEqual(seen);
    expect(records.at(-1)).toMatchObject({ seq: seen.length + 1, kind: "error", error: { type: "interrupted" } });
    await second.close();
    await first.close();
  });

  it("records its owner, leaves a live owner's running report alone and interrupts a dead owner's", async () => {
    const alive = new Set([101, 202]);
    const first = server(101, alive);
    const running = first.start(params("still running in server 101"));
    await untilStatus(first, running.id, "searching");
    const [file] = await readdir(directory);
    expect(file).toBe(`${running.id}.jsonl`);
    expect((await readLines(path.join(directory, file ?? "")))[0]).toMatchObject({ owner: 101 });

    const second = server(202, alive);
    await second.restore();
    expect(second.get(running.id)).toBeUndefined();
    // The live owner's log is untouched.
    expect(await readLines(path.join(directory, file ?? ""))).toHaveLength(first.records(running.id).length + 1);

    alive.delete(101); // server 101 was killed without a chance to record anything
    const third = server(303, alive);
    await third.restore();
    expect(third.get(running.id)?.status).toBe("failed");
    expect(third.get(running.id)?.error?.type).toBe("interrupted");
    await Promise.all([first.close(), second.close(), third.close()]);
  });

  it("finishes a compaction that a crash interrupted, and drops a log whose compact file exists", async () => {
    const runtime = createScriptedRuntime();
    const jobs = server(101, new Set([101]), runtime);
    const job = jobs.start(params("ended just before the crash"));
    await jobs.done(job.id);
    await jobs.close();
    const compact = path.join(directory, `${job.id}.json`);
    const stored = JSON.parse(await readFile(compact, "utf8"));
    // As if the process died after writing the terminal record but before compacting.
    const head = {
      version: 2,
      owner: 101,
      header: { ...stored.snapshot, task_type: stored.snapshot.params.task_type },
    };
    const logText = [head, ...stored.records].map((line) => JSON.stringify(line)).join("\n") + "\n";
    await rm(compact);
    await writeFile(path.join(directory, `${job.id}.jsonl`), logText);
    const restored = server(202, new Set([202]));
    await restored.restore();
    expect(restored.get(job.id)?.status).toBe("completed");
    expect(restored.records(job.id)).toEqual(stored.records);
    expect(await readdir(directory)).toEqual([`${job.id}.json`]);

    // A leftover log next to its compact file is deleted; the compact file wins.
    await writeFile(path.join(directory, `${job.id}.jsonl`), logText.split("\n").slice(0, 3).join("\n") + "\n");
    const again = server(303, new Set([303]));
    await again.restore();
    expect(again.records(job.id)).toEqual(stored.records);
    expect(await readdir(directory)).toEqual([`${job.id}.json`]);
    await Promise.all([restored.close(), again.close()]);
  });

  it("with a folder known only later, writes the records appended meanwhile as soon as it is", async () => {
    let reveal: (folder: string) => void = () => undefined;
    const folder = new Promise<string>((resolve) => (reveal = resolve));
    const store = new FileJobStore({ directory: () => folder, owner: 101 });
    const jobs = new ReportJobs({ runtime: createScriptedRuntime({ gated: true }), store });
    const job = jobs.start(params("early"));
    await untilStatus(jobs, job.id, "searching");
    const early = jobs.records(job.id).length;
    reveal(directory);
    await store.fileFor(job.id);
    expect((await readLines(path.join(directory, `${job.id}.jsonl`))).length).toBe(early + 1);
    await jobs.close();
  });
});
