import { promises as fs, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { throwIfAborted } from "../../core/errors.js";
import { SUPPORTED_EXTENSIONS } from "./parse-document.js";

/** A supported file found in the corpus folder. */
export type CorpusFile = { relativePath: string; absolutePath: string; size: number; mtimeMs: number };

export type WalkResult = { files: CorpusFile[]; skipped: Array<{ path: string; reason: string }> };

const STAT_BATCH = 512;
/** Reading a FIFO would block until a writer appears; sockets and devices are not documents. */
const NOT_REGULAR = "not a regular file (a FIFO, socket or device), not read";

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/**
 * Lists the supported files under `root` recursively (stat only, no reads). Hidden files and
 * folders and `node_modules` are skipped; symlinked files are followed only when they point
 * inside the folder (symlinked folders are not followed). Paths use `/` separators.
 */
export async function walkCorpus(options: { root: string; signal?: AbortSignal }): Promise<WalkResult> {
  const root = await fs.realpath(options.root);
  const skipped: WalkResult["skipped"] = [];
  const candidates: Array<{ relativePath: string; absolutePath: string; link: boolean }> = [];
  const pending: string[] = [root];
  while (pending.length > 0) {
    throwIfAborted(options.signal);
    const directory = pending.pop() ?? root;
    const entries = await fs.readdir(directory, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const absolutePath = path.join(directory, entry.name);
      const relativePath = path.relative(root, absolutePath).split(path.sep).join("/");
      if (entry.isDirectory()) pending.push(absolutePath);
      else if (!SUPPORTED_EXTENSIONS[path.extname(entry.name).toLowerCase()]) continue;
      else if (entry.isFile() || entry.isSymbolicLink())
        candidates.push({ relativePath, absolutePath, link: entry.isSymbolicLink() });
      else skipped.push({ path: relativePath, reason: NOT_REGULAR });
    }
  }
  const files: CorpusFile[] = [];
  for (let index = 0; index < candidates.length; index += 1) {
    // Synchronous stat is an order of magnitude faster than the promise API for thousands of
    // files; yield to the event loop every batch so a server stays responsive.
    if (index % STAT_BATCH === 0) {
      throwIfAborted(options.signal);
      if (index > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const candidate = candidates[index];
    if (!candidate) continue;
    try {
      if (candidate.link && !isInside(root, realpathSync(candidate.absolutePath))) {
        skipped.push({
          path: candidate.relativePath,
          reason: "symlink pointing outside the corpus folder (not followed)",
        });
        continue;
      }
      const stat = statSync(candidate.absolutePath);
      if (stat.isFile()) files.push({ ...candidate, size: stat.size, mtimeMs: stat.mtimeMs });
      else
        skipped.push({
          path: candidate.relativePath,
          reason: stat.isDirectory() ? "symlink to a folder (not followed)" : NOT_REGULAR,
        });
    } catch (error) {
      const code = error instanceof Error && "code" in error ? String(error.code) : "error";
      skipped.push({ path: candidate.relativePath, reason: `cannot read file metadata (${code})` });
    }
  }
  files.sort((left, right) =>
    left.relativePath < right.relativePath ? -1 : left.relativePath > right.relativePath ? 1 : 0,
  );
  return { files, skipped };
}
