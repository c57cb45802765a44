import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCli } from "../helpers/cli-context.js";
import { ensureBuilt } from "../helpers/build.js";
import { cleanEnv, runBinary } from "../helpers/run-binary.js";
import { freePort } from "./redis-server.js";

let home: string;

beforeAll(async () => {
  await ensureBuilt();
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-scale-cli-"));
}, 120_000);

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

const cli = () => createTestCli({ env: { REPORT_MCP_HOME: home }, cwd: home });

describe("scale-out on the command line", () => {
  it("serve --redis and worker exit 2 with a clear line when Redis cannot be reached at start", async () => {
    const port = await freePort();
    const url = `redis://:hunter2@127.0.0.1:${port}`;
    for (const args of [
      ["serve", "--redis", url, "--port", "0"],
      ["worker", "--redis", url],
    ]) {
      const result = await runBinary(args, { env: cleanEnv({ REPORT_MCP_HOME: home }) });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`Cannot reach Redis at redis://:***@127.0.0.1:${port}`);
      expect(result.stderr).toContain("ECONNREFUSED");
      expect(result.stderr).not.toContain("hunter2");
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    }
    // The environment variable works the same way.
    const fromEnv = await runBinary(["worker"], {
      env: cleanEnv({ REPORT_MCP_HOME: home, REPORT_MCP_REDIS_URL: `redis://127.0.0.1:${port}` }),
    });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain(`Cannot reach Redis at redis://127.0.0.1:${port}`);
  });

  it("names what is wrong with scale-out flags and settings", async () => {
    const cases: Array<[string[], string]> = [
      [["worker"], "worker needs the deployment's Redis: pass --redis"],
      [["worker", "--redis", "http://127.0.0.1:6379"], "--redis must be a redis:// or rediss:// URL"],
      [
        ["worker", "--redis", "redis://127.0.0.1:1", "--concurrency", "0"],
        "--concurrency must be a whole number from 1 to 1000",
      ],
      [
        ["worker", "--redis", "redis://127.0.0.1:1", "--stall-timeout", "soon"],
        "--stall-timeout must be a duration of at least 1s",
      ],
      [["serve", "--workers", "2"], "--workers needs --redis"],
      [["serve", "--stall-timeout", "5s"], "--stall-timeout needs --redis"],
      [
        ["serve", "--redis", "redis://127.0.0.1:1", "--workers", "-1"],
        "--workers must be a whole number from 0 to 1000",
      ],
      [["serve", "--retention", "0s"], "--retention must be a duration of at least 1s"],
      [
        ["config", "set", "redisUrl", "localhost:6379"],
        "invalid value for redisUrl: expected a redis:// or rediss:// URL",
      ],
    ];
    for (const [argv, message] of cases) {
      const test = cli();
      expect(await test.run(argv), argv.join(" ")).toBe(2);
      expect(test.stderr.text()).toContain(message);
    }
  });

  it("config keeps the Redis URL as a secret (masked in list)", async () => {
    const set = cli();
    expect(await set.run(["config", "set", "redisUrl", "redis://:s3cret-password@redis.internal:6379/0"])).toBe(0);
    const list = cli();
    expect(await list.run(["config", "list"])).toBe(0);
    expect(list.stdout.text()).toContain("redisUrl");
    expect(list.stdout.text()).not.toContain("s3cret-password");
    const unset = cli();
    expect(await unset.run(["config", "unset", "redisUrl"])).toBe(0);
  });
});
