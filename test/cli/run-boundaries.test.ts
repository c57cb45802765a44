/** Bad input at the CLI's boundaries: each ends with one clear line and the right exit code, and no report is lost. */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CreateRuntime } from "../../src/cli/cli-io.js";
import { LlmAuthor } from "../../src/core/llm-author/llm-author.js";
import { runReport } from "../../src/core/pipeline/run-report.js";
import type { ReportRuntime } from "../../src/core/runtime.js";
import { FakeModel, FakeSearch } from "../fakes/in-process.js";
import { createResearchResponder } from "../fakes/research-responder.js";
import { createTestCli } from "../helpers/cli-context.js";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-bounds-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The real pipeline over in-process fakes; `beforeRun` runs as the report starts; `runs` counts reports. */
function fakeRuntime(beforeRun?: () => Promise<void>) {
  const counter = { runs: 0 };
  const runtime: ReportRuntime = {
    async runReport(params, run) {
      counter.runs += 1;
      await beforeRun?.();
      const model = new FakeModel(createResearchResponder({ sections: 2 }));
      return runReport({
        params,
        author: new LlmAuthor(model),
        searchProviders: [new FakeSearch("tavily")],
        fetcher: null,
        ...run,
      });
    },
    search: async () => ({ results: [], providers: ["tavily"], warnings: [] }),
    describe: () => ({ engine: "llm", modelProvider: "custom", modelName: "fake-model", searchProviders: ["tavily"] }),
  };
  const createRuntime: CreateRuntime = () => runtime;
  return { counter, createRuntime };
}

function cli(createRuntime?: CreateRuntime) {
  return createTestCli({ env: { REPORT_MCP_HOME: path.join(dir, "home") }, cwd: dir, createRuntime });
}

describe("report-mcp run: bad input at the boundaries", () => {
  it("takes decimal numbers only (no hex or binary literals)", async () => {
    for (const value of ["0x10", "0b11", "0o7"]) {
      const test = cli(fakeRuntime().createRuntime);
      expect(await test.run(["run", "AI agents", "--days", value])).toBe(2);
      expect(test.stderr.text()).toBe(`report-mcp: --days must be a number (got "${value}")\n`);
    }
  });

  it("refuses an empty or missing --corpus folder before the run, instead of researching the working directory", async () => {
    const empty = cli(fakeRuntime().createRuntime);
    expect(await empty.run(["run", "AI agents", "--corpus", ""])).toBe(2);
    expect(empty.stderr.text()).toBe("report-mcp: --corpus needs a folder (got an empty value).\n");

    const { counter, createRuntime } = fakeRuntime();
    const missing = cli(createRuntime);
    expect(await missing.run(["run", "AI agents", "--corpus", "no-such-folder"])).toBe(2);
    expect(missing.stderr.text()).toBe(
      `report-mcp: --corpus no-such-folder: ${path.join(dir, "no-such-folder")} does not exist or is not a folder.\n`,
    );
    expect(counter.runs).toBe(0);
  });

  it("checks --out before the run: a folder, or a path under a file, is bad usage (exit 2) and nothing runs", async () => {
    await fs.mkdir(path.join(dir, "report.md"));
    await fs.writeFile(path.join(dir, "plain-file"), "x");
    const { counter, createRuntime } = fakeRuntime();
    const folder = cli(createRuntime);
    expect(await folder.run(["run", "AI agents", "--out", "report.md"])).toBe(2);
    expect(folder.stderr.text()).toBe(
      "report-mcp: --out report.md is a folder; give a file name ending in .md, .html or .json\n",
    );
    const underFile = cli(createRuntime);
    expect(await underFile.run(["run", "AI agents", "--out", "plain-file/report.md"])).toBe(2);
    expect(underFile.stderr.text()).toBe(
      `report-mcp: --out plain-file/report.md: ${path.join(dir, "plain-file")} is not a folder\n`,
    );
    expect(counter.runs).toBe(0);
  });

  it("when --out cannot be written after the run, prints the report on stdout and exits 1 saying so", async () => {
    const target = path.join(dir, "out", "report.md");
    // The target turns into a folder while the report runs, so the final write fails.
    const { createRuntime } = fakeRuntime(() => fs.mkdir(target, { recursive: true }).then(() => undefined));
    const test = cli(createRuntime);
    expect(await test.run(["run", "State of solid-state batteries", "--out", "out/report.md"])).toBe(1);
    expect(test.stdout.text().startsWith("# ")).toBe(true);
    expect(test.stderr.text()).toContain(
      `report-mcp: error [report_generation_failed] Could not write ${target} (EISDIR); the report was printed on stdout instead.\n`,
    );
  });

  it("with --json and an unwritable --out, the structured result still reaches stdout", async () => {
    const target = path.join(dir, "r.json");
    const { createRuntime } = fakeRuntime(() => fs.mkdir(target).then(() => undefined));
    const test = cli(createRuntime);
    expect(await test.run(["run", "State of solid-state batteries", "--json", "--out", "r.json"])).toBe(1);
    expect(JSON.parse(test.stdout.text()).status).toBe("completed");
  });

  it("an unreadable .env is a one-line usage error naming the file", async () => {
    await fs.mkdir(path.join(dir, ".env"));
    const test = cli(fakeRuntime().createRuntime);
    expect(await test.run(["run", "AI agents"])).toBe(2);
    expect(test.stderr.text()).toBe(
      `report-mcp: The .env file ${path.join(dir, ".env")} could not be read (EISDIR). Fix it or remove it.\n`,
    );
    const config = cli();
    expect(await config.run(["config", "list"])).toBe(2);
    expect(config.stderr.text()).toContain("The .env file");
  });

  it("config set corpus with no folder in the list is refused", async () => {
    const test = cli();
    expect(await test.run(["config", "set", "corpus", ", ,"])).toBe(2);
    expect(test.stderr.text()).toBe(
      "report-mcp: invalid value for corpus: expected folders, separated by commas or the path delimiter\n",
    );
    const list = cli();
    expect(await list.run(["config", "list"])).toBe(0);
    expect(list.stdout.text()).toBe("");
  });

  it("index with an empty folder argument is bad usage, not an index of the working directory", async () => {
    const test = cli();
    expect(await test.run(["index", ""])).toBe(2);
    expect(test.stderr.text()).toBe("report-mcp: index needs a folder (got an empty value)\n");
    expect(test.stdout.text()).toBe("");
  });
});
