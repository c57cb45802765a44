/**
 * Wraps a ReportRuntime so a test can wait on what it does, not on the clock: `until`
 * re-checks a condition after every pipeline event (once the host — jobs registry, CLI — has
 * taken it), and `settled` resolves when every run started so far has wound down (after a
 * cancel, nothing of it is left to spend).
 */
import type { ReportRuntime } from "../../src/core/runtime.js";
import { Notifier } from "./notifier.js";

export type ObservedRuntime = {
  runtime: ReportRuntime;
  /** Wakes the waiters of `until` (for changes the runtime does not see, e.g. a host message). */
  notify(): void;
  until(condition: () => boolean): Promise<void>;
  settled(): Promise<void>;
};

export function observeRuntime(inner: ReportRuntime): ObservedRuntime {
  const changes = new Notifier();
  const runs: Promise<unknown>[] = [];
  const runtime: ReportRuntime = {
    runReport(params, run) {
      const report = inner.runReport(params, {
        ...run,
        onEvent: async (event) => {
          await run.onEvent(event);
          changes.notify();
        },
      });
      runs.push(report);
      void report.then(
        () => changes.notify(),
        () => changes.notify(),
      );
      return report;
    },
    search: (request) => inner.search(request),
    describe: () => inner.describe(),
    ...(inner.estimate ? { estimate: inner.estimate.bind(inner) } : {}),
  };
  return {
    runtime,
    notify: () => changes.notify(),
    until: (condition) => changes.until(condition),
    settled: async () => {
      await Promise.allSettled(runs);
    },
  };
}
