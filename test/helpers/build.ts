/**
 * Builds the package (tsup, without type declarations) at most once per test run and only when
 * dist/ is older than the sources. Safe to call from every test file in parallel: a lock
 * directory serialises builders, and the new build is swapped into dist/ by rename, so a test
 * already running the binary never sees a half-written dist/.
 *
 *   import { ensureBuilt, BIN } from "../helpers/build.js";
 *   beforeAll(async () => { await ensureBuilt(); }, 120_000);
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
const CACHE = path.join(REPO_ROOT, "node_modules", ".cache", "report-mcp-build");
const LOCK = path.join(CACHE, "lock");
const MARKER = path.join(CACHE, "marker.json");
const STALE_LOCK_MS = 180_000;

const run = promisify(execFile);

/** Every test file of one vitest run shares the parent process. */
function runId(): string {
  return String(process.ppid);
}

export async function ensureBuilt(): Promise<void> {
  if (builtInThisRun()) return;
  fs.mkdirSync(CACHE, { recursive: true });
  await acquireLock();
  try {
    if (builtInThisRun()) return;
    if (!isFresh()) await build();
    fs.writeFileSync(MARKER, JSON.stringify({ runId: runId(), time: new Date().toISOString() }));
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

function builtInThisRun(): boolean {
  if (!fs.existsSync(path.join(DIST, "cli.js"))) return false;
  try {
    const marker = JSON.parse(fs.readFileSync(MARKER, "utf8")) as { runId?: string };
    return marker.runId === runId();
  } catch {
    return false;
  }
}

async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      return;
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
      const lock = fs.statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
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
