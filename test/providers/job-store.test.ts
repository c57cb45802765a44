import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReportJobs } from "../../src/core/jobs/index.js";
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
function server(pid: number, alive: Set<number>): ReportJobs {
  const store = new FileJobStore({ directory, owner: pid, isAlive: (other) => alive.has(other) });
  return new ReportJobs({ runtime: createScriptedRuntime({ gated: true }), store, saveDebounceMs: 1 });
}

describe("FileJobStore shared by several servers", () => {
  it("records its owner, leaves a live owner's running report alone and interrupts a dead owner's", async () => {
    const alive = new Set([101, 202]);
    const first = server(101, alive);
    const running = first.start(taskParamsSchema.parse({ task: "still running in server 101" }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const [file] = await readdir(directory);
    expect(JSON.parse(await readFile(path.join(directory, file ?? ""), "utf8")).owner).toBe(101);

    const second = server(202, alive);
    await second.restore();
    expect(second.get(running.id)).toBeUndefined();

    alive.delete(101); // server 101 was killed without a chance to record anything
    const third = server(303, alive);
    await third.restore();
    expect(third.get(running.id)?.status).toBe("failed");
    expect(third.get(running.id)?.error?.type).toBe("interrupted");
    await Promise.all([first.close(), second.close(), third.close()]);
  });
});
