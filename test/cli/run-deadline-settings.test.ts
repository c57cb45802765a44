import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_RUN_TIMEOUT_MS } from "../../src/app/settings.js";
import { ReportError } from "../../src/core/errors.js";
import { loadSettings } from "../../src/cli/load-settings.js";
import { timeoutFromFlag } from "../../src/cli/task-flags.js";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-deadline-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  REPORT_MCP_HOME: path.join(dir, "home"),
  ...extra,
});

describe("the whole-run deadline setting", () => {
  it("defaults to 60 minutes", async () => {
    expect(DEFAULT_RUN_TIMEOUT_MS).toBe(3_600_000);
    expect((await loadSettings({ env: env(), cwd: dir })).timeoutMs).toBe(3_600_000);
  });

  it("REPORT_MCP_TIMEOUT sets it in seconds; 0 means no limit", async () => {
    expect((await loadSettings({ env: env({ REPORT_MCP_TIMEOUT: "90" }), cwd: dir })).timeoutMs).toBe(90_000);
    expect((await loadSettings({ env: env({ REPORT_MCP_TIMEOUT: "1.5" }), cwd: dir })).timeoutMs).toBe(1_500);
    expect((await loadSettings({ env: env({ REPORT_MCP_TIMEOUT: "0" }), cwd: dir })).timeoutMs).toBeNull();
  });

  it("the flag beats the environment, which beats `config set timeoutMs`", async () => {
    await fs.mkdir(path.join(dir, "home"), { recursive: true });
    await fs.writeFile(path.join(dir, "home", "config.json"), JSON.stringify({ timeoutMs: 120_000 }));
    expect((await loadSettings({ env: env(), cwd: dir })).timeoutMs).toBe(120_000);
    expect((await loadSettings({ env: env({ REPORT_MCP_TIMEOUT: "30" }), cwd: dir })).timeoutMs).toBe(30_000);
    expect(
      (await loadSettings({ flags: { timeoutMs: null }, env: env({ REPORT_MCP_TIMEOUT: "30" }), cwd: dir })).timeoutMs,
    ).toBeNull();
    expect(
      (await loadSettings({ flags: { timeoutMs: 5_000 }, env: env({ REPORT_MCP_TIMEOUT: "30" }), cwd: dir })).timeoutMs,
    ).toBe(5_000);
  });

  it("a bad REPORT_MCP_TIMEOUT is refused, naming the variable and what it takes", async () => {
    for (const value of ["soon", "-5", "1e3", "10s"]) {
      const error = await loadSettings({ env: env({ REPORT_MCP_TIMEOUT: value }), cwd: dir }).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error, value).toBeInstanceOf(ReportError);
      expect((error as ReportError).message).toBe(
        `REPORT_MCP_TIMEOUT must be a number of seconds (0 = no limit) (got ${JSON.stringify(value)}).`,
      );
    }
  });

  it("--timeout takes seconds, 0 for no limit", () => {
    expect(timeoutFromFlag(undefined)).toBeUndefined();
    expect(timeoutFromFlag("600")).toBe(600_000);
    expect(timeoutFromFlag("0")).toBeNull();
    expect(() => timeoutFromFlag("-1")).toThrow(/--timeout must be a number of seconds, 0 for no limit/);
    expect(() => timeoutFromFlag("soon")).toThrow(/--timeout must be a number/);
  });
});
