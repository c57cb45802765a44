import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reportResultSchema } from "../../src/core/result.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { ensureBuilt, REPO_ROOT } from "../helpers/build.js";
import { cleanEnv, runBinary, startBinary } from "../helpers/run-binary.js";

let dir: string;
let world: ResearchWorld | null = null;

beforeAll(async () => {
  await ensureBuilt();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-run-bin-"));
}, 120_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await world?.close();
  world = null;
});

function envFor(current: ResearchWorld): NodeJS.ProcessEnv {
  return cleanEnv({ HOME: dir, REPORT_MCP_HOME: path.join(dir, "home"), ...current.env() });
}

describe("report-mcp run (built binary, loopback fakes)", () => {
  it("writes only the report to stdout and plain progress lines to stderr", async () => {
    world = await startResearchWorld({ sections: 3 });
    const result = await runBinary(["run", "State of solid-state batteries in 2026", "--days", "30"], {
      env: envFor(world),
      cwd: dir,
    });
    expect(result.stderr).not.toContain("sk-test-fake-key");
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith("# ")).toBe(true);
    expect(result.stdout).toMatch(/\[\d+\]/);
    expect(result.stdout).not.toMatch(/^\[(searching|task_started|done)\]/m);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^\[task_started\] /);
    for (const status of [
      "analyzing_intent",
      "generating_outline",
      "searching",
      "assessing_quality",
      "generating_sections",
      "generating_summary",
      "assembling_report",
      "task_completed",
    ]) {
      expect(lines.some((line) => line.startsWith(`[${status}] `))).toBe(true);
    }
    expect(lines.at(-1)).toMatch(
      /^\[done\] Report ready: 3 sections · \d+ sources · quality [\d.]+\/10 · [\d,]+ tokens in \/ [\d,]+ out/,
    );
    expect(result.stderr).not.toContain("\u001b[");
    expect(world.openai.calls.length).toBeGreaterThanOrEqual(6);
  });

  it("--json prints a structured result valid against the schema; --out x.html writes a standalone page", async () => {
    world = await startResearchWorld({ sections: 2 });
    const json = await runBinary(["run", "AI agents this week", "--json"], { env: envFor(world), cwd: dir });
    expect(json.code).toBe(0);
    const result = reportResultSchema.parse(JSON.parse(json.stdout));
    expect(result.metadata.engine).toBe("llm");
    expect(result.metadata.usage.calls).toBe(world.openai.calls.length);

    const html = await runBinary(["run", "AI agents this week", "--out", "reports/agents.html"], {
      env: envFor(world),
      cwd: dir,
    });
    expect(html.code).toBe(0);
    expect(html.stdout).toBe("");
    const page = await fs.readFile(path.join(dir, "reports", "agents.html"), "utf8");
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toContain("<h1>");
    expect(page).not.toMatch(/<script|<link|src="http/);
  });

  it("a model that rejects the key fails the run: exit 1 with [model_call_failed], key never shown", async () => {
    world = await startResearchWorld();
    world.openai.setResponder(() => ({ status: 401, content: "Incorrect API key provided" }));
    const result = await runBinary(["run", "AI agents"], { env: envFor(world), cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^report-mcp: error \[model_call_failed\] .*OPENAI_API_KEY/m);
    expect(result.stderr).not.toContain("sk-test-fake-key");
  });

  it("--timeout bounds the whole run: exit 1 with a message saying what to change", async () => {
    // The model never answers within the test's own timeout: only --timeout can end the run.
    world = await startResearchWorld({ latencyMs: 3_600_000 });
    const result = await runBinary(["run", "AI agents", "--timeout", "1"], { env: envFor(world), cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^report-mcp: error \[\w+\] .*time limit of 1 s.*--timeout/m);
    expect(result.stdout).toBe("");
  });

  it("SIGINT mid-run exits 130 with 'cancelled' and makes no model request after the signal", async () => {
    world = await startResearchWorld({ latencyMs: 400 });
    const current = world;
    const running = startBinary(["run", "AI agents"], { env: envFor(current), cwd: dir });
    await current.openai.received(1);
    running.child.kill("SIGINT");
    const callsAtSignal = current.openai.calls.length;
    const result = await running.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/^cancelled$/m);
    expect(result.stdout).toBe("");
    // The process has exited; once its connections are closed, every request it sent is recorded.
    await current.openai.idle();
    expect(current.openai.calls.length).toBe(callsAtSignal);
  });
});

describe("report-mcp run offline (built binary, no keys)", () => {
  it("writes an extractive report from the sample corpus", async () => {
    const env = cleanEnv({ HOME: dir, REPORT_MCP_HOME: path.join(dir, "offline-home") });
    const result = await runBinary(
      ["run", "AI agents this week", "--corpus", path.join(REPO_ROOT, "examples", "corpus"), "--json"],
      { env, cwd: dir },
    );
    expect(result.code).toBe(0);
    const report = reportResultSchema.parse(JSON.parse(result.stdout));
    expect(report.metadata.engine).toBe("extractive");
    expect(report.sources.length).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/\[done\] Report ready: .* · extractive engine/);
  });

  it("with no search source fails fast: exit 1 [no_search_source] saying how to fix it", async () => {
    const env = cleanEnv({ HOME: dir, REPORT_MCP_HOME: path.join(dir, "empty-home") });
    const result = await runBinary(["run", "AI agents this week"], { env, cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^report-mcp: error \[no_search_source\] .*--corpus/m);
  });
});
