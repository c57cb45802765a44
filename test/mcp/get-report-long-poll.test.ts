/**
 * get_report's long-poll: the progress its heartbeats report, and an answer when the report
 * ends even if after_seq is past the report's last seq.
 */
import type { ProgressNotification } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { reportStatusSchema } from "../../src/mcp/job-view.js";
import { callTool } from "./mcp-harness.js";
import { useWorldHosts } from "./test-runtime.js";

const TASK = { task: "State of solid-state batteries in 2026", max_iterations: 1 };

// Model calls take 250 ms: a run lasts a few seconds, with silences between steps.
const { host } = useWorldHosts({ sections: 3, latencyMs: 250 });

describe("get_report", () => {
  it("reports the report's own progress and step in heartbeats, not 0 % 'starting'", async () => {
    const harness = await host({ heartbeatMs: 40 });
    const started = await callTool(harness.client, "start_report", TASK);
    const { report_id } = started.structuredContent as { report_id: string };
    await harness.until(() => (harness.jobs.get(report_id)?.progress ?? 0) >= 15);
    const before = harness.jobs.get(report_id);
    const progress: ProgressNotification["params"][] = [];
    await callTool(
      harness.client,
      "get_report",
      { report_id, wait_seconds: 0.2 },
      { onprogress: (update) => progress.push(update as ProgressNotification["params"]) },
    );
    expect(progress.length).toBeGreaterThan(0);
    for (const update of progress) expect(update.progress).toBeGreaterThanOrEqual(before?.progress ?? 15);
    expect(progress.map((update) => update.message)).not.toContain("still working: starting");
  });

  it("answers when the report ends even if after_seq is past its last seq", async () => {
    const harness = await host();
    const started = await callTool(harness.client, "start_report", TASK);
    const { report_id } = started.structuredContent as { report_id: string };
    // Waiting out wait_seconds (50 s) would outlast the request's and the test's 30 s limit.
    const answer = await callTool(
      harness.client,
      "get_report",
      { report_id, after_seq: 10_000, wait_seconds: 50 },
      { timeout: 30_000 },
    );
    const status = reportStatusSchema.parse(answer.structuredContent);
    expect(status.status).toBe("completed");
  }, 30_000);
});
