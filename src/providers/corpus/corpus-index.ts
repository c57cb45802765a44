import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import MiniSearch, { type Options as MiniSearchOptions, type SearchResult } from "minisearch";
import pLimit from "p-limit";
import { throwIfAborted } from "../../core/errors.js";
import { createCachedTokenizer } from "../../core/text/tokenize.js";
import { chunkText } from "./chunk.js";
import { ExcludedFileError, parseDocument, SkipFileError } from "./parse-document.js";
import {
  hashBytes,
  indexDirectory,
  INDEX_FORMAT_VERSION,
  type Manifest,
  type ManifestEntry,
  readIndexText,
  readManifest,
  writeIndexFiles,
} from "./store.js";
import { walkCorpus, type CorpusFile } from "./walk.js";

/** Outcome of building or refreshing one folder's index. */
export type CorpusIndexStats = {
  folder: string;
  /** Indexed files (skipped ones not counted). */
  files: number;
  chunks: number;
  added: number;
  updated: number;
  removed: number;
  /** Files whose content was not re-indexed (same size and mtime, or same hash). */
  unchanged: number;
  /** Files whose bytes were read in this refresh (0 when nothing changed). */
  read: number;
  skipped: Array<{ path: string; reason: string }>;
  durationMs: number;
};

/** One stored passage. */
type ChunkDocument = { id: string; file: string; title: string; date: string | null; text: string; position: number };

/** The best passages of one file for a query. */
export type CorpusFileHit = {
  file: string;
  title: string;
  date: string | null;
  content: string;
  score: number;
  hash: string;
};

const DAY_MS = 86_400_000;
const READ_CONCURRENCY = 8;
const STORED_FIELDS = ["file", "title", "date", "text", "position"];

/** MiniSearch options; the tokenizer is per index (it memoizes English words). */
const miniSearchOptions = (tokenize: (text: string) => string[]): MiniSearchOptions<ChunkDocument> => ({
  idField: "id",
  fields: ["title", "text"],
  storeFields: STORED_FIELDS,
  tokenize: (text) => tokenize(text),
  processTerm: (term) => term,
  searchOptions: {
    boost: { title: 2 },
    combineWith: "OR",
  },
});

function chunkId(file: string, position: number): string {
  return `${file}#${position}`;
}

function errorCode(error: unknown): string {
  return error instanceof Error && "code" in error
    ? String(error.code)
    : error instanceof Error
      ? error.message
      : String(error);
}

/**
 * The persisted full-text index of one corpus folder. `refresh` is incremental (stat first,
 * hash only for changed size/mtime, parse only for changed content); `search` is synchronous
 * over the in-memory index.
 */
export class CorpusIndex {
  readonly folder: string;
  private readonly directory: string;
  private readonly maxFileBytes: number;
  private manifest: Manifest | null = null;
  private engine: MiniSearch<ChunkDocument> | null = null;
  private loading: Promise<{ engine: MiniSearch<ChunkDocument>; fresh: boolean }> | null = null;
  /** True while the in-memory engine was started empty because index.json was missing or corrupt. */
  private emptyEngine = false;
  /** Set when index.json turned out missing or corrupt behind a valid manifest. */
  private rebuildNeeded = false;
  private readonly options = miniSearchOptions(createCachedTokenizer());

  constructor(options: { folder: string; home: string; maxFileBytes: number }) {
    this.folder = path.resolve(options.folder);
    this.directory = indexDirectory(options.home, this.folder);
    this.maxFileBytes = options.maxFileBytes;
  }

  /** Loads the index from disk (or starts an empty one when missing or unreadable); one load at a time. */
  private loadEngine(): Promise<{ engine: MiniSearch<ChunkDocument>; fresh: boolean }> {
    if (this.engine) return Promise.resolve({ engine: this.engine, fresh: this.emptyEngine });
    this.loading ??= (async () => {
      const text = await readIndexText(this.directory);
      let loaded: MiniSearch<ChunkDocument> | null = null;
      if (text !== null) {
        try {
          loaded = MiniSearch.loadJSON<ChunkDocument>(text, this.options);
        } catch {
          // Corrupt index: rebuilt from scratch below.
        }
      }
      // A refresh that started over while this load ran has the newer engine: keep it.
      if (this.engine) return { engine: this.engine, fresh: this.emptyEngine };
      this.engine = loaded ?? new MiniSearch<ChunkDocument>(this.options);
      this.emptyEngine = loaded === null;
      return { engine: this.engine, fresh: this.emptyEngine };
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /**
   * Starts loading the persisted index into memory (CPU-bound JSON parsing) so that it overlaps a
   * refresh's `stat` walk (I/O); the first search then finds it loaded.
   */
  preload(): Promise<void> {
    return this.loadEngine().then(() => undefined);
  }

  /** Brings the index up to date with the folder and persists it when anything changed. */
  async refresh(
    options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<CorpusIndexStats> {
    const started = performance.now();
    const { signal, onProgress } = options;
    const stat = await fs.stat(this.folder).catch(() => null);
    if (!stat) throw new Error(`corpus folder ${this.folder} does not exist`);
    if (!stat.isDirectory())
      throw new Error(`${this.folder} is a file, not a folder; give the folder that holds the documents`);
    const walk = await walkCorpus({ root: this.folder, signal });
    let previous = this.rebuildNeeded ? null : (this.manifest ?? (await readManifest(this.directory, this.folder)));
    this.rebuildNeeded = false;
    const stats: CorpusIndexStats = {
      folder: this.folder,
      files: 0,
      chunks: 0,
      added: 0,
      updated: 0,
      removed: 0,
      unchanged: 0,
      read: 0,
      skipped: [...walk.skipped],
      durationMs: 0,
    };
    const next: Manifest = { version: INDEX_FORMAT_VERSION, folder: this.folder, files: {} };
    const plan = (manifest: Manifest | null) => {
      const toRead: CorpusFile[] = [];
      for (const file of walk.files) {
        const entry = manifest?.files[file.relativePath];
        if (!(entry && entry.size === file.size && entry.mtimeMs === file.mtimeMs)) toRead.push(file);
      }
      const present = new Set(walk.files.map((file) => file.relativePath));
      const removed = Object.keys(manifest?.files ?? {}).filter((file) => !present.has(file));
      return { toRead, removed };
    };
    let { toRead, removed } = plan(previous);
    let engine: MiniSearch<ChunkDocument> | null = null;
    if (previous === null) {
      // No usable manifest: whatever index.json holds cannot be trusted; start over.
      this.engine = new MiniSearch<ChunkDocument>(this.options);
      this.emptyEngine = false;
      engine = this.engine;
    } else if (toRead.length > 0 || removed.length > 0) {
      const loaded = await this.loadEngine();
      engine = loaded.engine;
      if (loaded.fresh && previous !== null && Object.keys(previous.files).length > 0) {
        previous = null; // the manifest points at an index we no longer have: re-read everything
        this.emptyEngine = false;
        ({ toRead, removed } = plan(previous));
      }
    }
    const readSet = new Set(toRead.map((file) => file.relativePath));
    let done = 0;
    const total = walk.files.length;
    const newDocuments: ChunkDocument[] = [];
    const discard = (file: string, entry: ManifestEntry | undefined) => {
      for (let position = 0; position < (entry?.chunks ?? 0); position += 1) {
        const id = chunkId(file, position);
        if (engine?.has(id)) engine.discard(id);
      }
    };
    for (const file of walk.files) {
      if (readSet.has(file.relativePath)) continue;
      const entry = previous?.files[file.relativePath];
      if (entry) next.files[file.relativePath] = entry;
      // Only indexed files count, so that files = added + updated + unchanged (excluded and skipped ones are not files).
      if (entry && !entry.skipped && !entry.excluded) stats.unchanged += 1;
      done += 1;
    }
    onProgress?.(done, total);
    const limit = pLimit(READ_CONCURRENCY);
    await Promise.all(
      toRead.map((file) =>
        limit(async () => {
          throwIfAborted(signal);
          const entry = previous?.files[file.relativePath];
          const base = { size: file.size, mtimeMs: file.mtimeMs, hash: "", title: "", date: null, chunks: 0 };
          const skip = (reason: string) => {
            discard(file.relativePath, entry);
            next.files[file.relativePath] = { ...base, skipped: reason };
            if (entry && !entry.skipped && !entry.excluded) stats.removed += 1;
          };
          if (file.size > this.maxFileBytes) {
            skip(
              `larger than ${Math.round(this.maxFileBytes / 1_048_576)} MB (${(file.size / 1_048_576).toFixed(1)} MB)`,
            );
          } else {
            let bytes: Uint8Array | null = null;
            try {
              // Synchronous reads of small files beat the thread-pool round trips of fs.promises
              // (open, fstat, read, close) several times over; each is one short blocking call.
              bytes = readFileSync(file.absolutePath);
              stats.read += 1;
            } catch (error) {
              throwIfAborted(signal);
              skip(`cannot read the file (${errorCode(error)})`);
            }
            if (bytes) await this.indexFile({ file, bytes, entry, next, stats, newDocuments, discard, skip });
          }
          done += 1;
          onProgress?.(done, total);
        }),
      ),
    );
    throwIfAborted(signal);
    for (const file of removed) {
      const entry = previous?.files[file];
      discard(file, entry);
      if (entry && !entry.skipped && !entry.excluded) stats.removed += 1;
    }
    const changedContent = newDocuments.length > 0 || stats.updated > 0 || stats.removed > 0 || previous === null;
    if (engine && newDocuments.length > 0) engine.addAll(newDocuments);
    for (const [file, entry] of Object.entries(next.files)) {
      if (entry.excluded) continue;
      if (entry.skipped) stats.skipped.push({ path: file, reason: entry.skipped });
      else {
        stats.files += 1;
        stats.chunks += entry.chunks;
      }
    }
    const manifestChanged = toRead.length > 0 || removed.length > 0 || previous === null;
    if (manifestChanged) {
      await writeIndexFiles({
        directory: this.directory,
        manifest: next,
        indexText: changedContent && engine ? JSON.stringify(engine) : undefined,
      });
    }
    this.manifest = next;
    stats.skipped.sort((left, right) => left.path.localeCompare(right.path));
    stats.durationMs = Math.round(performance.now() - started);
    return stats;
  }

  private async indexFile(input: {
    file: CorpusFile;
    bytes: Uint8Array;
    entry: ManifestEntry | undefined;
    next: Manifest;
    stats: CorpusIndexStats;
    newDocuments: ChunkDocument[];
    discard: (file: string, entry: ManifestEntry | undefined) => void;
    skip: (reason: string) => void;
  }): Promise<void> {
    const { file, bytes, entry, next, stats } = input;
    const hash = hashBytes(bytes);
    if (entry && !entry.skipped && !entry.excluded && entry.hash === hash) {
      next.files[file.relativePath] = { ...entry, size: file.size, mtimeMs: file.mtimeMs };
      stats.unchanged += 1;
      return;
    }
    try {
      const parsed = await parseDocument({ filePath: file.absolutePath, bytes });
      const chunks = chunkText(parsed.text);
      input.discard(file.relativePath, entry);
      chunks.forEach((text, position) => {
        input.newDocuments.push({
          id: chunkId(file.relativePath, position),
          file: file.relativePath,
          title: parsed.title,
          date: parsed.date,
          text,
          position,
        });
      });
      next.files[file.relativePath] = {
        size: file.size,
        mtimeMs: file.mtimeMs,
        hash,
        title: parsed.title,
        date: parsed.date,
        chunks: chunks.length,
      };
      if (entry && !entry.skipped && !entry.excluded) stats.updated += 1;
      else stats.added += 1;
    } catch (error) {
      if (error instanceof ExcludedFileError) {
        input.discard(file.relativePath, entry);
        next.files[file.relativePath] = {
          size: file.size,
          mtimeMs: file.mtimeMs,
          hash,
          title: "",
          date: null,
          chunks: 0,
          excluded: true,
        };
        if (entry && !entry.skipped && !entry.excluded) stats.removed += 1;
      } else if (error instanceof SkipFileError) input.skip(error.message);
      else input.skip(`could not parse the file (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /**
   * Searches the loaded index: one hit per file (its best one or two passages, in document
   * order), identical files collapsed, `days` counted back from `now` to the start of that
   * UTC day. An undated file is judged by its modification time; its hit stays undated (the
   * report says when undated documents were used).
   */
  async search(options: {
    query: string;
    days?: number;
    maxResults: number;
    now: Date;
    signal?: AbortSignal;
  }): Promise<CorpusFileHit[]> {
    let loaded = await this.loadEngine();
    if (loaded.fresh && Object.values(this.manifest?.files ?? {}).some((entry) => entry.chunks > 0)) {
      // The manifest lists indexed files but index.json was missing or corrupt: rebuild once.
      this.rebuildNeeded = true;
      await this.refresh({ signal: options.signal });
      loaded = await this.loadEngine();
    }
    const engine = loaded.engine;
    const cutoff =
      options.days === undefined ? null : Math.floor((options.now.getTime() - options.days * DAY_MS) / DAY_MS) * DAY_MS;
    const files = this.manifest?.files ?? {};
    const filter = (result: SearchResult): boolean => {
      if (cutoff === null) return true;
      if (typeof result.date === "string") return Date.parse(result.date) >= cutoff;
      const modified = files[String(result.file)]?.mtimeMs;
      return modified === undefined || modified >= cutoff;
    };
    let results = engine.search(options.query, { filter });
    if (new Set(results.slice(0, options.maxResults * 5).map((result) => result.file)).size < options.maxResults) {
      // Few exact matches: retry prefix-tolerant for longer Latin terms ("agent" finds "agentic").
      // CJK words always match exactly. Exact-first keeps the common case fast.
      results = engine.search(options.query, { filter, prefix: (term) => term.length >= 4 && /^[a-z]/.test(term) });
    }
    const byFile = new Map<
      string,
      Array<{ text: string; position: number; score: number; title: string; date: string | null }>
    >();
    // Only the leading results can make the top files; the long tail is not worth grouping.
    for (const result of results.slice(0, options.maxResults * 5)) {
      const file = String(result.file);
      const list = byFile.get(file) ?? [];
      if (list.length < 2) {
        list.push({
          text: String(result.text),
          position: Number(result.position),
          score: result.score,
          title: String(result.title),
          date: typeof result.date === "string" ? result.date : null,
        });
        byFile.set(file, list);
      }
    }
    const hits: CorpusFileHit[] = [];
    const seenContent = new Set<string>();
    for (const [file, passages] of byFile) {
      const best = passages[0];
      if (!best) continue;
      const chosen = passages
        .filter((passage) => passage.score >= best.score * 0.5)
        .sort((left, right) => left.position - right.position);
      const hash = this.manifest?.files[file]?.hash ?? file;
      const content = chosen.map((passage) => passage.text).join("\n\n");
      if (seenContent.has(hash) || seenContent.has(content)) continue;
      seenContent.add(hash);
      seenContent.add(content);
      hits.push({ file, title: best.title, date: best.date, content, score: best.score, hash });
      if (hits.length >= options.maxResults) break;
    }
    return hits;
  }
}
