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
    // The built binary once per run (tests that spawn it), and a private TMPDIR per run.
    globalSetup: ["test/helpers/build-setup.ts", "test/helpers/temp-root.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
