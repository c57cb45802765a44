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
 * The time one hostile input may take in the battery. Generous on purpose: it only catches
 * blow-ups (the quadratic code took 4 s on 60 KB and 82 s on 200 KB), not a slow machine.
 * Time bounds are asserted in `npm run test:battery` only: `npm test` runs on shared, loaded
 * machines, where it checks the outcome of each hostile input and never the clock (a blow-up
 * there shows as the test's own timeout).
 */
export const TIME_LIMIT_MS = 10_000;

/** Fails (in the battery only) when `elapsedMs` is over `limitMs`. */
function expectWithinTime(label: string, elapsedMs: number, limitMs: number): void {
  if (!BATTERY) return;
  expect(elapsedMs, `${label} took ${Math.round(elapsedMs)} ms`).toBeLessThan(limitMs);
}

/** Runs `work`; in the battery, fails if it took longer than the limit (measured, never waited for). */
export function withinTime<T>(label: string, work: () => T, limitMs = TIME_LIMIT_MS): T {
  const started = performance.now();
  const result = work();
  expectWithinTime(label, performance.now() - started, limitMs);
  return result;
}

/** `withinTime` for asynchronous work. */
export async function withinTimeAsync<T>(label: string, work: () => Promise<T>, limitMs = TIME_LIMIT_MS): Promise<T> {
  const started = performance.now();
  const result = await work();
  expectWithinTime(label, performance.now() - started, limitMs);
  return result;
}
