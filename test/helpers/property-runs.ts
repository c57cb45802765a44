/**
 * How many inputs a property test tries: a fast default for `npm test`, twenty times more under
 * `npm run test:battery` (REPORT_MCP_BATTERY=1), which CI does not run.
 */
export function propertyRuns(base: number): number {
  return process.env["REPORT_MCP_BATTERY"] ? base * 20 : base;
}

/** Per-input time bound: generous, it only catches a hang or a blow-up (super-linear time), never a slow machine. */
export const PER_INPUT_TIMEOUT_MS = 10_000;
