declare const __REPORT_MCP_PAGE_SCRIPT__: string | undefined;

/**
 * The web page's script (served as /assets/app.js): src/web/client/, TypeScript bundled for the
 * browser by the build (scripts/page-bundle.ts; tsup and vitest inject it). Throws when this code
 * runs unbundled, e.g. straight from src without either.
 */
export function pageScript(): string {
  if (typeof __REPORT_MCP_PAGE_SCRIPT__ === "string") return __REPORT_MCP_PAGE_SCRIPT__;
  throw new Error(
    "The web page's script was not bundled: build with `npm run build` (tsup) or run the tests with vitest, which bundle src/web/client/.",
  );
}
