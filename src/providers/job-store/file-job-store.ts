import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { ERROR_TYPES } from "../../core/errors.js";
import { PIPELINE_STEPS, PROGRESS_STATUSES } from "../../core/events.js";
import type { JobRecord, JobSnapshot, JobStore } from "../../core/jobs/index.js";
import { TASK_TYPES, taskParamsSchema } from "../../core/params.js";
import { reportErrorSchema, reportResultSchema } from "../../core/result.js";

const outlineSchema = z.object({
  title: z.string(),
  sections: z.array(z.object({ id: z.number(), name: z.string(), goal: z.string(), queries: z.array(z.string()) })),
});

const eventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("progress"),
    status: z.enum(PROGRESS_STATUSES),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    progress: z.number(),
  }),
  z.object({
    type: z.literal("model_usage"),
    step: z.enum(PIPELINE_STEPS),
    model_provider: z.string(),
    model_name: z.string(),
    input_tokens: z.number(),
    output_tokens: z.number(),
    estimated: z.boolean(),
  }),
]);

const recordSchema = z.discriminatedUnion("kind", [
  z.object({ seq: z.number().int(), time: z.string(), kind: z.literal("started") }),
  z.object({ seq: z.number().int(), time: z.string(), kind: z.literal("event"), event: eventSchema }),
  z.object({ seq: z.number().int(), time: z.string(), kind: z.literal("result"), result: reportResultSchema }),
  z.object({ seq: z.number().int(), time: z.string(), kind: z.literal("error"), error: reportErrorSchema }),
]);

const snapshotSchema = z.object({
  id: z.string().min(1),
  status: z.enum(["running", "awaiting_confirmation", "completed", "failed", "cancelled"]),
  task: z.string(),
  task_type: z.enum(TASK_TYPES),
  params: taskParamsSchema,
  request_id: z.union([z.string(), z.number()]).nullish(),
  start_time: z.string(),
  end_time: z.string().nullable(),
  progress: z.number(),
  message: z.string(),
  current_status: z.enum(PROGRESS_STATUSES).nullable(),
  outline: outlineSchema.nullable(),
  sections: z.array(z.object({ id: z.number(), name: z.string(), content: z.string() })),
  result: reportResultSchema.nullable(),
  error: reportErrorSchema.nullable(),
  last_seq: z.number().int(),
});

const fileSchema = z.object({
  version: z.literal(1),
  /** Process id of the server that wrote the file last. */
  owner: z.number().int().optional(),
  snapshot: snapshotSchema,
  records: z.array(recordSchema),
});
type JobFile = z.infer<typeof fileSchema>;

/**
 * Validates a session file. The parsed JSON itself is kept (not zod's output) so that a restored
 * result serialises byte for byte as it was first streamed (zod would reorder object keys).
 */
function isJobFile(value: unknown): value is JobFile {
  return fileSchema.safeParse(value).success;
}

/**
 * Persists each session as one JSON file under `<home>/sessions/`, written atomically
 * (temp file + rename) so a crash never leaves a half-written session.
 */
export class FileJobStore implements JobStore {
  readonly #directory: () => Promise<string>;
  readonly #log: (line: string) => void;

  /** `directory` may be resolved lazily (the stdio server learns its data directory after start-up). */
  readonly #owner: number;
  readonly #isAlive: (pid: number) => boolean;

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
    this.#directory = typeof directory === "string" ? async () => directory : directory;
    this.#log = options.log ?? (() => undefined);
  }

  /** File name for a session id: the id itself when it is filename-safe, else its hash. */
  async fileFor(id: string): Promise<string> {
    const safe = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(id) ? id : `h-${createHash("sha256").update(id).digest("hex").slice(0, 32)}`;
    return path.join(await this.#directory(), `${safe}.json`);
  }

  async save(snapshot: JobSnapshot, records: JobRecord[]): Promise<void> {
    await mkdir(await this.#directory(), { recursive: true, mode: 0o700 });
    const target = await this.fileFor(snapshot.id);
    const temporary = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify({ version: 1, owner: this.#owner, snapshot, records }), { mode: 0o600 });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async loadAll(): Promise<Array<{ snapshot: JobSnapshot; records: JobRecord[]; liveElsewhere: boolean }>> {
    const directory = await this.#directory();
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
      throw error;
    }
    const entries: Array<{ snapshot: JobSnapshot; records: JobRecord[]; liveElsewhere: boolean }> = [];
    for (const name of names) {
      const file = path.join(directory, name);
      if (name.endsWith(".tmp")) {
        // Left by a crash; a fresh one may be another process's write in progress.
        if (await isStale(file)) await rm(file, { force: true });
        continue;
      }
      if (!name.endsWith(".json")) continue;
      try {
        const value: unknown = JSON.parse(await readFile(file, "utf8"));
        if (isJobFile(value)) {
          const liveElsewhere = value.owner !== undefined && value.owner !== this.#owner && this.#isAlive(value.owner);
          entries.push({ snapshot: { ...value.snapshot, request_id: value.snapshot.request_id ?? null }, records: value.records, liveElsewhere });
        }
        else this.#log(`report-mcp: skipped unreadable session file ${file}: not a report-mcp session (or from an incompatible version)`);
      } catch (error) {
        this.#log(`report-mcp: skipped unreadable session file ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return entries;
  }

  async remove(id: string): Promise<void> {
    await rm(await this.fileFor(id), { force: true });
  }
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
