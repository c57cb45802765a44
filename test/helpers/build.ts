/**
 * The package's build for tests that run the binary. vitest's global setup (test/helpers/build-setup.ts)
 * builds once per test run, before any test file starts, and only when dist/ is older than the
 * sources; a test file then only checks that the build is there:
 *
 *   import { ensureBuilt, BIN } from "../helpers/build.js";
 *   beforeAll(async () => { await ensureBuilt(); });
 *
 * The new build is swapped into dist/ by rename, so nothing ever sees a half-written dist/.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The package's binary: run it with `node BIN …`. */
export const BIN = path.join(REPO_ROOT, "bin", "report-mcp.js");
const DIST = path.join(REPO_ROOT, "dist");

const run = promisify(execFile);

/** Builds dist/ when it is missing or older than the sources (the global setup calls this once). */
export async function buildIfStale(): Promise<void> {
  if (!isFresh()) await build();
}

/** Fails clearly when the global setup's build is missing (e.g. a config without it). */
export async function ensureBuilt(): Promise<void> {
  if (!fs.existsSync(path.join(DIST, "cli.js")) || !fs.existsSync(path.join(DIST, "index.js"))) {
    throw new Error(
      "dist/ is missing: run `npm run build` (vitest's global setup test/helpers/build-setup.ts builds it)",
    );
  }
}

/** dist/cli.js is newer than every source file, package.json and the tsup config. */
function isFresh(): boolean {
  const built = fs.statSync(path.join(DIST, "cli.js"), { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined || !fs.existsSync(path.join(DIST, "index.js"))) return false;
  const inputs = [
    path.join(REPO_ROOT, "package.json"),
    path.join(REPO_ROOT, "tsup.config.ts"),
    ...listFiles(path.join(REPO_ROOT, "src")),
    ...listFiles(path.join(REPO_ROOT, "scripts")),
  ];
  return inputs.every((file) => (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) <= built);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

async function build(): Promise<void> {
  const staging = path.join(REPO_ROOT, `.dist-build-${process.pid}`);
  const tsup = path.join(REPO_ROOT, "node_modules", "tsup", "dist", "cli-default.js");
  try {
    await run(process.execPath, [tsup, "--no-dts", "--out-dir", staging], {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    const output = error instanceof Error && "stderr" in error ? String(error.stderr) : String(error);
    throw new Error(`tsup build failed:\n${output}`, { cause: error });
  }
  const old = `${DIST}.old-${process.pid}`;
  if (fs.existsSync(DIST)) fs.renameSync(DIST, old);
  fs.renameSync(staging, DIST);
  fs.rmSync(old, { recursive: true, force: true });
}
