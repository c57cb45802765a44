/**
 * Event-driven waits for tests: the producer (a fake server, a captured stream, a runtime)
 * calls `notify()` whenever its state changes, and a test awaits `until(condition)`, which
 * resolves on the first change after which the condition holds. No polling, no timers: if the
 * event never comes, the test's own timeout reports it.
 *
 *   const changes = new Notifier();
 *   calls.push(request); changes.notify();
 *   await changes.until(() => calls.length >= 2);
 */
export class Notifier {
  readonly #waiters = new Set<{ condition: () => boolean; resolve: () => void }>();

  /** Re-checks every waiting condition; call after each change of the watched state. */
  notify(): void {
    for (const waiter of this.#waiters) {
      if (!waiter.condition()) continue;
      this.#waiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** Resolves once `condition()` holds (at once if it already does). */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.add({ condition, resolve }));
  }
}
