/**
 * Settles with `promise`, or rejects as soon as `signal` aborts (for calls that take no signal
 * of their own). `toReason` turns the abort reason into the rejection, e.g. a `cancelled` error.
 */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  toReason: (reason: unknown) => unknown = (reason) => reason,
): Promise<T> {
  if (signal.aborted) return Promise.reject(toReason(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(toReason(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
