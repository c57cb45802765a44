import fs from "node:fs";
import { cancelledError } from "../core/errors.js";
import { CliUsageError, EXIT_CODES, isDrawable, writeFully, type CliContext, type OutputStream } from "./cli-io.js";
import { loadSettings } from "./load-settings.js";
import { resolveCorpusFolder } from "./sample-corpus.js";

/**
 * `report-mcp index <dir>`: builds or refreshes the persisted corpus index of a folder ahead of
 * time, with a progress bar on stderr (TTY) or a line every 10 %, then prints the statistics
 * on stdout. Ctrl-C stops it (exit 130).
 */
export async function indexCommand(options: { folder: string; context: CliContext }): Promise<number> {
  const { context } = options;
  if (options.folder.trim() === "") throw new CliUsageError("index needs a folder (got an empty value)");
  const folder = resolveCorpusFolder(options.folder, context.cwd);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory())
    throw new CliUsageError(`${folder} is not a folder`);
  const settings = await loadSettings({ env: context.env, cwd: context.cwd });
  const { buildCorpusIndex } = await import("../providers/corpus/index.js");
  const controller = new AbortController();
  const unsubscribe = context.onInterrupt(() => {
    if (controller.signal.aborted) context.exitNow(EXIT_CODES.cancelled);
    controller.abort(cancelledError());
  });
  const progress = createIndexProgress({ stream: context.stderr });
  try {
    const stats = await buildCorpusIndex({
      folder,
      home: settings.home,
      signal: controller.signal,
      onProgress: progress.update,
    });
    progress.end();
    const lines = [
      `Indexed ${stats.folder}`,
      `  files: ${stats.files}  chunks: ${stats.chunks}`,
      `  added: ${stats.added}  updated: ${stats.updated}  removed: ${stats.removed}  unchanged: ${stats.unchanged}`,
      `  skipped: ${stats.skipped.length}`,
      ...stats.skipped.map((skip) => `    ${skip.path}: ${skip.reason}`),
      `  took ${(stats.durationMs / 1000).toFixed(2)} s`,
    ];
    await writeFully(context.stdout, `${lines.join("\n")}\n`);
    return EXIT_CODES.success;
  } catch (error) {
    progress.end();
    if (controller.signal.aborted) {
      context.stderr.write("cancelled\n");
      return EXIT_CODES.cancelled;
    }
    throw error;
  } finally {
    unsubscribe();
  }
}

/** A redrawn bar on a TTY; otherwise a line at every 10 % step. */
function createIndexProgress(options: { stream: OutputStream }): {
  update: (done: number, total: number) => void;
  end: () => void;
} {
  const { stream } = options;
  const interactive = isDrawable(stream);
  let lastDecile = -1;
  let drawn = false;
  return {
    update(done, total) {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      if (interactive) {
        const width = 28;
        const filled = Math.round(ratio * width);
        stream.write(
          `\rIndexing [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${Math.round(ratio * 100)}% ${done}/${total} files`,
        );
        drawn = true;
        return;
      }
      const decile = Math.floor(ratio * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`[indexing] ${done}/${total} files (${Math.round(ratio * 100)}%)\n`);
      }
    },
    end() {
      if (drawn) stream.write("\n");
      drawn = false;
    },
  };
}
