import { cancelledError, ReportError, toReportError } from "../core/errors.js";
import { describeEstimate } from "../core/cost/estimate-text.js";
import type { ReportResult } from "../core/result.js";
import type { ConfirmOutline } from "../core/runtime.js";
import { EXIT_CODES, isDrawable, oneLine, writeFully, type CliContext } from "./cli-io.js";
import { cliErrorMessage } from "./hint-advice.js";
import { loadSettings } from "./load-settings.js";
import { createOutlineDialogue } from "./outline-dialogue.js";
import { createProgressReporter, wantsNoColor, type ProgressReporter } from "./progress-reporter.js";
import { reportWrittenLine, summarizeRun } from "./run-summary.js";
import { checkOutputTarget, deliverReport } from "./report-output.js";
import { taskParamsFromFlags, timeoutFromFlag, type TaskFlags } from "./task-flags.js";

/** Options of `report-mcp run` as commander parses them. */
export type RunFlags = TaskFlags & {
  corpus?: string[];
  provider?: string;
  model?: string;
  baseUrl?: string;
  /** Seconds. */
  timeout?: string;
  out?: string;
  json?: boolean;
  /** Print a quote and run nothing. */
  estimate?: boolean;
};

/** How long a cancelled run may take to wind down before the command exits anyway. */
const CANCEL_GRACE_MS = 3000;

/**
 * `report-mcp run <task>`: validates flags (usage errors throw CliUsageError / ReportError
 * `invalid_params`, exit 2), runs the pipeline with terminal progress on stderr, and delivers
 * the report. Resolves with the exit code: 0 done, 1 failed, 3 no usable evidence
 * (`insufficient_evidence`), 130 cancelled by Ctrl-C.
 */
export async function runCommand(options: { task: string; flags: RunFlags; context: CliContext }): Promise<number> {
  const { task, flags, context } = options;
  const params = taskParamsFromFlags({ task, flags });
  if (flags.out !== undefined) await checkOutputTarget({ out: flags.out, cwd: context.cwd });
  const settings = await loadSettings({
    flags: {
      provider: flags.provider,
      model: flags.model,
      baseUrl: flags.baseUrl,
      corpus: flags.corpus,
      timeoutMs: timeoutFromFlag(flags.timeout),
    },
    env: context.env,
    cwd: context.cwd,
  });

  const reporter = createProgressReporter({
    stream: context.stderr,
    interactive: isDrawable(context.stderr),
    color: !wantsNoColor(context.env),
  });
  const controller = new AbortController();
  let interrupted = false;
  const interrupt = (): void => {
    if (interrupted) {
      context.exitNow(EXIT_CODES.cancelled);
      return;
    }
    interrupted = true;
    reporter.log("Cancelling… (press Ctrl-C again to quit at once)");
    controller.abort(cancelledError());
  };
  const unsubscribe = context.onInterrupt(interrupt);
  try {
    const createRuntime = context.createRuntime ?? (await import("./runtime-loader.js")).loadRuntime;
    const runtime = await createRuntime(settings, { logger: (line) => reporter.log(line) });
    if (flags.estimate) {
      if (!runtime.estimate) throw new ReportError("invalid_params", "This runtime cannot estimate a run.");
      const estimate = await runtime.estimate(params);
      await writeFully(
        context.stdout,
        flags.json
          ? `${JSON.stringify(estimate, null, 2)}\n`
          : `${describeEstimate(estimate, params.language ?? (/[\u3400-\u9fff]/.test(params.task) ? "zh" : "en"))}\n`,
      );
      return EXIT_CODES.success;
    }
    const confirmOutline =
      params.auto_confirm === false && context.stdin.isTTY === true && context.stderr.isTTY === true
        ? pausing(
            reporter,
            createOutlineDialogue({
              input: context.stdin,
              output: context.stderr,
              onInterrupt: interrupt,
            }),
          )
        : undefined;
    const run = runtime.runReport(params, {
      onEvent: (event) => reporter.onEvent(event),
      signal: controller.signal,
      confirmOutline,
    });
    const result = await untilSettledOrCancelled(run, controller.signal);
    if (interrupted) throw cancelledError();
    reporter.succeed(summarizeRun(result, reporter.usage));
    const written = await deliverReport({
      result,
      out: flags.out,
      json: flags.json,
      stdout: context.stdout,
      cwd: context.cwd,
    });
    if (written) context.stderr.write(`${reportWrittenLine(result, written)}\n`);
    return EXIT_CODES.success;
  } catch (error) {
    reporter.stop();
    if (interrupted) {
      context.stderr.write("cancelled\n");
      return EXIT_CODES.cancelled;
    }
    const reportError = toReportError(error);
    if (reportError.type === "invalid_params") {
      // A setting the runtime refused (e.g. an incomplete custom provider): still bad usage.
      context.stderr.write(`report-mcp: ${oneLine(cliErrorMessage(reportError))}\n`);
      return EXIT_CODES.usage;
    }
    context.stderr.write(`report-mcp: error [${reportError.type}] ${oneLine(cliErrorMessage(reportError))}\n`);
    if (reportError.type === "budget_exceeded") return EXIT_CODES.budgetExceeded;
    return reportError.type === "insufficient_evidence" ? EXIT_CODES.insufficientEvidence : EXIT_CODES.failed;
  } finally {
    unsubscribe();
  }
}

/** Waits for the run; once cancelled, gives it a short grace period to wind down, then gives up. */
async function untilSettledOrCancelled(run: Promise<ReportResult>, signal: AbortSignal): Promise<ReportResult> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    const start = (): void => {
      timer = setTimeout(() => reject(cancelledError()), CANCEL_GRACE_MS);
    };
    if (signal.aborted) start();
    else signal.addEventListener("abort", start, { once: true });
  });
  try {
    return await Promise.race([run, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stops the spinner while the outline prompt owns the terminal. */
function pausing(reporter: ProgressReporter, confirm: ConfirmOutline): ConfirmOutline {
  return async (request) => {
    reporter.pause();
    try {
      return await confirm(request);
    } finally {
      if (!request.signal.aborted) reporter.resume();
    }
  };
}
