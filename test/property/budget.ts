/**
 * Shared settings of the property and hostile-input batteries. `npm test` runs them small and
 * fast; `npm run test:battery` (REPORT_MCP_BATTERY=1) runs many more cases on bigger inputs.
 */
import { expect } from "vitest";

export const BATTERY = process.env.REPORT_MCP_BATTERY === "1";
/** fast-check runs per property. */
export const RUNS = BATTERY ? 2000 : 150;
/** Size of the hostile inputs: 200 KB in CI, 1 MB in the battery. */
export const HOSTILE_SIZE = BATTERY ? 1_000_000 : 200_000;
/**
 * The time one hostile input may take. Generous on purpose: it only catches blow-ups (the
 * quadratic code took 4 s on 60 KB and 82 s on 200 KB), not a slow machine; the battery's 1 MB
 * inputs get five times as long.
 */
export const TIME_LIMIT_MS = BATTERY ? 10_000 : 2_000;

/** Runs `work` and fails if it took longer than the limit (measured, never waited for). */
export function withinTime<T>(label: string, work: () => T, limitMs = TIME_LIMIT_MS): T {
  const started = performance.now();
  const result = work();
  const elapsed = performance.now() - started;
  expect(elapsed, `${label} took ${Math.round(elapsed)} ms`).toBeLessThan(limitMs);
  return result;
}
