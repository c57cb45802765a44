/**
 * The same failure, seen from each face: the core error carries a hint, and the terminal names
 * flags, an MCP host names tool arguments (and its server entry's env), an HTTP client names body
 * fields — each its own knobs and no other face's.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/app/settings.js";
import { cancelledError } from "../../src/core/errors.js";
import { LlmAuthor } from "../../src/core/llm-author/llm-author.js";
import { runReport } from "../../src/core/pipeline/run-report.js";
import type { ReportRuntime } from "../../src/core/runtime.js";
import type { GenerateTextRequest, LanguageModel, SearchProvider } from "../../src/core/types.js";
import { serveHttp } from "../../src/http/serve.js";
import { FakeModel, FakeSearch } from "../fakes/in-process.js";
import { createResearchResponder } from "../fakes/research-responder.js";
import { createTestCli } from "../helpers/cli-context.js";
import { postJson, readSse } from "../http/sse-client.js";
import { callTool, connect } from "./mcp-harness.js";

/** A model that never answers until the run is aborted: only the whole-run limit ends the run. */
class HangingModel implements LanguageModel {
  readonly provider = "custom";
  readonly model = "hanging-model";
  generateText(request: GenerateTextRequest): Promise<string> {
    return new Promise((_resolve, reject) => {
      request.signal.addEventListener("abort", () => reject(cancelledError(request.signal.reason)), { once: true });
    });
  }
  generateObject<T>(request: GenerateTextRequest): Promise<T> {
    return this.generateText(request) as Promise<T>;
  }
}

type Failure = {
  name: string;
  runtime: () => ReportRuntime;
  /** Task arguments beyond the task (CLI flags are derived from them: `max_tokens` → `--max-tokens`). */
  args?: Record<string, number>;
  type: string;
  cli: RegExp[];
  mcp: RegExp[];
  http: RegExp[];
};

function pipelineRuntime(options: {
  model: LanguageModel;
  search: SearchProvider[];
  timeoutMs?: number;
}): ReportRuntime {
  return {
    runReport: (params, run) =>
      runReport({
        params,
        author: new LlmAuthor(options.model),
        searchProviders: options.search,
        fetcher: null,
        timeoutMs: options.timeoutMs,
        ...run,
      }),
    search: async () => ({ results: [], providers: options.search.map((provider) => provider.name), warnings: [] }),
    describe: () => ({
      engine: "llm",
      modelProvider: "custom",
      modelName: options.model.model,
      searchProviders: options.search.map((provider) => provider.name),
    }),
  };
}

const FAILURES: Failure[] = [
  {
    name: "no search source configured",
    runtime: () => pipelineRuntime({ model: new FakeModel(createResearchResponder()), search: [] }),
    type: "no_search_source",
    cli: [/--corpus <folder>/, /TAVILY_API_KEY/, /report-mcp config set/],
    mcp: [/env of this server's entry in your MCP client configuration/, /TAVILY_API_KEY/, /not tool arguments/],
    http: [/No request body field can supply one/, /whoever runs this server/, /TAVILY_API_KEY/],
  },
  {
    name: "the whole-run time limit",
    runtime: () => pipelineRuntime({ model: new HangingModel(), search: [new FakeSearch("tavily")], timeoutMs: 1 }),
    type: "report_generation_failed",
    cli: [/--timeout <seconds>/, /--max-iterations/],
    mcp: [/Pass a lower max_iterations/, /REPORT_MCP_TIMEOUT, in seconds, in the env of this server's entry/],
    http: [/max_iterations in the request body/, /whoever runs this server \(REPORT_MCP_TIMEOUT/],
  },
  {
    name: "insufficient evidence in a short window",
    runtime: () =>
      pipelineRuntime({
        model: new FakeModel(createResearchResponder()),
        search: [new FakeSearch("tavily", { empty: () => true })],
      }),
    args: { days: 1 },
    type: "insufficient_evidence",
    cli: [/a wider time window \(--days/, /another corpus folder \(--corpus\)/],
    mcp: [/pass a larger days argument/],
    http: [/send a larger days field in the request body \(top level or under kwargs\)/],
  },
  {
    name: "a token budget too small for the first model call",
    runtime: () =>
      pipelineRuntime({ model: new FakeModel(createResearchResponder()), search: [new FakeSearch("tavily")] }),
    args: { max_tokens: 1000 },
    type: "budget_exceeded",
    cli: [/--max-tokens, --max-cost/, /REPORT_MCP_MAX_TOKENS/],
    mcp: [/Pass a larger max_tokens or max_cost argument/],
    http: [/Send a larger max_tokens or max_cost in the request body/],
  },
  {
    name: "a money budget for a model without a known price",
    runtime: () =>
      pipelineRuntime({ model: new FakeModel(createResearchResponder()), search: [new FakeSearch("tavily")] }),
    args: { max_cost: 0.5 },
    type: "invalid_params",
    cli: [/REPORT_MCP_PRICES/, /report-mcp config set prices '\{"/, /--max-tokens instead/],
    mcp: [/REPORT_MCP_PRICES/, /env of this server's entry/, /pass max_tokens instead of max_cost/],
    http: [/whoever runs this server \(REPORT_MCP_PRICES/, /send max_tokens instead of max_cost/],
  },
];

/** Knobs of every face: a message must show its own face's and none of the others'. */
const FOREIGN = {
  cli: [/\bbody\b/, /tool argument/, /\bargument\b/, /max_iterations/, /MCP client/],
  mcp: [/--[a-z]/, /request body/, /kwargs/, /config set/],
  http: [/--[a-z]/, /\bargument\b/, /MCP client/, /config set/],
};

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-advice-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe.each(FAILURES)("$name", (failure) => {
  const args = { task: "State of solid-state batteries", ...failure.args };

  it("the terminal names flags and environment variables", async () => {
    const runtime = failure.runtime();
    const cli = createTestCli({
      env: { REPORT_MCP_HOME: path.join(dir, "cli-home") },
      cwd: dir,
      createRuntime: () => runtime,
    });
    const flags = Object.entries(failure.args ?? {}).flatMap(([name, value]) => [
      `--${name.replaceAll("_", "-")}`,
      String(value),
    ]);
    const code = await cli.run(["run", args.task, ...flags]);
    expect(code).not.toBe(0);
    const line =
      cli.stderr
        .text()
        .split("\n")
        .find((entry) => entry.startsWith("report-mcp: ")) ?? "";
    // Refused parameters are usage errors in the terminal (exit 2, no type tag); the rest name their type.
    if (failure.type === "invalid_params") expect(code).toBe(2);
    else expect(line).toContain(`[${failure.type}]`);
    for (const pattern of failure.cli) expect(line).toMatch(pattern);
    for (const pattern of FOREIGN.cli) expect(line).not.toMatch(pattern);
  });

  it("an MCP host (real SDK client) is told about tool arguments, in the result and in get_report", async () => {
    const harness = await connect({ runtime: failure.runtime() });
    try {
      const result = await callTool(harness.client, "generate_report", args);
      expect(result.isError).toBe(true);
      const payload = result.structuredContent as { type: string; message: string };
      expect(payload.type).toBe(failure.type);
      for (const pattern of failure.mcp) expect(payload.message).toMatch(pattern);
      for (const pattern of FOREIGN.mcp) expect(payload.message).not.toMatch(pattern);
      expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(payload);

      const started = await callTool(harness.client, "start_report", args);
      const reportId = (started.structuredContent as { report_id: string }).report_id;
      const polled = await callTool(harness.client, "get_report", { report_id: reportId, wait_seconds: 30 });
      const status = polled.structuredContent as { status: string; error: { type: string; message: string } | null };
      expect(status.error).toEqual(payload);
    } finally {
      await harness.close();
    }
  });

  it("an HTTP client (real socket) is told about body fields, in the stream and the session view", async () => {
    const server = await serveHttp({
      settings: settingsSchema.parse({ home: path.join(dir, "http-home") }),
      port: 0,
      runtime: failure.runtime(),
    });
    try {
      const read = await readSse(await postJson(`${server.url}/mcp/streaming/orchestrator`, args));
      const final = read.events.at(-1)?.message;
      expect(final?.error.data.type).toBe(failure.type);
      const message: string = final?.error.data.message;
      for (const pattern of failure.http) expect(message).toMatch(pattern);
      for (const pattern of FOREIGN.http) expect(message).not.toMatch(pattern);
      // SPEC §6.4 fields only: the hint is rendered into the message, never sent as data.
      expect(Object.keys(final?.error.data)).toEqual(["type", "message"]);

      const sessionId = read.events[0]?.message.params.session_id;
      const session = await (await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}`)).json();
      expect(session.error).toEqual({ type: failure.type, message });
      expect(session.messages.at(-1)).toEqual(final);
    } finally {
      await server.close();
    }
  });
});
