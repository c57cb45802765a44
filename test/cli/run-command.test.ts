import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CreateRuntime } from "../../src/cli/cli-io.js";
import { LlmAuthor } from "../../src/core/llm-author/llm-author.js";
import { runReport } from "../../src/core/pipeline/run-report.js";
import { reportResultSchema } from "../../src/core/result.js";
import type { ReportRuntime } from "../../src/core/runtime.js";
import { FakeModel, FakeSearch } from "../fakes/in-process.js";
import { createResearchResponder, type ResearchResponderOptions } from "../fakes/research-responder.js";
import { createTestCli } from "../helpers/cli-context.js";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-run-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A ReportRuntime over the real pipeline with in-process fake model and search. */
function fakeRuntime(options: { responder?: ResearchResponderOptions; latencyMs?: number; failWith?: number } = {}) {
  const responder = createResearchResponder(options.responder);
  const model = new FakeModel(
    options.failWith ? () => ({ status: options.failWith, content: "Incorrect API key provided" }) : responder,
    { latencyMs: options.latencyMs },
  );
  const search = new FakeSearch("tavily");
  /** Every pipeline run started, to wait until it has wound down (settled). */
  const runs: Promise<unknown>[] = [];
  const runtime: ReportRuntime = {
    runReport: (params, run) => {
      const report = runReport({
        params,
        author: new LlmAuthor(model),
        searchProviders: [search],
        fetcher: null,
        ...run,
      });
      runs.push(report);
      return report;
    },
    search: async () => ({ results: [], providers: ["tavily"], warnings: [] }),
    describe: () => ({ engine: "llm", modelProvider: "custom", modelName: "fake-model", searchProviders: ["tavily"] }),
  };
  const createRuntime: CreateRuntime = () => runtime;
  const settled = () => Promise.allSettled(runs);
  return { model, search, createRuntime, settled };
}

function cli(options: { createRuntime?: CreateRuntime; tty?: boolean } = {}) {
  return createTestCli({ env: { REPORT_MCP_HOME: path.join(dir, "home") }, cwd: dir, ...options });
}

describe("report-mcp run (in process)", () => {
  it("prints only the Markdown report on stdout and one plain line per step on stderr", async () => {
    const { createRuntime } = fakeRuntime({ responder: { sections: 3 } });
    const test = cli({ createRuntime });
    const code = await test.run(["run", "State of solid-state batteries in 2026", "--days", "30"]);
    expect(code).toBe(0);
    const stdout = test.stdout.text();
    expect(stdout.startsWith("# ")).toBe(true);
    expect(stdout).toMatch(/\[\d+\]/);
    expect(stdout).not.toContain("[searching]");
    const stderr = test.stderr.text();
    for (const status of [
      "task_started",
      "analyzing_intent",
      "generating_outline",
      "searching",
      "assessing_quality",
      "generating_sections",
      "generating_summary",
      "task_completed",
    ]) {
      expect(stderr).toContain(`[${status}] `);
    }
    expect(stderr).toMatch(/section 3\/3/);
    expect(stderr).toMatch(/\[done\] Report ready: 3 sections/);
    expect(stderr).not.toContain("\u001b[");
  });

  it("--json prints the structured result, valid against the result schema", async () => {
    const { createRuntime } = fakeRuntime();
    const test = cli({ createRuntime });
    expect(await test.run(["run", "AI agents this week", "--json", "--type", "news_report"])).toBe(0);
    const result = reportResultSchema.parse(JSON.parse(test.stdout.text()));
    expect(result.task).toBe("AI agents this week");
    expect(result.task_type).toBe("news_report");
  });

  it("--out writes HTML (raw HTML escaped), Markdown or JSON by extension and keeps stdout empty", async () => {
    const { createRuntime } = fakeRuntime({
      responder: {
        override: {
          summary: () => ({ content: "Summary with <script>alert(1)</script> and https://example.com/page." }),
        },
      },
    });
    const test = cli({ createRuntime });
    expect(await test.run(["run", "Solid-state batteries", "--out", "out/report.html"])).toBe(0);
    expect(test.stdout.text()).toBe("");
    expect(test.stderr.text()).toContain(`Report written to ${path.join(dir, "out", "report.html")}`);
    const html = await fs.readFile(path.join(dir, "out", "report.html"), "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<title>");
    expect(html).toContain("<style>");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('<a href="https://example.com/page">');

    const again = cli({ createRuntime });
    expect(await again.run(["run", "Solid-state batteries", "--out", "report.json"])).toBe(0);
    reportResultSchema.parse(JSON.parse(await fs.readFile(path.join(dir, "report.json"), "utf8")));
    const markdown = cli({ createRuntime });
    expect(await markdown.run(["run", "Solid-state batteries", "--out", "report.md", "--json"])).toBe(0);
    expect(await fs.readFile(path.join(dir, "report.md"), "utf8")).toMatch(/^# /);
    expect(JSON.parse(markdown.stdout.text()).status).toBe("completed");
  });

  it.each([
    [["run", "x", "--days", "0"], "report-mcp: --days must be at least 1"],
    [["run", "x", "--days", "4000"], "report-mcp: --days must be at most 3650"],
    [["run", "x", "--days", "1.5"], "report-mcp: --days must be a whole number"],
    [["run", "x", "--days", "soon"], 'report-mcp: --days must be a number (got "soon")'],
    [["run", "x", "--quality-threshold", "11"], "report-mcp: --quality-threshold must be between 0 and 10"],
    [["run", "x", "--max-iterations", "0"], "report-mcp: --max-iterations must be between 1 and 10"],
    [
      ["run", "x", "--type", "poem"],
      "report-mcp: --type must be one of news_report, research_report, industry_analysis, auto",
    ],
    [["run", "x", "--out", "report.pdf"], 'report-mcp: --out must end in .md, .html or .json (got "report.pdf")'],
    [["run", "x", "--timeout", "-3"], 'report-mcp: --timeout must be a number of seconds, 0 for no limit (got "-3")'],
    [
      ["run", "x", "--provider", "gemini"],
      "report-mcp: --provider must be one of openai, doubao, deepseek, ollama, custom",
    ],
    [["run", "x", "--provider", "deepseek"], "DEEPSEEK_API_KEY"],
    [["run", "x", "--frobnicate"], "report-mcp: unknown option '--frobnicate'"],
    [["run"], "report-mcp: missing required argument 'task'"],
  ])("exits 2 with one line for %j", async (argv, expected) => {
    const { createRuntime, model } = fakeRuntime();
    const test = cli({ createRuntime });
    expect(await test.run(argv)).toBe(2);
    const stderr = test.stderr.text();
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain(expected);
    expect(test.stdout.text()).toBe("");
    expect(model.calls).toHaveLength(0);
  });

  it("a failed run exits 1 with the error type and message", async () => {
    const { createRuntime } = fakeRuntime({ failWith: 401 });
    const test = cli({ createRuntime });
    expect(await test.run(["run", "AI agents"])).toBe(1);
    expect(test.stderr.text()).toMatch(/^report-mcp: error \[model_call_failed\] .+$/m);
    expect(test.stdout.text()).toBe("");
  });

  it("Ctrl-C cancels the run: exit 130, 'cancelled', no model call after the signal", async () => {
    const { createRuntime, model, settled } = fakeRuntime({ latencyMs: 150 });
    const test = cli({ createRuntime });
    const running = test.run(["run", "AI agents"]);
    await model.received(2);
    test.interrupt();
    const callsAtSignal = model.calls.length;
    expect(await running).toBe(130);
    expect(test.stderr.text()).toMatch(/^cancelled$/m);
    expect(test.stdout.text()).toBe("");
    // Once the pipeline itself has wound down, no call was made after the signal.
    await settled();
    expect(model.calls.length).toBe(callsAtSignal);
  });

  it("a second Ctrl-C quits at once", async () => {
    const { createRuntime, model } = fakeRuntime({ latencyMs: 150 });
    const test = cli({ createRuntime });
    const running = test.run(["run", "AI agents"]);
    await model.received(1);
    test.interrupt();
    expect(test.exitedNow).toBeNull();
    test.interrupt();
    expect(test.exitedNow).toBe(130);
    expect(await running).toBe(130);
  });

  it("without a terminal, --no-auto-confirm proceeds with a warning", async () => {
    const { createRuntime } = fakeRuntime();
    const test = cli({ createRuntime });
    expect(await test.run(["run", "AI agents", "--no-auto-confirm"])).toBe(0);
    expect(test.stderr.text()).toMatch(/^\[warning\] .*confirmation was skipped/m);
  });

  it("on a terminal, shows a spinner with section i/n and token totals, and the report on stdout", async () => {
    const { createRuntime } = fakeRuntime({ responder: { sections: 2 } });
    const test = cli({ createRuntime, tty: true });
    expect(await test.run(["run", "AI agents"])).toBe(0);
    const stderr = test.stderr.text();
    expect(stderr).toMatch(/tokens [\d,]+ in \/ [\d,]+ out/);
    expect(stderr).toContain("Report ready: 2 sections");
    expect(stderr).not.toContain("[searching]");
    expect(test.stdout.text()).toMatch(/^# /);
  });

  it("shows section i/n on the spinner while sections are written (Chinese step messages carry no counter)", async () => {
    const { createRuntime } = fakeRuntime({ responder: { sections: 2 } });
    const test = cli({ createRuntime, tty: true });
    expect(await test.run(["run", "生成AI Agent领域最近一周的行业重大事件报告"])).toBe(0);
    const stderr = test.stderr.text();
    expect(stderr).toMatch(/section 1\/2/);
    expect(stderr).toMatch(/section 2\/2/);
    expect(test.stdout.text()).toMatch(/^# /);
  });
});

describe("--no-auto-confirm on a terminal", () => {
  it("edits the outline through the dialogue: the report has the edited sections", async () => {
    const { createRuntime } = fakeRuntime({ responder: { sections: 3 } });
    const test = cli({ createRuntime, tty: true });
    const running = test.run(["run", "AI agents", "--no-auto-confirm", "--json"]);
    await test.stderr.until("Approve this outline?");
    const shown = test.stderr.text();
    expect(shown).toMatch(/Proposed outline: .+\n {2}1\. .+/);
    test.stdin.write("e\n");
    await test.stderr.until("edit> ");
    test.stdin.write("remove 1\n");
    test.stdin.write("add Regulation and policy\n");
    test.stdin.write("move 3 1\n");
    test.stdin.write("done\n");
    expect(await running).toBe(0);
    const result = JSON.parse(test.stdout.text()) as { sections: Array<{ name: string }> };
    expect(result.sections).toHaveLength(3);
    expect(result.sections[0]?.name).toBe("Regulation and policy");
  });

  it("rejecting the outline ends the run: exit 1, cancelled, 'rejected'", async () => {
    const { createRuntime, model } = fakeRuntime({ responder: { sections: 3 } });
    const test = cli({ createRuntime, tty: true });
    const running = test.run(["run", "AI agents", "--no-auto-confirm"]);
    await test.stderr.until("Approve this outline?");
    const callsBefore = model.calls.length;
    test.stdin.write("r\n");
    await test.stderr.until("Why?");
    test.stdin.write("too broad\n");
    expect(await running).toBe(1);
    expect(test.stderr.text()).toMatch(/report-mcp: error \[cancelled\] .*rejected.*too broad/);
    expect(model.calls.length).toBe(callsBefore);
    expect(test.stdout.text()).toBe("");
  });
});

describe("Ctrl-C at the outline prompt", () => {
  it("cancels the run with exit 130 and no further model call", async () => {
    const { createRuntime, model } = fakeRuntime({ responder: { sections: 2 } });
    const test = cli({ createRuntime, tty: true });
    const running = test.run(["run", "AI agents", "--no-auto-confirm"]);
    await test.stderr.until("Approve this outline?");
    const callsBefore = model.calls.length;
    test.stdin.write("\u0003");
    expect(await running).toBe(130);
    expect(test.stderr.text()).toMatch(/cancelled\n$/);
    expect(model.calls.length).toBe(callsBefore);
  });
});
