/**
 * A RetryDelay (the seam of src/providers/http/retry.ts) that records every wait a provider
 * asks for instead of sleeping: a test asserts "waited the server's retry-after" on the
 * recorded milliseconds, with no clock involved.
 */
import type { RetryDelay } from "../../src/providers/http/retry.js";
import { cancelledError } from "../../src/core/errors.js";
import { Notifier } from "./notifier.js";

export type RecordedDelays = {
  /** Pass as the provider's `retryDelay`. */
  delay: RetryDelay;
  /** Every requested wait, in order, in ms. */
  waits: number[];
  /** Resolves when `count` waits have been requested. */
  requested(count: number): Promise<void>;
};

/**
 * `mode: "skip"` (default) resolves each wait at once; `"hold"` keeps it pending until the
 * signal aborts (then rejects with the `cancelled` error, as the real delay does).
 */
export function recordDelays(options: { mode?: "skip" | "hold" } = {}): RecordedDelays {
  const waits: number[] = [];
  const changes = new Notifier();
  const delay: RetryDelay = (ms, signal) => {
    waits.push(ms);
    changes.notify();
    if (signal.aborted) return Promise.reject(cancelledError(signal.reason));
    if (options.mode !== "hold") return Promise.resolve();
    return new Promise((_resolve, reject) =>
      signal.addEventListener("abort", () => reject(cancelledError(signal.reason)), { once: true }),
    );
  };
  return { delay, waits, requested: (count) => changes.until(() => waits.length >= count) };
}
