/**
 * A private copy of the built binary (bin/ + dist/) for tests that spawn it. Other test files
 * may rebuild dist/ while ours run; a server started from the shared dist/ would then fail to
 * load its lazily imported chunks (their hashed names change). The copy lives under the repo's
 * node_modules/.cache so the bundle's bare imports still resolve from /work/main/node_modules.
 */
import fs from "node:fs";
import path from "node:path";
import { ensureBuilt, REPO_ROOT } from "../helpers/build.js";

const SNAPSHOTS = path.join(REPO_ROOT, "node_modules", ".cache", "report-mcp-mcp-tests");

/** Builds if needed, copies bin/ and dist/, and returns the copied bin/report-mcp.js. */
export async function snapshotBinary(): Promise<{ bin: string; remove: () => void }> {
  await ensureBuilt();
  const target = path.join(SNAPSHOTS, `${process.pid}-${Date.now()}`);
  for (let attempt = 1; ; attempt += 1) {
    try {
      fs.rmSync(target, { recursive: true, force: true });
      fs.mkdirSync(target, { recursive: true });
      fs.cpSync(path.join(REPO_ROOT, "bin"), path.join(target, "bin"), { recursive: true });
      fs.cpSync(path.join(REPO_ROOT, "dist"), path.join(target, "dist"), { recursive: true });
      if (!fs.existsSync(path.join(target, "dist", "cli.js"))) throw new Error("dist/cli.js missing from the copy");
      break;
    } catch (error) {
      // dist/ was being swapped by a concurrent build: build again and retry.
      if (attempt >= 3) throw error;
      await ensureBuilt();
    }
  }
  return {
    bin: path.join(target, "bin", "report-mcp.js"),
    remove: () => fs.rmSync(target, { recursive: true, force: true }),
  };
}
