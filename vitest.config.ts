import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const packageJson = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

export default defineConfig({
  define: { __REPORT_MCP_VERSION__: JSON.stringify(packageJson.version) },
  test: {
    include: ["test/**/*.test.ts"],
    // A private TMPDIR per run, removed at the end: no test leaves /tmp/report-mcp-* behind.
    globalSetup: ["test/helpers/temp-root.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
