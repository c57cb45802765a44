/** vitest global setup: builds the package once per test run, before any test file runs, when dist/ is stale. */
import { buildIfStale } from "./build.js";

export default async function setup(): Promise<void> {
  await buildIfStale();
}
