import { randomUUID } from "node:crypto";
import type { CreateTaskOptions, TaskStore } from "@modelcontextprotocol/sdk/experimental/tasks";
import type { Request, RequestId, Result, Task } from "@modelcontextprotocol/sdk/types.js";
import { cancelledError } from "../core/errors.js";
import type { JobRegistry } from "../core/jobs/index.js";
import { errorResult } from "./tool-output.js";

/**
 * MCP Tasks over the job registry (a small seam: SDK 1.32's tasks API is experimental and the
 * 2026-07-28 spec moves tasks to an extension).
 *
 * A task is linked to the report job that does its work, so `tasks/get` shows the job's
 * progress message and `tasks/cancel` cancels the job (the SDK only flips the stored status).
 * Besides task-augmented calls the SDK also makes a hidden task for a plain `generate_report`
 * call and polls it; those get a short poll interval so the result is not held back.
 */

/** Poll interval advertised to clients that asked for a task. */
export const TASK_POLL_INTERVAL_MS = 1000;
/** Poll interval of the SDK's own loop for plain (non-task) calls of a task-capable tool. */
const INTERNAL_POLL_INTERVAL_MS = 50;
/** How long an ended task stays readable when the client asked for no ttl. */
const DEFAULT_TTL_MS = 60 * 60 * 1000;
/** Hidden tasks of plain calls are dropped soon after they end. */
const INTERNAL_TTL_MS = 60 * 1000;

type Entry = {
  task: Task;
  result: Result | null;
  jobId: string | null;
  sessionId: string | undefined;
  /** false for the SDK's hidden task behind a plain (non-task) call. */
  requested: boolean;
  timer?: NodeJS.Timeout;
};

const TERMINAL: ReadonlySet<Task["status"]> = new Set(["completed", "failed", "cancelled"]);

/** The SDK TaskStore of one server connection, each task linked to a report job. */
export class JobTaskStore implements TaskStore {
  readonly #entries = new Map<string, Entry>();
  readonly #jobs: JobRegistry;

  constructor(options: { jobs: JobRegistry }) {
    this.#jobs = options.jobs;
  }

  /** Ties a task to the job doing its work. */
  link(taskId: string, jobId: string): void {
    const entry = this.#entries.get(taskId);
    if (entry) entry.jobId = jobId;
  }

  /** Whether the client asked for this task (false: the SDK's hidden task behind a plain call). */
  isRequested(taskId: string): boolean {
    return this.#entries.get(taskId)?.requested ?? false;
  }

  /** Sets the result a following `cancelled` status update keeps (e.g. "the outline was rejected"). */
  presetResult(taskId: string, result: Result): void {
    const entry = this.#entries.get(taskId);
    if (entry && !TERMINAL.has(entry.task.status)) entry.result = result;
  }

  async createTask(
    taskParams: CreateTaskOptions,
    _requestId: RequestId,
    request: Request,
    sessionId?: string,
  ): Promise<Task> {
    const requested = typeof request.params === "object" && request.params !== null && "task" in request.params;
    const now = new Date().toISOString();
    const task: Task = {
      taskId: randomUUID(),
      status: "working",
      ttl: requested ? (taskParams.ttl ?? DEFAULT_TTL_MS) : INTERNAL_TTL_MS,
      createdAt: now,
      lastUpdatedAt: now,
      pollInterval: requested ? (taskParams.pollInterval ?? TASK_POLL_INTERVAL_MS) : INTERNAL_POLL_INTERVAL_MS,
    };
    this.#entries.set(task.taskId, { task, result: null, jobId: null, sessionId, requested });
    return { ...task };
  }

  async getTask(taskId: string, sessionId?: string): Promise<Task | null> {
    const entry = this.#lookup(taskId, sessionId);
    if (!entry) return null;
    const task = { ...entry.task };
    if (!TERMINAL.has(task.status) && entry.jobId) {
      const snapshot = await this.#jobs.get(entry.jobId);
      if (snapshot?.message) task.statusMessage = `${Math.round(snapshot.progress)}% · ${snapshot.message}`;
      // The outline is before the person (elicitation): the task waits on its requester.
      if (snapshot?.status === "awaiting_confirmation") task.status = "input_required";
    }
    return task;
  }

  async storeTaskResult(
    taskId: string,
    status: "completed" | "failed",
    result: Result,
    sessionId?: string,
  ): Promise<void> {
    const entry = this.#require(taskId, sessionId);
    if (TERMINAL.has(entry.task.status)) throw new Error(`Task ${taskId} already ended (${entry.task.status}).`);
    entry.result = result;
    this.#setStatus(entry, status);
  }

  async getTaskResult(taskId: string, sessionId?: string): Promise<Result> {
    const entry = this.#require(taskId, sessionId);
    if (!entry.result) throw new Error(`Task ${taskId} has no result yet.`);
    return entry.result;
  }

  async updateTaskStatus(
    taskId: string,
    status: Task["status"],
    statusMessage?: string,
    sessionId?: string,
  ): Promise<void> {
    const entry = this.#require(taskId, sessionId);
    if (TERMINAL.has(entry.task.status)) throw new Error(`Task ${taskId} already ended (${entry.task.status}).`);
    if (statusMessage) entry.task.statusMessage = statusMessage;
    if (status === "cancelled") {
      entry.result ??= errorResult(cancelledError());
      if (entry.jobId) await this.#jobs.cancel(entry.jobId);
    }
    this.#setStatus(entry, status);
  }

  /** The tasks the client asked for (the SDK's hidden tasks behind plain calls are not the client's to see). */
  async listTasks(cursor?: string, sessionId?: string): Promise<{ tasks: Task[]; nextCursor?: string }> {
    const visible = [...this.#entries.values()].filter((entry) => entry.requested && this.#visible(entry, sessionId));
    const start = cursor ? visible.findIndex((entry) => entry.task.taskId === cursor) + 1 : 0;
    if (cursor && start === 0) throw new Error(`Unknown cursor ${cursor}.`);
    const page = visible.slice(start, start + 50);
    const tasks = await Promise.all(page.map((entry) => this.getTask(entry.task.taskId, sessionId)));
    const last = page[page.length - 1];
    return {
      tasks: tasks.filter((task): task is Task => task !== null),
      ...(start + page.length < visible.length && last ? { nextCursor: last.task.taskId } : {}),
    };
  }

  /** Forgets every task (server shutdown). */
  clear(): void {
    for (const entry of this.#entries.values()) clearTimeout(entry.timer);
    this.#entries.clear();
  }

  #setStatus(entry: Entry, status: Task["status"]): void {
    entry.task.status = status;
    entry.task.lastUpdatedAt = new Date().toISOString();
    if (TERMINAL.has(status) && entry.task.ttl) {
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => this.#entries.delete(entry.task.taskId), entry.task.ttl);
      entry.timer.unref();
    }
  }

  #visible(entry: Entry, sessionId: string | undefined): boolean {
    return sessionId === undefined || entry.sessionId === undefined || entry.sessionId === sessionId;
  }

  #lookup(taskId: string, sessionId: string | undefined): Entry | undefined {
    const entry = this.#entries.get(taskId);
    return entry && this.#visible(entry, sessionId) ? entry : undefined;
  }

  #require(taskId: string, sessionId: string | undefined): Entry {
    const entry = this.#lookup(taskId, sessionId);
    if (!entry) throw new Error(`Task ${taskId} not found (it may have expired).`);
    return entry;
  }
}
