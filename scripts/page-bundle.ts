import { buildSync } from "esbuild";
import { fileURLToPath } from "node:url";

/**
 * Bundles the web page's script (src/web/client/main.ts, TypeScript against the DOM and the event
 * types) into one browser IIFE. tsup.config.ts and vitest.config.ts inject the result as
 * `__REPORT_MCP_PAGE_SCRIPT__`, so the built package and tests running from src serve the same
 * page, and the published package needs no bundler at run time.
 */
export function bundlePageScript(root: URL): string {
  const result = buildSync({
    entryPoints: [fileURLToPath(new URL("src/web/client/main.ts", root))],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    charset: "utf8",
    legalComments: "none",
    write: false,
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error("esbuild produced no page script");
  return output.text;
}
