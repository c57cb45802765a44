import path from "node:path";
import { ReportError, throwIfAborted } from "../../core/errors.js";
import type { SearchHit, SearchProvider, SearchRequest } from "../../core/types.js";
import { CorpusIndex, type CorpusIndexStats } from "./corpus-index.js";

export type { CorpusIndexStats } from "./corpus-index.js";
export { chunkText } from "./chunk.js";
export { parseDocument, normalizeDate, SkipFileError, type ParsedDocument } from "./parse-document.js";

/** Default size cap per file; larger files are skipped with a reason. */
export const DEFAULT_MAX_FILE_BYTES = 20 * 1_048_576;
/** How long an index is trusted before the next search re-checks the folder (stat only). */
const DEFAULT_REFRESH_AFTER_MS = 60_000;
const DEFAULT_MAX_RESULTS = 8;

export type CorpusSearchOptions = {
  /** Corpus folders (absolute, or resolved against the working directory). */
  folders: string[];
  /** Data directory; each folder's index lives under `home/indexes/<hash of folder>`. */
  home: string;
  /** Receives one message per refresh that skipped files (count and reasons) or lost a folder. */
  onWarning?: (message: string) => void;
  /** Files larger than this are skipped (default 20 MB). */
  maxFileBytes?: number;
  /** Clock for `days` filtering (default: the system clock). */
  now?: () => Date;
  /** Re-check the folders (stat only) on a search when the last check is older than this (default 60 s). */
  refreshAfterMs?: number;
};

export type CorpusSearch = SearchProvider & {
  /** Brings every folder's index up to date now; stats summed over folders (`folder` lists them). */
  refresh(signal?: AbortSignal): Promise<CorpusIndexStats>;
};

/**
 * URL of a corpus document: `file://<root>/<path relative to the root>`, where `<root>` is the
 * corpus folder's name lowercased (letters, digits, `-`; a `-2`, `-3`… suffix when two folders
 * share a name) and each path segment is percent-encoded, e.g. `file://corpus/ai/2026-11-20-agents.md`.
 * Stable across runs and machines for the same folder layout, and unique per document.
 */
export function corpusUrl(rootLabel: string, relativePath: string): string {
  return `file://${rootLabel}/${relativePath.split("/").map(encodeURIComponent).join("/")}`;
}

function rootLabels(folders: string[]): string[] {
  const used = new Map<string, number>();
  return folders.map((folder) => {
    const base = path.basename(path.resolve(folder)).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "corpus";
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

function describeSkipped(stats: CorpusIndexStats): string {
  const shown = stats.skipped.slice(0, 5).map((item) => `${item.path} (${item.reason})`);
  const more = stats.skipped.length > shown.length ? `, and ${stats.skipped.length - shown.length} more` : "";
  return `Corpus ${stats.folder}: skipped ${stats.skipped.length} file${stats.skipped.length === 1 ? "" : "s"}: ${shown.join("; ")}${more}.`;
}

function sumStats(all: CorpusIndexStats[], durationMs: number): CorpusIndexStats {
  return {
    folder: all.map((stats) => stats.folder).join(path.delimiter),
    files: all.reduce((sum, stats) => sum + stats.files, 0),
    chunks: all.reduce((sum, stats) => sum + stats.chunks, 0),
    added: all.reduce((sum, stats) => sum + stats.added, 0),
    updated: all.reduce((sum, stats) => sum + stats.updated, 0),
    removed: all.reduce((sum, stats) => sum + stats.removed, 0),
    unchanged: all.reduce((sum, stats) => sum + stats.unchanged, 0),
    read: all.reduce((sum, stats) => sum + stats.read, 0),
    skipped: all.flatMap((stats) => stats.skipped.map((item) => ({ ...item, path: path.join(stats.folder, item.path) }))),
    durationMs,
  };
}

function folderError(folder: string, error: unknown): ReportError {
  if (error instanceof ReportError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ReportError("no_search_source", `Cannot index the corpus folder ${folder}: ${detail}. Check the --corpus / REPORT_MCP_CORPUS path.`, { cause: error });
}

/**
 * A SearchProvider (`name: "corpus"`) over local folders of Markdown, text, HTML and PDF.
 * Each folder's index is built lazily on the first search, persisted under `home`, and
 * refreshed incrementally (stat only when nothing changed). Hits are one per document with
 * its best passages as `content`, `published_at` from the document date (null = undated,
 * never filtered out by `days`).
 */
export function createCorpusSearch(options: CorpusSearchOptions): CorpusSearch {
  const { home, onWarning, maxFileBytes = DEFAULT_MAX_FILE_BYTES, now = () => new Date(), refreshAfterMs = DEFAULT_REFRESH_AFTER_MS } = options;
  // The same folder named twice ("docs" and "./docs/", or by flag and setting) is searched once:
  // two indexes of one folder would share, and race on, one index directory.
  const folders = [...new Set(options.folders.map((folder) => path.resolve(folder)))];
  const labels = rootLabels(folders);
  const indexes = folders.map((folder) => new CorpusIndex({ folder, home, maxFileBytes }));
  let refreshing: Promise<CorpusIndexStats> | null = null;
  let checkedAt = Number.NEGATIVE_INFINITY;
  /** What the latest refresh skipped, told to every search so each run reports it. */
  let skippedNotice: string | null = null;

  async function refreshAll(signal?: AbortSignal): Promise<CorpusIndexStats> {
    const started = performance.now();
    const all = await Promise.all(
      indexes.map(async (index) => {
        try {
          return await index.refresh({ signal });
        } catch (error) {
          throwIfAborted(signal);
          throw folderError(index.folder, error);
        }
      }),
    );
    const notices = all.filter((stats) => stats.skipped.length > 0).map(describeSkipped);
    for (const notice of notices) onWarning?.(notice);
    skippedNotice = notices.length > 0 ? notices.join(" ") : null;
    checkedAt = Date.now();
    return sumStats(all, Math.round(performance.now() - started));
  }

  function refresh(signal?: AbortSignal): Promise<CorpusIndexStats> {
    if (!refreshing) {
      refreshing = refreshAll(signal).finally(() => {
        refreshing = null;
      });
    }
    return refreshing;
  }

  return {
    name: "corpus",
    refresh,
    async search(request: SearchRequest): Promise<SearchHit[]> {
      throwIfAborted(request.signal);
      if (refreshing || Date.now() - checkedAt > refreshAfterMs) await refresh(request.signal);
      throwIfAborted(request.signal);
      if (skippedNotice) await request.onNotice?.(skippedNotice);
      const maxResults = request.maxResults ?? DEFAULT_MAX_RESULTS;
      const perFolder = await Promise.all(
        indexes.map((index, position) =>
          index.search({ query: request.query, days: request.days, maxResults, now: now(), signal: request.signal }).then((hits) => hits.map((hit) => ({ hit, label: labels[position] ?? "corpus" }))),
        ),
      );
      const seen = new Set<string>();
      return perFolder
        .flat()
        .sort((left, right) => right.hit.score - left.hit.score)
        .filter(({ hit }) => (seen.has(hit.hash) ? false : (seen.add(hit.hash), true)))
        .slice(0, maxResults)
        .map(({ hit, label }) => ({
          title: hit.title,
          url: corpusUrl(label, hit.file),
          content: hit.content,
          published_at: hit.date,
          score: Math.round(hit.score * 1000) / 1000,
          provider: "corpus",
        }));
    },
  };
}

/**
 * Builds or refreshes one folder's index ahead of time (`report-mcp index <dir>`).
 * `onProgress(done, total)` counts files checked. Throws `no_search_source` when the folder
 * cannot be indexed; unusable files are listed in `skipped`, never fatal.
 */
export async function buildCorpusIndex(options: {
  folder: string;
  home: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  maxFileBytes?: number;
}): Promise<CorpusIndexStats> {
  const index = new CorpusIndex({ folder: options.folder, home: options.home, maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES });
  try {
    return await index.refresh({ signal: options.signal, onProgress: options.onProgress });
  } catch (error) {
    throwIfAborted(options.signal);
    throw folderError(index.folder, error);
  }
}
