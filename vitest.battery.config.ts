import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * `npm run test:battery`: the property and hostile-input batteries with many more cases and
 * 1 MB inputs (REPORT_MCP_BATTERY=1, read by test/property/budget.ts). Minutes, not for CI.
 * (Not mergeConfig: it would append to `include` instead of replacing it.)
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["test/property/**/*.test.ts", "test/**/*hostile*.test.ts"],
    env: { REPORT_MCP_BATTERY: "1" },
    testTimeout: 600_000,
  },
});
