import type { CreateTaskRequestHandlerExtra } from "@modelcontextprotocol/sdk/experimental/tasks";
import {
  CallToolResultSchema,
  ElicitResultSchema,
  RELATED_TASK_META_KEY,
  type CallToolResult,
  type ElicitRequestFormParams,
  type ServerNotification,
  type Task,
} from "@modelcontextprotocol/sdk/types.js";
import { ReportError } from "../core/errors.js";
import type { JobSnapshot, StartJobOptions } from "../core/jobs/index.js";
import { taskParamsSchema, type TaskParams } from "../core/params.js";
import { reportResultSchema } from "../core/result.js";
import { createElicitConfirm, type Elicit } from "./elicit-outline.js";
import { reportUri } from "./report-resources.js";
import { createRequestNotifier } from "./request-notifier.js";
import { clientSupportsFormElicitation, type ToolContext } from "./tool-context.js";
import { errorResult, outputSchemaWithError } from "./tool-output.js";

const DESCRIPTION = [
  "Research a topic and write a cited Markdown report (intent → outline → parallel web/corpus search → quality",
  "assessment with gap-filling → section writing → executive summary). Takes minutes: send a progressToken to get",
  "progress (and use resetTimeoutOnProgress), or call it as an MCP task. Hosts that cut calls off after ~60 s should",
  "use start_report + get_report instead. Returns the report as text and as structured content (sections, sources,",
  "quality scores, token usage); a failed run returns isError with {type, message}.",
].join(" ");

/** The tool result of a finished job: the report (or its typed error). */
export function finalToolResult(snapshot: JobSnapshot): CallToolResult {
  if (snapshot.status === "completed" && snapshot.result) {
    const parsed = reportResultSchema.safeParse(snapshot.result);
    if (!parsed.success) {
      return errorResult(
        new ReportError(
          "report_generation_failed",
          `The finished report did not match its schema (${parsed.error.issues[0]?.message ?? "invalid"}); please report this bug.`,
        ),
      );
    }
    return {
      structuredContent: parsed.data,
      content: [
        { type: "text", text: parsed.data.report_content },
        { type: "resource_link", uri: reportUri(snapshot.id), name: parsed.data.title, mimeType: "text/markdown" },
      ],
    };
  }
  const error = snapshot.error ?? {
    type: "report_generation_failed" as const,
    message: "The report ended without a result.",
  };
  return errorResult(new ReportError(error.type, error.message, error.hint ? { hint: error.hint } : {}));
}

/**
 * Where a run's messages go. A plain call keeps its request open until the end, so everything
 * is sent on it. A task-augmented call was answered with the task at once: later notifications
 * go out unrelated to it (Streamable HTTP has closed that request's stream), tagged with the
 * related-task `_meta`. The outline elicitation of a task is a request to the task's requestor:
 * it carries the related-task `_meta` too and is queued for `tasks/result` (the task shows
 * `input_required` meanwhile), as MCP Tasks (2025-11-25) ask; the SDK client's task stream
 * calls `tasks/result` when it sees `input_required` and receives it there.
 */
function channelFor(context: ToolContext, taskId: string, extra: CreateTaskRequestHandlerExtra) {
  if (!context.taskStore.isRequested(taskId)) {
    return {
      send: extra.sendNotification,
      elicit: (form: ElicitRequestFormParams, options: { signal: AbortSignal; timeout: number }) =>
        extra.sendRequest({ method: "elicitation/create", params: form }, ElicitResultSchema, options),
    };
  }
  const related = { [RELATED_TASK_META_KEY]: { taskId } };
  return {
    send: (notification: ServerNotification) =>
      context.server.server.notification({
        ...notification,
        params: { ...notification.params, _meta: { ...notification.params?._meta, ...related } },
      }),
    elicit: (form: ElicitRequestFormParams, options: { signal: AbortSignal; timeout: number }) =>
      context.server.server.elicitInput(form, { ...options, relatedTask: { taskId } }),
  };
}

function confirmFor(context: ToolContext, params: TaskParams, elicit: Elicit): StartJobOptions["confirm"] {
  if (params.auto_confirm || !clientSupportsFormElicitation(context.server)) return "none";
  return createElicitConfirm({ elicit });
}

/**
 * Records the job's end on its task (unless tasks/cancel already ended the task). Tasks the
 * client asked for go through the request's task store, which announces the new status; the
 * hidden task of a plain call is updated silently (the client knows nothing of it).
 */
async function finishTask(
  context: ToolContext,
  task: Task,
  snapshot: JobSnapshot,
  extra: CreateTaskRequestHandlerExtra,
): Promise<void> {
  const { taskStore } = context;
  const current = await taskStore.getTask(task.taskId);
  if (!current || current.status === "completed" || current.status === "failed" || current.status === "cancelled")
    return;
  const store = taskStore.isRequested(task.taskId) ? extra.taskStore : taskStore;
  const result = finalToolResult(snapshot);
  if (snapshot.status === "cancelled") {
    taskStore.presetResult(task.taskId, result);
    await store.updateTaskStatus(task.taskId, "cancelled", snapshot.error?.message);
    return;
  }
  await store.storeTaskResult(task.taskId, snapshot.status === "completed" ? "completed" : "failed", result);
}

/**
 * `generate_report`: one report run as a job, streamed to the calling request as progress and
 * log notifications. Task-capable (`taskSupport: "optional"`): a task-augmented call returns the
 * task at once; a plain call is answered when the job ends (the SDK polls the hidden task).
 * Cancelling the request (or the task) cancels the job: no model or search call after it.
 */
export function registerGenerateReport(context: ToolContext): void {
  const { server, jobs, taskStore, gate, log } = context;
  server.experimental.tasks.registerToolTask(
    "generate_report",
    {
      title: "Generate a research report",
      description: DESCRIPTION,
      inputSchema: taskParamsSchema,
      outputSchema: outputSchemaWithError(reportResultSchema),
      annotations: { readOnlyHint: true, openWorldHint: true },
      execution: { taskSupport: "optional" },
    },
    {
      async createTask(args, extra) {
        // Already validated by the SDK against the same schema; the experimental task API types args as unknown.
        const params = taskParamsSchema.parse(args);
        const task = await extra.taskStore.createTask({ ttl: extra.taskRequestedTtl });
        const channel = channelFor(context, task.taskId, extra);
        const notifier = createRequestNotifier({
          send: channel.send,
          progressToken: extra._meta?.progressToken,
          gate,
          sessionId: extra.sessionId,
          heartbeatMs: context.heartbeatMs,
          log,
        });
        let snapshot: JobSnapshot;
        try {
          snapshot = await jobs.start(params, {
            confirm: confirmFor(context, params, channel.elicit),
            onRecord: (record) => {
              if (record.kind === "event") notifier.handle(record.event);
            },
          });
        } catch (error) {
          notifier.close();
          const store = taskStore.isRequested(task.taskId) ? extra.taskStore : taskStore;
          await store.storeTaskResult(task.taskId, "failed", errorResult(error));
          return { task: (await taskStore.getTask(task.taskId)) ?? task };
        }
        taskStore.link(task.taskId, snapshot.id);
        const cancelJob = (): void =>
          void Promise.resolve(jobs.cancel(snapshot.id)).catch((error: unknown) =>
            log(`report-mcp: could not cancel report ${snapshot.id}: ${String(error)}`),
          );
        extra.signal.addEventListener("abort", cancelJob, { once: true });
        void jobs
          .done(snapshot.id)
          .then(async (final) => {
            extra.signal.removeEventListener("abort", cancelJob);
            await notifier.flush();
            notifier.close();
            await finishTask(context, task, final, extra);
            if (final.status === "completed") server.sendResourceListChanged();
          })
          .catch((error: unknown) =>
            log(`report-mcp: could not record the end of report ${snapshot.id}: ${String(error)}`),
          );
        return { task };
      },
      async getTask(_params, extra) {
        return extra.taskStore.getTask(extra.taskId);
      },
      async getTaskResult(_params, extra) {
        return CallToolResultSchema.parse(await extra.taskStore.getTaskResult(extra.taskId));
      },
    },
  );
}
