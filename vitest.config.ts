import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { bundlePageScript } from "./scripts/page-bundle.js";

const packageJson = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

export default defineConfig({
  // Tests run from src: the web page's script is bundled here as the build does (tsup.config.ts).
  define: {
    __REPORT_MCP_VERSION__: JSON.stringify(packageJson.version),
    __REPORT_MCP_PAGE_SCRIPT__: JSON.stringify(bundlePageScript(new URL("./", import.meta.url))),
  },
  test: {
    include: ["test/**/*.test.ts"],
    // A private TMPDIR per run, removed at the end: no test leaves /tmp/report-mcp-* behind.
    globalSetup: ["test/helpers/temp-root.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
