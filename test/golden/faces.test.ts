/**
 * Golden capture of every face's bytes for one recorded run (issue #11): the SSE frames of
 * `POST /mcp/streaming/orchestrator`, the MCP `notifications/message` / `notifications/progress`
 * of `generate_report` and its tool results, and the terminal's plain progress lines and
 * `--json` output. The input is a run recorded once from the real pipeline (fake model and
 * search in process, a fixed clock) in ./offline-run.json, so the goldens change only when a
 * face's output changes. Any diff here changes bytes existing clients read (SPEC §6).
 *
 * `REPORT_MCP_UPDATE_GOLDEN=1` rewrites the goldens (only when the diff is intended);
 * `REPORT_MCP_CAPTURE_RUN=1` re-records the input run.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import type { ServerNotification } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { createProgressReporter } from "../../src/cli/progress-reporter.js";
import { deliverReport } from "../../src/cli/report-output.js";
import { checkPipelineEvent, type PipelineEvent } from "../../src/core/events/index.js";
import type { JobRecord } from "../../src/core/jobs/index.js";
import { LlmAuthor } from "../../src/core/llm-author/llm-author.js";
import { taskParamsSchema } from "../../src/core/params.js";
import { runReport } from "../../src/core/pipeline/run-report.js";
import type { ReportResult } from "../../src/core/result.js";
import { sseFrame } from "../../src/http/wire.js";
import { createRequestNotifier } from "../../src/mcp/request-notifier.js";
import { finalToolResult } from "../../src/mcp/generate-report.js";
import { FakeModel, FakeSearch } from "../fakes/in-process.js";
import { createResearchResponder } from "../fakes/research-responder.js";

const INPUT = new URL("./offline-run.json", import.meta.url);
const GOLDEN = (name: string) => new URL(`./faces/${name}`, import.meta.url);
const NOW = new Date("2026-11-30T08:00:00.000Z");
const ERROR = { type: "cancelled", message: "The run was cancelled." } as const;

type RecordedRun = { events: PipelineEvent[]; result: ReportResult };

/** Records the input run: the real pipeline with in-process fakes, a fixed clock, one failing provider, an approved outline. */
async function captureRun(): Promise<RecordedRun> {
  const events: PipelineEvent[] = [];
  const result = await runReport({
    params: taskParamsSchema.parse({
      task: "State of solid-state batteries in 2026",
      auto_confirm: false,
      max_iterations: 2,
      quality_threshold: 7,
    }),
    author: new LlmAuthor(
      new FakeModel(createResearchResponder({ sections: 2, scores: [5, 8], inventCitation: true })),
    ),
    searchProviders: [new FakeSearch("brave", { fail: true, now: NOW }), new FakeSearch("tavily", { now: NOW })],
    now: () => NOW,
    confirmOutline: async () => ({ action: "approve" }),
    onEvent: (event) => {
      events.push(checkPipelineEvent(event));
    },
  });
  return { events, result: { ...result, metadata: { ...result.metadata, duration_ms: 1234 } } };
}

async function loadRun(): Promise<RecordedRun> {
  if (process.env.REPORT_MCP_CAPTURE_RUN === "1") {
    const run = await captureRun();
    await writeFile(INPUT, `${JSON.stringify(run, null, 2)}\n`);
  }
  const run = JSON.parse(await readFile(INPUT, "utf8")) as RecordedRun;
  for (const event of run.events) checkPipelineEvent(event);
  return run;
}

async function expectGolden(name: string, actual: string): Promise<void> {
  const file = GOLDEN(name);
  if (process.env.REPORT_MCP_UPDATE_GOLDEN === "1") {
    await writeFile(file, actual);
    return;
  }
  if (!existsSync(file))
    throw new Error(
      `No golden ${name}: run with REPORT_MCP_UPDATE_GOLDEN=1 once and commit test/golden/faces/${name}.`,
    );
  expect(actual).toBe(await readFile(file, "utf8"));
}

/** The job log the HTTP face streams: started, every event, then the result or the error. */
function records(run: RecordedRun, end: "result" | "error"): JobRecord[] {
  const time = (seq: number) => new Date(NOW.getTime() + seq * 1000).toISOString();
  const body: JobRecord[] = [{ seq: 1, time: time(1), kind: "started" }];
  for (const event of run.events)
    body.push({ seq: body.length + 1, time: time(body.length + 1), kind: "event", event });
  const seq = body.length + 1;
  body.push(
    end === "result"
      ? { seq, time: time(seq), kind: "result", result: run.result }
      : { seq, time: time(seq), kind: "error", error: ERROR },
  );
  return body;
}

describe("golden bytes of every face for one recorded run", () => {
  it("SSE: the frames of a completed run and of a failed one (request id echoed, else 1)", async () => {
    const run = await loadRun();
    const snapshot = {
      id: "session-golden",
      task: run.result.task,
      request_id: "req-7",
      start_time: NOW.toISOString(),
    };
    await expectGolden(
      "sse-completed.txt",
      records(run, "result")
        .map((record) => sseFrame(record, snapshot))
        .join(""),
    );
    await expectGolden(
      "sse-failed.txt",
      records(run, "error")
        .map((record) => sseFrame(record, { ...snapshot, request_id: null }))
        .join(""),
    );
  });

  it("MCP: notifications of generate_report with a progress token, and its tool results", async () => {
    const run = await loadRun();
    const sent: ServerNotification[] = [];
    const notifier = createRequestNotifier({
      send: async (notification) => {
        sent.push(notification);
      },
      progressToken: "golden-token",
      gate: { allows: () => true },
      sessionId: undefined,
      heartbeatMs: 2 ** 31 - 1,
    });
    for (const event of run.events) notifier.handle(event);
    await notifier.flush();
    notifier.close();
    await expectGolden(
      "mcp-notifications.jsonl",
      sent.map((notification) => `${JSON.stringify(notification)}\n`).join(""),
    );
    const base = { id: "report-golden", task: run.result.task, request_id: null, start_time: NOW.toISOString() };
    const results = [
      finalToolResult({ ...base, status: "completed", result: run.result, error: null } as Parameters<
        typeof finalToolResult
      >[0]),
      finalToolResult({ ...base, status: "cancelled", result: null, error: ERROR } as Parameters<
        typeof finalToolResult
      >[0]),
    ];
    await expectGolden("mcp-tool-results.jsonl", results.map((result) => `${JSON.stringify(result)}\n`).join(""));
  });

  it("terminal: plain progress lines on stderr and the --json result on stdout", async () => {
    const run = await loadRun();
    let stderr = "";
    const reporter = createProgressReporter({
      stream: { write: (chunk: string) => ((stderr += chunk), true) } as unknown as NodeJS.WritableStream,
      interactive: false,
    });
    for (const event of run.events) reporter.onEvent(event);
    reporter.succeed("done");
    await expectGolden("terminal-stderr.txt", stderr);
    let stdout = "";
    const sink = { write: (chunk: string, callback?: () => void) => ((stdout += chunk), callback?.(), true) };
    await deliverReport({ result: run.result, json: true, stdout: sink as unknown as NodeJS.WritableStream, cwd: "/" });
    await expectGolden("terminal-json.txt", stdout);
  });
});
