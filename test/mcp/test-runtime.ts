/**
 * The real runtime (`createRuntime`: model client, Tavily provider, SSRF-guarded page fetcher,
 * pipeline) bound to the loopback research world through its settings.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRuntime } from "../../src/app/create-runtime.js";
import type { ReportRuntime } from "../../src/core/runtime.js";
import type { ResearchWorld } from "../fakes/research-world.js";

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
