import type { CreateRuntime } from "./cli-io.js";

/** The default runtime factory: `createRuntime` from src/app/create-runtime.ts, imported on first use. */
export const loadRuntime: CreateRuntime = async (settings, options) => {
  const { createRuntime } = await import("../app/create-runtime.js");
  return createRuntime(settings, options);
};
