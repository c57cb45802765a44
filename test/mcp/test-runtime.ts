/**
 * The real runtime (`createRuntime`: model client, Tavily provider, SSRF-guarded page fetcher,
 * pipeline) bound to the loopback research world through its settings.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRuntime } from "../../src/app/create-runtime.js";
import type { ReportRuntime } from "../../src/core/runtime.js";
import { afterAll, afterEach, beforeAll } from "vitest";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { connect, type Harness } from "./mcp-harness.js";

const homes: string[] = [];

export function worldRuntime(world: ResearchWorld): ReportRuntime {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "report-mcp-test-"));
  homes.push(home);
  return createRuntime(world.settings(home));
}

/** Removes the data directories made by worldRuntime. */
export function removeRuntimeHomes(): void {
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
}

/**
 * One research world for a test file and MCP hosts on it: registers the file's hooks (world up
 * before all, every host's reports cancelled and settled and the host closed after each test, the
 * world and runtime homes removed after all) and returns `host()` to connect one.
 */
export function useWorldHosts(worldOptions: Parameters<typeof startResearchWorld>[0]): {
  host: (options?: Omit<Parameters<typeof connect>[0], "runtime">) => Promise<Harness>;
} {
  let world: ResearchWorld | undefined;
  const open: Harness[] = [];
  beforeAll(async () => {
    world = await startResearchWorld(worldOptions);
  });
  afterEach(async () => {
    for (const harness of open) for (const job of harness.jobs.list()) harness.jobs.cancel(job.id);
    await Promise.all(
      open.splice(0).map(async (harness) => {
        await harness.settled();
        await harness.close();
      }),
    );
  });
  afterAll(async () => {
    await world?.close();
    removeRuntimeHomes();
  });
  return {
    async host(options = {}) {
      if (!world)
        throw new Error("useWorldHosts: host() called before the research world started (call it inside a test)");
      const harness = await connect({ runtime: worldRuntime(world), ...options });
      open.push(harness);
      return harness;
    },
  };
}
