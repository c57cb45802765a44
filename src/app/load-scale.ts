import { ReportError } from "../core/errors.js";

/** The Redis scale-out code, loaded only by `serve --redis` and `worker`. */
export type ScaleModule = typeof import("../scale/index.js");

const SCALE_PACKAGES = ["bullmq", "ioredis"];

/**
 * Loads the scale-out module. Its libraries (BullMQ with ioredis) are optional peer dependencies,
 * so that `npx report-mcp` does not install them for everyone; a deployment that scales out
 * installs them beside report-mcp, and this says how when they are missing.
 */
export async function loadScale(): Promise<ScaleModule> {
  try {
    return await import("../scale/index.js");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    const missing = SCALE_PACKAGES.find((name) => error instanceof Error && error.message.includes(`'${name}'`));
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && missing) {
      throw new ReportError(
        "invalid_params",
        `Scaling out on Redis needs the packages ${SCALE_PACKAGES.join(" and ")}, which are not installed (${missing} is missing). ` +
          `Install them beside report-mcp: \`npm install -g report-mcp ${SCALE_PACKAGES.join(" ")}\`, or with npx: ` +
          `\`npx -y -p report-mcp -p bullmq -p ioredis report-mcp …\`.`,
        { cause: error },
      );
    }
    throw error;
  }
}
