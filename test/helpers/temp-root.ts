/**
 * vitest global setup: every test run gets its own temporary root (TMPDIR, so `os.tmpdir()` in
 * the test workers points into it), removed when the run ends. A test that forgets to remove
 * what it made leaves nothing behind in /tmp; leftovers are named on stderr so they get fixed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "report-mcp-tests-"));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    const leftovers = fs.readdirSync(root);
    if (leftovers.length > 0)
      process.stderr.write(
        `[temp-root] tests left ${leftovers.length} temporary entr${leftovers.length === 1 ? "y" : "ies"} behind (removed now): ${leftovers.join(", ")}\n`,
      );
    fs.rmSync(root, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
}
