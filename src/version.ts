declare const __REPORT_MCP_VERSION__: string;

/** The package version, injected at build time by tsup (and by vitest in tests). */
export const VERSION: string = typeof __REPORT_MCP_VERSION__ === "string" ? __REPORT_MCP_VERSION__ : "0.0.0-dev";
