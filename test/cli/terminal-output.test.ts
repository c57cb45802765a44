/**
 * What a person sees in a real terminal (a pseudo-terminal from `script`): the spinner honours
 * NO_COLOR, a Chinese run ends with a Chinese line, counts are singular where they should be,
 * and `report-mcp help run` prints the run command's help.
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportResultSchema, type ReportResult } from "../../src/core/result.js";
import { reportWrittenLine, summarizeRun } from "../../src/cli/run-summary.js";
import { BIN, ensureBuilt, REPO_ROOT } from "../helpers/build.js";
import { createTestCli } from "../helpers/cli-context.js";
import { cleanEnv, runBinary } from "../helpers/run-binary.js";

const run = promisify(execFile);
const CORPUS = path.join(REPO_ROOT, "examples", "corpus");
/** SGR sequences (colours, bold…), not the cursor moves a spinner also draws. */
// eslint-disable-next-line no-control-regex -- an SGR sequence starts with ESC, the character under test
const SGR = /\u001b\[[\d;]*m/;

let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-terminal-"));
}, 120_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Runs the binary on a pseudo-terminal (stderr is a TTY, so the spinner draws); stdout goes to a file. */
async function inTerminal(args: string[], extraEnv: Record<string, string>): Promise<string> {
  const quoted = [process.execPath, BIN, ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(" ");
  const env = cleanEnv({ HOME: dir, REPORT_MCP_HOME: path.join(dir, "home"), TERM: "xterm-256color", ...extraEnv });
  // A fresh pty has no size; the spinner draws only on a terminal with columns.
  const command = `stty cols 120 rows 40; ${quoted} > '${path.join(dir, "report.md")}'`;
  const { stdout } = await run("script", ["-qec", command, "/dev/null"], { env, cwd: dir });
  return stdout;
}

describe("the spinner in a terminal", () => {
  it("draws without colour codes under NO_COLOR, and with them otherwise", async () => {
    const args = ["run", "AI agents this week", "--corpus", CORPUS];
    const plain = await inTerminal(args, { NO_COLOR: "1" });
    expect(plain).toMatch(/✔ Report ready: .* · extractive engine/);
    expect(plain).not.toMatch(SGR);
    const coloured = await inTerminal(args, {});
    expect(coloured).toMatch(/Report ready: /);
    expect(coloured).toMatch(SGR);
  }, 60_000);

  it("ends a Chinese run with a Chinese line", async () => {
    const output = await inTerminal(["run", "生成AI Agent领域最近一周的行业重大事件报告", "--corpus", CORPUS], {
      NO_COLOR: "1",
    });
    expect(output).toMatch(/✔ 报告已完成：\d+ 个章节 · \d+ 个来源 · 质量 [\d.]+\/10 · 抽取式引擎 · [\d.]+ 秒/);
    expect(output).not.toMatch(/Report ready|sources/);
  }, 60_000);
});

describe("the last line of a run", () => {
  it("says 1 source and 1 section, in the report's language, and so does the written-to line", async () => {
    const env = cleanEnv({ HOME: dir, REPORT_MCP_HOME: path.join(dir, "home") });
    const json = await runBinary(["run", "AI agents this week", "--corpus", CORPUS, "--json"], { env, cwd: dir });
    expect(json.code).toBe(0);
    const result = reportResultSchema.parse(JSON.parse(json.stdout));
    const single: ReportResult = {
      ...result,
      sources: result.sources.slice(0, 1),
      metadata: { ...result.metadata, sections_count: 1, language: "en" },
    };
    expect(summarizeRun(single, { input: 0, output: 0 })).toMatch(/^Report ready: 1 section · 1 source · quality/);
    const chinese: ReportResult = { ...single, metadata: { ...single.metadata, language: "zh-CN" } };
    expect(summarizeRun(chinese, { input: 0, output: 0 })).toMatch(/^报告已完成：1 个章节 · 1 个来源/);
    expect(reportWrittenLine(chinese, "out.md")).toBe("报告已写入 out.md");
    expect(reportWrittenLine(single, "out.md")).toBe("Report written to out.md");
  }, 60_000);
});

describe("report-mcp help", () => {
  it("prints a command's help with `help <command>`", async () => {
    const cli = createTestCli({ env: {}, cwd: dir });
    expect(await cli.run(["help", "run"])).toBe(0);
    expect(cli.stdout.text()).toMatch(/^Usage: report-mcp run \[options\] <task\.\.\.>/);
    expect(cli.stdout.text()).toContain("--no-auto-confirm");
    const root = createTestCli({ env: {}, cwd: dir });
    expect(await root.run(["help"])).toBe(0);
    expect(root.stdout.text()).toMatch(/help \[command\]/);
  });
});
