/**
 * `--corpus sample`: the fictional sample corpus shipped in the package, from any
 * working folder, from an installed tarball, and through `config set corpus sample`; and the
 * README's first command keeps working after the sample's dates have passed.
 */
import { execFile } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportResultSchema, type ReportResult } from "../../src/core/result.js";
import { ensureBuilt, REPO_ROOT } from "../helpers/build.js";
import { cleanEnv, runBinary } from "../helpers/run-binary.js";

const run = promisify(execFile);
const SEED = "生成AI Agent领域最近一周的行业重大事件报告";
let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-sample-"));
}, 180_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Every cited file exists inside `corpus`, every section cites, and a stale week says it widened. */
function expectSampleReport(report: ReportResult, corpus: string): void {
  expect(report.metadata.engine).toBe("extractive");
  expect(report.sources.length).toBeGreaterThan(2);
  for (const source of report.sources) {
    const file = fileURLToPath(source.url);
    expect(file.startsWith(`${corpus}${path.sep}`), file).toBe(true);
    expect(existsSync(file), file).toBe(true);
  }
  for (const section of report.sections) expect(section.content, section.name).toMatch(/\[\d+\]/);
  // Whether the last 7 days still hold the sample's news depends on today's date; the window that
  // follows the evidence is checked on a fixed clock in test/core/extractive-report-quality.test.ts.
}

describe("--corpus sample", () => {
  it("is the shipped corpus from an unrelated folder, and the README's seed task still yields a cited report", async () => {
    const unrelated = path.join(dir, "somewhere", "else");
    await fs.mkdir(unrelated, { recursive: true });
    const env = cleanEnv({ HOME: dir, REPORT_MCP_HOME: path.join(dir, "home-1") });
    const result = await runBinary(["run", SEED, "--corpus", "sample", "--json"], { env, cwd: unrelated });
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expectSampleReport(reportResultSchema.parse(JSON.parse(result.stdout)), path.join(REPO_ROOT, "examples", "corpus"));
  }, 60_000);

  it("is stored by name with `config set corpus sample` and resolved on every run", async () => {
    const env = cleanEnv({ HOME: dir, REPORT_MCP_HOME: path.join(dir, "home-2") });
    const set = await runBinary(["config", "set", "corpus", "sample"], { env, cwd: dir });
    expect(set.code).toBe(0);
    const result = await runBinary(["run", SEED, "--json"], { env, cwd: os.tmpdir() });
    expect(result.code).toBe(0);
    expectSampleReport(reportResultSchema.parse(JSON.parse(result.stdout)), path.join(REPO_ROOT, "examples", "corpus"));
  }, 60_000);

  it("is named by the no-source hint, and ./sample is a folder of that name (bad usage when missing)", async () => {
    const env = cleanEnv({ HOME: dir, REPORT_MCP_HOME: path.join(dir, "home-3") });
    const none = await runBinary(["run", "AI agents this week"], { env, cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/\[no_search_source\].*--corpus sample/);
    const missing = await runBinary(["run", "AI agents this week", "--corpus", "./sample"], { env, cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--corpus \.\/sample: .*\/sample does not exist/);
  }, 60_000);

  it("works from an installed tarball (npm pack, then npm ci offline from the local npm cache)", async () => {
    const packs = path.join(dir, "packs");
    const project = path.join(dir, "project");
    await fs.mkdir(packs, { recursive: true });
    await fs.mkdir(project, { recursive: true });
    // dist/ is fresh (ensureBuilt); --ignore-scripts skips the prepack build (type declarations are not needed to run).
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", packs], {
      cwd: REPO_ROOT,
      maxBuffer: 8 * 1024 * 1024,
    });
    const tarball = path.join(packs, stdout.trim().split("\n").at(-1) ?? "");
    expect(existsSync(tarball), tarball).toBe(true);
    // A lockfile for the project from the repository's own (runtime dependencies only), so `npm ci
    // --offline` takes every tarball from the npm cache by integrity and never asks the registry.
    const manifest = JSON.parse(await fs.readFile(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      version: string;
      dependencies: Record<string, string>;
    };
    const lock = JSON.parse(await fs.readFile(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const spec = `file:${path.relative(project, tarball)}`;
    const packages: Record<string, unknown> = {
      "": { name: "sample-user", version: "1.0.0", dependencies: { "report-mcp": spec } },
      "node_modules/report-mcp": {
        version: manifest.version,
        resolved: spec,
        license: "MIT",
        dependencies: manifest.dependencies,
        bin: { "report-mcp": "bin/report-mcp.js" },
      },
    };
    for (const [key, entry] of Object.entries(lock.packages)) if (key !== "" && !entry.dev) packages[key] = entry;
    await fs.writeFile(
      path.join(project, "package.json"),
      JSON.stringify({ name: "sample-user", version: "1.0.0", private: true, dependencies: { "report-mcp": spec } }),
    );
    await fs.writeFile(
      path.join(project, "package-lock.json"),
      JSON.stringify({ name: "sample-user", version: "1.0.0", lockfileVersion: 3, requires: true, packages }),
    );
    try {
      await run("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
        cwd: project,
        maxBuffer: 8 * 1024 * 1024,
      });
    } catch (error) {
      const detail = error instanceof Error && "stderr" in error ? String(error.stderr) : String(error);
      throw new Error(
        `npm ci --offline failed; this test needs the dependencies in the local npm cache (run \`npm ci\` once first):\n${detail}`,
        { cause: error },
      );
    }
    const installed = path.join(project, "node_modules", "report-mcp");
    expect(existsSync(path.join(installed, "examples", "corpus", "README.md"))).toBe(true);
    const env = cleanEnv({ HOME: dir, REPORT_MCP_HOME: path.join(dir, "home-4") });
    // The installed package's own binary, from outside both the project and the repository.
    const installedRun = await run(
      process.execPath,
      [path.join(project, "node_modules", ".bin", "report-mcp"), "run", SEED, "--corpus", "sample", "--json"],
      {
        cwd: os.tmpdir(),
        env,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    expectSampleReport(
      reportResultSchema.parse(JSON.parse(installedRun.stdout)),
      await fs.realpath(path.join(installed, "examples", "corpus")),
    );
  }, 300_000);
});
