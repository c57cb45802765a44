import { createHash, randomBytes } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, writeSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  replayRecords,
  type JobHeader,
  type JobRecord,
  type JobSnapshot,
  type JobStore,
  type StoredJob,
} from "../../core/jobs/index.js";
import { headerOf, isCompactFile, isJobRecord, isLogHead } from "./session-schema.js";

type PendingLine = { header: JobHeader; record: JobRecord };

/**
 * Persists each session under `<home>/sessions/` as a write-ahead log while it runs and as one
 * compact file once it has ended:
 *
 * - `<id>.jsonl`: a head line (`{version: 2, owner, header}`) and then one record per line, each
 *   written to the kernel (`write(2)`, no fsync) before `append` returns — so before any client
 *   sees it. A crash of the process (kill -9, out of memory) loses nothing a client saw; a power
 *   loss may lose what the OS had not yet written out.
 * - `<id>.json`: written atomically (temp file + rename) when the session ends; its log is then
 *   deleted. Files are private to their owner (0600, folder 0700).
 *
 * On load, a torn last line (a crash mid-write: never delivered) is cut off, and an ended log
 * whose compaction a crash interrupted is compacted.
 */
export class FileJobStore implements JobStore {
  readonly #directory: () => Promise<string>;
  readonly #log: (line: string) => void;
  readonly #owner: number;
  readonly #isAlive: (pid: number) => boolean;
  /** The folder, once known (the stdio server learns it after start-up). */
  #resolved: string | null = null;
  #resolving: Promise<string> | null = null;
  #folderMade = false;
  /** Open log files of running sessions. */
  readonly #open = new Map<string, number>();
  /** Records appended before the folder was known, written as soon as it is. */
  readonly #waiting: PendingLine[] = [];

  /**
   * `directory` may be resolved lazily (the stdio server learns its data directory after start-up).
   * `owner` (default: this process) is recorded in every file, so that another server sharing the
   * folder leaves the jobs of a live owner alone and marks those of a dead one interrupted.
   */
  constructor(options: {
    directory: string | (() => Promise<string>);
    log?: (line: string) => void;
    owner?: number;
    isAlive?: (pid: number) => boolean;
  }) {
    const { directory } = options;
    this.#owner = options.owner ?? process.pid;
    this.#isAlive = options.isAlive ?? isProcessAlive;
    if (typeof directory === "string") this.#resolved = directory;
    this.#directory = typeof directory === "string" ? async () => directory : directory;
    this.#log = options.log ?? (() => undefined);
  }

  /** File name of an ended session: the id itself when it is filename-safe, else its hash. */
  async fileFor(id: string): Promise<string> {
    return path.join(await this.#folder(), `${fileStem(id)}.json`);
  }

  /** File name of a session's write-ahead log. */
  async logFor(id: string): Promise<string> {
    return path.join(await this.#folder(), `${fileStem(id)}.jsonl`);
  }

  append(header: JobHeader, record: JobRecord): void {
    if (this.#resolved === null) {
      this.#waiting.push({ header, record });
      void this.#folder().catch((error: unknown) =>
        this.#log(`report-mcp: sessions cannot be saved: ${reasonOf(error)}`),
      );
      return;
    }
    this.#write(this.#resolved, header, record);
  }

  async save(snapshot: JobSnapshot, records: JobRecord[]): Promise<void> {
    const directory = await this.#folder();
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const target = path.join(directory, `${fileStem(snapshot.id)}.json`);
    const temporary = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify({ version: 1, owner: this.#owner, snapshot, records }), {
        mode: 0o600,
      });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    this.#closeLog(snapshot.id);
    await rm(path.join(directory, `${fileStem(snapshot.id)}.jsonl`), { force: true });
  }

  async loadAll(): Promise<StoredJob[]> {
    const directory = await this.#folder();
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
      throw error;
    }
    const present = new Set(names);
    const entries: StoredJob[] = [];
    for (const name of names) {
      const file = path.join(directory, name);
      try {
        if (name.endsWith(".tmp")) {
          // Left by a crash; a fresh one may be another process's write in progress.
          if (await isStale(file)) await rm(file, { force: true });
        } else if (name.endsWith(".json")) {
          const entry = await this.#readCompact(file);
          if (entry) entries.push(entry);
        } else if (name.endsWith(".jsonl")) {
          // A compact file next to its log: the compaction finished, the crash came before the delete.
          if (present.has(name.replace(/\.jsonl$/, ".json"))) await rm(file, { force: true });
          else {
            const entry = await this.#readLog(file);
            if (entry) entries.push(entry);
          }
        }
      } catch (error) {
        this.#log(`report-mcp: skipped unreadable session file ${file}: ${reasonOf(error)}`);
      }
    }
    return entries;
  }

  async remove(id: string): Promise<void> {
    this.#closeLog(id);
    const directory = await this.#folder();
    await rm(path.join(directory, `${fileStem(id)}.json`), { force: true });
    await rm(path.join(directory, `${fileStem(id)}.jsonl`), { force: true });
  }

  /** Appends one record (and the head line first, for a new log) with synchronous writes. */
  #write(directory: string, header: JobHeader, record: JobRecord): void {
    let fd = this.#open.get(header.id);
    let text = `${JSON.stringify(record)}\n`;
    try {
      if (fd === undefined) {
        if (!this.#folderMade) {
          mkdirSync(directory, { recursive: true, mode: 0o700 });
          this.#folderMade = true;
        }
        const file = path.join(directory, `${fileStem(header.id)}.jsonl`);
        try {
          fd = openSync(file, "a", 0o600);
        } catch (error) {
          // The folder was removed while the server ran: make it again, once.
          if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error;
          mkdirSync(directory, { recursive: true, mode: 0o700 });
          fd = openSync(file, "a", 0o600);
        }
        this.#open.set(header.id, fd);
        if (fstatSync(fd).size === 0) text = `${JSON.stringify({ version: 2, owner: this.#owner, header })}\n${text}`;
      }
      writeAll(fd, text);
    } catch (error) {
      this.#closeLog(header.id);
      throw error;
    }
    if (record.kind === "result" || record.kind === "error") this.#closeLog(header.id);
  }

  #closeLog(id: string): void {
    const fd = this.#open.get(id);
    if (fd === undefined) return;
    this.#open.delete(id);
    try {
      closeSync(fd);
    } catch {
      // Already closed or invalid: nothing more to release.
    }
  }

  #folder(): Promise<string> {
    if (this.#resolved !== null) return Promise.resolve(this.#resolved);
    this.#resolving ??= this.#directory().then(
      (directory) => {
        this.#resolved = directory;
        for (const pending of this.#waiting.splice(0)) {
          try {
            this.#write(directory, pending.header, pending.record);
          } catch (error) {
            this.#log(`report-mcp: could not write session ${pending.header.id} to disk: ${reasonOf(error)}`);
          }
        }
        return directory;
      },
      (error: unknown) => {
        this.#resolving = null;
        throw error;
      },
    );
    return this.#resolving;
  }

  async #readCompact(file: string): Promise<StoredJob | null> {
    const value: unknown = JSON.parse(await readFile(file, "utf8"));
    if (!isCompactFile(value)) {
      this.#log(
        `report-mcp: skipped unreadable session file ${file}: not a report-mcp session (or from an incompatible version)`,
      );
      return null;
    }
    return {
      header: headerOf(value.snapshot),
      records: value.records,
      liveElsewhere: this.#liveElsewhere(value.owner),
    };
  }

  async #readLog(file: string): Promise<StoredJob | null> {
    const text = await readFile(file, "utf8");
    const lines = text.split("\n");
    if (lines.length < 2) {
      // Not even the head line was written whole: the session's first write was cut, nothing was delivered.
      if (await isStale(file)) await rm(file, { force: true });
      return null;
    }
    const head: unknown = parseLine(lines[0] ?? "");
    if (!isLogHead(head)) {
      this.#log(
        `report-mcp: skipped unreadable session file ${file}: not a report-mcp session log (or from an incompatible version)`,
      );
      return null;
    }
    const liveElsewhere = this.#liveElsewhere(head.owner);
    const records: JobRecord[] = [];
    let goodLength = Buffer.byteLength(lines[0] ?? "") + 1;
    // The last element is what follows the final newline: "" for a whole log, a torn line otherwise.
    for (const line of lines.slice(1, -1)) {
      const record: unknown = parseLine(line);
      if (!isJobRecord(record) || record.seq !== records.length + 1) break;
      records.push(record);
      goodLength += Buffer.byteLength(line) + 1;
    }
    const header = headerOf(head.header);
    const { snapshot } = replayRecords(header, records);
    if (!liveElsewhere) {
      // A torn or damaged tail was never delivered (records reach clients only once written whole).
      if (goodLength < Buffer.byteLength(text)) await truncate(file, goodLength);
      if (snapshot.end_time !== null) await this.save(snapshot, records);
    }
    return { header, records, liveElsewhere };
  }

  #liveElsewhere(owner: number | undefined): boolean {
    return owner !== undefined && owner !== this.#owner && this.#isAlive(owner);
  }
}

/** The id itself when it is filename-safe, else its hash. */
function fileStem(id: string): string {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(id)
    ? id
    : `h-${createHash("sha256").update(id).digest("hex").slice(0, 32)}`;
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function isStale(file: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs > 60_000;
  } catch {
    return false; // already renamed or removed by its writer
  }
}

/** Whether a process with this id exists (EPERM: it exists but belongs to another user). */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}
