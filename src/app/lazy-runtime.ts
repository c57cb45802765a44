import { lazyOnce } from "../core/lazy.js";
import type { ReportRuntime } from "../core/runtime.js";
import type { Settings } from "./settings.js";

export type RuntimeFactory = (
  settings: Settings,
  options: { logger: (line: string) => void },
) => ReportRuntime | Promise<ReportRuntime>;

/**
 * The runtime every face runs reports on (settings → providers → runtime), built on first use —
 * `createRuntime` and the provider modules are imported only then, so a server answers
 * `initialize` and `tools/list` before loading them. A failed build is retried on the next use.
 */
export function lazyRuntime(options: {
  settings: () => Promise<Settings>;
  log: (line: string) => void;
  /** Another factory (tests, embedders); default `createRuntime`. */
  create?: RuntimeFactory;
}): () => Promise<ReportRuntime> {
  return lazyOnce(async () => {
    const settings = await options.settings();
    const create = options.create ?? (await import("./create-runtime.js")).createRuntime;
    return create(settings, { logger: options.log });
  });
}
