import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, REPO_ROOT } from "../helpers/build.js";
import { cleanEnv, runBinary } from "../helpers/run-binary.js";

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  await ensureBuilt();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-config-"));
  env = cleanEnv({ HOME: dir, REPORT_MCP_HOME: path.join(dir, "home") });
}, 120_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const config = (...args: string[]) => runBinary(["config", ...args], { env, cwd: dir });

describe("report-mcp config (built binary)", () => {
  it("path prints the settings file inside REPORT_MCP_HOME", async () => {
    const result = await config("path");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${path.join(dir, "home", "config.json")}\n`);
  });

  it("set / get / list / unset round-trip, secrets masked in list, file mode 0600", async () => {
    expect((await config("set", "provider", "deepseek")).code).toBe(0);
    expect((await config("set", "apiKey", "sk-test-0123456789abcd")).code).toBe(0);
    expect((await config("set", "timeoutMs", "600000")).code).toBe(0);

    const file = path.join(dir, "home", "config.json");
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await fs.readFile(file, "utf8"))).toMatchObject({ provider: "deepseek", timeoutMs: 600000 });

    const get = await config("get", "provider");
    expect(get).toMatchObject({ code: 0, stdout: "deepseek\n" });
    expect((await config("get", "apiKey")).stdout).toBe("sk-test-0123456789abcd\n");

    const list = await config("list");
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("provider=deepseek\n");
    expect(list.stdout).toContain("apiKey=••••abcd\n");
    expect(list.stdout).toContain("timeoutMs=600000\n");
    expect(list.stdout).not.toContain("0123456789");
    expect(list.stderr).not.toContain("0123456789");

    expect((await config("unset", "apiKey")).code).toBe(0);
    const missing = await config("get", "apiKey");
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toContain("apiKey is not set");
  });

  it("stores corpus folders as absolute paths (comma list and `config add`)", async () => {
    await fs.mkdir(path.join(dir, "notes"));
    await fs.mkdir(path.join(dir, "papers"));
    await fs.mkdir(path.join(dir, "more"));
    expect((await config("set", "corpus", "notes,papers")).code).toBe(0);
    expect((await config("add", "corpus", "more", "notes")).code).toBe(0);
    const get = await config("get", "corpus");
    expect(get.stdout).toBe(
      `${[path.join(dir, "notes"), path.join(dir, "papers"), path.join(dir, "more")].join("\n")}\n`,
    );
    const missing = await config("set", "corpus", "does-not-exist");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does-not-exist");
  });

  it("rejects unknown keys and bad values with exit 2 and one line saying what is valid", async () => {
    const unknown = await config("set", "colour", "blue");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(unknown.stderr).toContain('unknown setting "colour"; valid keys: provider, model, apiKey');
    const provider = await config("set", "provider", "gemini");
    expect(provider.code).toBe(2);
    expect(provider.stderr).toContain("expected one of openai, doubao, deepseek, ollama, custom");
    const url = await config("set", "baseUrl", "localhost:11434");
    expect(url.code).toBe(2);
    expect(url.stderr).toContain("http(s) URL");
    expect((await config("set", "timeoutMs", "soon")).code).toBe(2);
    expect((await config("get", "nope")).code).toBe(2);
  });

  it("a stored setting is used by run: an explicit stored provider without a key is a usage error", async () => {
    const home = path.join(dir, "other-home");
    const otherEnv = cleanEnv({ HOME: dir, REPORT_MCP_HOME: home });
    expect((await runBinary(["config", "set", "provider", "doubao"], { env: otherEnv, cwd: dir })).code).toBe(0);
    const run = await runBinary(["run", "AI agents"], { env: otherEnv, cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^report-mcp: .*ARK_API_KEY.*\n$/);
  });
});

describe("report-mcp exit codes (built binary)", () => {
  it("--help and --version exit 0 on stdout", async () => {
    const help = await runBinary(["--help"], { env, cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: report-mcp");
    for (const command of ["run", "config", "index", "serve", "stdio"]) expect(help.stdout).toContain(command);
    const runHelp = await runBinary(["run", "--help"], { env, cwd: dir });
    expect(runHelp.code).toBe(0);
    expect(runHelp.stdout).toContain("--no-auto-confirm");
    const version = await runBinary(["--version"], { env, cwd: dir });
    const packageJson = JSON.parse(await fs.readFile(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    expect(version).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
  });

  it.each([
    [["run", "AI agents", "--days", "0"], "report-mcp: --days must be at least 1\n"],
    [["run", "AI agents", "--bogus"], null],
    [
      ["run", "AI agents", "--out", "report.docx"],
      'report-mcp: --out must end in .md, .html or .json (got "report.docx")\n',
    ],
    [["frobnicate"], null],
  ])("%j exits 2 with one line on stderr and nothing on stdout", async (args, expected) => {
    const result = await runBinary(args, { env, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    if (expected) expect(result.stderr).toBe(expected);
  });

  it("names an unknown option and suggests the closest one", async () => {
    const result = await runBinary(["run", "AI agents", "--dayz", "3"], { env, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("report-mcp: unknown option '--dayz' (Did you mean --days?)\n");
  });
});
