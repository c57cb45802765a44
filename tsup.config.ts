import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";
import { bundledNotices } from "./scripts/bundled-notices.js";
import { bundlePageScript } from "./scripts/page-bundle.js";

const packageJson = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

export default defineConfig({
  entry: { index: "src/index.ts", cli: "src/cli/main.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: { entry: { index: "src/index.ts" } },
  // No source maps: the published package would ship them (25 files) for unminified code whose
  // stack traces already point at readable lines.
  sourcemap: false,
  clean: true,
  splitting: true,
  // The web page's script (src/web/client/, bundled for the browser) is served from a string.
  define: {
    __REPORT_MCP_VERSION__: JSON.stringify(packageJson.version),
    __REPORT_MCP_PAGE_SCRIPT__: JSON.stringify(bundlePageScript(new URL("./", import.meta.url))),
  },
  // Only `dependencies` stay imports; devDependencies the code uses (linkedom, turndown, markdown-it)
  // are bundled, so `npx report-mcp` does not install their packages. Their licenses go to
  // dist/THIRD-PARTY-NOTICES.md.
  esbuildPlugins: [bundledNotices()],
});
