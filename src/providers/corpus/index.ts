import path from "node:path";
import { pathToFileURL } from "node:url";
import { ReportError, throwIfAborted } from "../../core/errors.js";
import type { SearchHit, SearchProvider, SearchRequest } from "../../core/types.js";
import { CorpusIndex, type CorpusIndexStats } from "./corpus-index.js";

export type { CorpusIndexStats } from "./corpus-index.js";
export { chunkText } from "./chunk.js";
export {
  parseDocument,
  normalizeDate,
  SkipFileError,
  ExcludedFileError,
  SUPPORTED_EXTENSIONS,
  type ParsedDocument,
} from "./parse-document.js";

/** Default size cap per file; larger files are skipped with a reason. */
export const DEFAULT_MAX_FILE_BYTES = 20 * 1_048_576;
/** How long an index is trusted before the next search re-checks the folder (stat only). */
const DEFAULT_REFRESH_AFTER_MS = 60_000;
const DEFAULT_MAX_RESULTS = 8;
/** Searches remembered per provider (a report asks the same query for its outline and its section). */
const CACHED_SEARCHES = 256;
const DAY_MS = 86_400_000;

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
 * URL of a corpus document: the absolute `file:///…` URL of the file (percent-encoded by
 * `pathToFileURL`), so that a reader can open it from the report (Markdown, `--out x.html`) and
 * the HTTP server can serve it from its configured folders. `relativePath` uses `/`.
 */
export function corpusUrl(folder: string, relativePath: string): string {
  return pathToFileURL(path.join(folder, ...relativePath.split("/"))).href;
}

/** Where a corpus document is, as a reader recognises it: the corpus folder's name and the path inside it ("corpus/ai-agents/x.md"). */
export function corpusLocation(folder: string, relativePath: string): string {
  return `${path.basename(folder)}/${relativePath}`;
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
    skipped: all.flatMap((stats) =>
      stats.skipped.map((item) => ({ ...item, path: path.join(stats.folder, item.path) })),
    ),
    durationMs,
  };
}

function folderError(folder: string, error: unknown): ReportError {
  if (error instanceof ReportError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ReportError(
    "no_search_source",
    `Cannot index the corpus folder ${folder}: ${detail}. Check that the folder exists and is readable, or take it out of the corpus folders.`,
    { cause: error },
  );
}

/**
 * A SearchProvider (`name: "corpus"`) over local folders of Markdown, text, HTML and PDF.
 * Each folder's index is built lazily on the first search, persisted under `home`, and
 * refreshed incrementally (stat only when nothing changed). Hits are one per document with
 * its best passages as `content`, `published_at` from the document date (null = undated,
 * never filtered out by `days`).
 */
export function createCorpusSearch(options: CorpusSearchOptions): CorpusSearch {
  const {
    home,
    onWarning,
    maxFileBytes = DEFAULT_MAX_FILE_BYTES,
    now = () => new Date(),
    refreshAfterMs = DEFAULT_REFRESH_AFTER_MS,
  } = options;
  // The same folder named twice ("docs" and "./docs/", or by flag and setting) is searched once:
  // two indexes of one folder would share, and race on, one index directory.
  const folders = [...new Set(options.folders.map((folder) => path.resolve(folder)))];
  const indexes = folders.map((folder) => new CorpusIndex({ folder, home, maxFileBytes }));
  let refreshing: Promise<CorpusIndexStats> | null = null;
  let checkedAt = Number.NEGATIVE_INFINITY;
  /** What the latest refresh skipped, told to every search so each run reports it. */
  let skippedNotice: string | null = null;
  /** Results by query, window and size; emptied whenever a refresh changes what is indexed. */
  const cache = new Map<string, SearchHit[]>();

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
    const summed = sumStats(all, Math.round(performance.now() - started));
    if (summed.added + summed.updated + summed.removed > 0) cache.clear();
    return summed;
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
      if (refreshing || Date.now() - checkedAt > refreshAfterMs) {
        // The first search loads each index while the folders are checked; a failed preload is
        // retried (and reported) by the search itself.
        const preloads =
          checkedAt === Number.NEGATIVE_INFINITY ? indexes.map((index) => index.preload().catch(() => undefined)) : [];
        await Promise.all([refresh(request.signal), ...preloads]);
      }
      throwIfAborted(request.signal);
      if (skippedNotice) await request.onNotice?.(skippedNotice);
      const maxResults = request.maxResults ?? DEFAULT_MAX_RESULTS;
      const cutoffDay =
        request.days === undefined ? "any" : String(Math.floor((now().getTime() - request.days * DAY_MS) / DAY_MS));
      const key = `${request.query}\u0000${cutoffDay}\u0000${maxResults}`;
      const cached = cache.get(key);
      if (cached) return cached.map((hit) => ({ ...hit }));
      const perFolder = await Promise.all(
        indexes.map((index) =>
          index
            .search({ query: request.query, days: request.days, maxResults, now: now(), signal: request.signal })
            .then((hits) => hits.map((hit) => ({ hit, folder: index.folder }))),
        ),
      );
      const seen = new Set<string>();
      const hits: SearchHit[] = perFolder
        .flat()
        .sort((left, right) => right.hit.score - left.hit.score)
        .filter(({ hit }) => (seen.has(hit.hash) ? false : (seen.add(hit.hash), true)))
        .slice(0, maxResults)
        .map(({ hit, folder }) => ({
          title: hit.title,
          url: corpusUrl(folder, hit.file),
          location: corpusLocation(folder, hit.file),
          content: hit.content,
          published_at: hit.date,
          score: Math.round(hit.score * 1000) / 1000,
          provider: "corpus",
        }));
      if (cache.size >= CACHED_SEARCHES) cache.delete(cache.keys().next().value as string);
      cache.set(key, hits);
      return hits.map((hit) => ({ ...hit }));
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
  const index = new CorpusIndex({
    folder: options.folder,
    home: options.home,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  });
  try {
    return await index.refresh({ signal: options.signal, onProgress: options.onProgress });
  } catch (error) {
    throwIfAborted(options.signal);
    throw folderError(index.folder, error);
  }
}
