import ora, { type Ora } from "ora";
import {
  isFinishedSection,
  type PipelineEvent,
  type ProgressEvent,
  type ProgressStatus,
} from "../core/events/index.js";
import type { OutputStream } from "./cli-io.js";

/** Terminal adapter over the pipeline's events (SPEC §2): a spinner on a TTY, plain lines otherwise. */
export type ProgressReporter = {
  onEvent(event: PipelineEvent): void;
  /** A diagnostic line (runtime logger, notices) printed without breaking the spinner. */
  log(line: string): void;
  /** Stops drawing (while a prompt owns the terminal). */
  pause(): void;
  resume(): void;
  /** Ends the display with a success line (`[done] …` in plain mode). */
  succeed(message: string): void;
  /** Ends the display without a line (the caller prints the error or "cancelled"). */
  stop(): void;
  /** Running token totals from `model_usage` events. */
  readonly usage: { input: number; output: number; calls: number };
};

/** Whether `env` asks for output without colour (no-color.org: NO_COLOR set to anything but ""). */
export function wantsNoColor(env: NodeJS.ProcessEnv): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== "";
}

/**
 * Creates the reporter for `stream` (stderr). `interactive` (stderr is a TTY) selects the ora
 * spinner showing the current step, section i/n while writing, and token totals; otherwise one
 * line per progress event: `[searching] Searching 12 queries…`. Warnings are always printed.
 * `color: false` (NO_COLOR) draws the spinner and its final ✔ without colour codes.
 */
export function createProgressReporter(options: {
  stream: OutputStream;
  interactive: boolean;
  color?: boolean;
}): ProgressReporter {
  const { stream, interactive } = options;
  const color = options.color ?? true;
  const usage = { input: 0, output: 0, calls: 0 };
  let sectionsTotal: number | null = null;
  let sectionsDone = 0;
  let stepMessage = "Starting";
  let currentStatus: ProgressStatus = "task_started";
  const spinner: Ora | null = interactive
    ? ora({
        stream,
        text: stepMessage,
        discardStdin: false,
        hideCursor: true,
        isEnabled: true,
        color: color ? "cyan" : false,
      }).start()
    : null;

  const spinnerText = (): string => {
    const parts = [stepMessage];
    const counter = `${sectionsDone}/${sectionsTotal}`;
    const writing = currentStatus === "generating_sections";
    if (
      writing &&
      sectionsTotal !== null &&
      sectionsDone > 0 &&
      sectionsDone <= sectionsTotal &&
      !stepMessage.includes(counter)
    ) {
      parts.push(`section ${counter}`);
    }
    if (usage.calls > 0) parts.push(`tokens ${formatCount(usage.input)} in / ${formatCount(usage.output)} out`);
    return parts.join(" · ");
  };
  const printLine = (line: string): void => {
    if (spinner?.isSpinning) {
      spinner.clear();
      stream.write(`${line}\n`);
      spinner.render();
    } else {
      stream.write(`${line}\n`);
    }
  };

  const onProgress = (event: ProgressEvent): void => {
    const total = countOutlineSections(event);
    if (total !== null) sectionsTotal = total;
    const finished = event.status === "generating_sections" && isFinishedSection(event.details) ? event.details : null;
    if (finished) sectionsDone = finished.index ?? sectionsDone + 1;
    if (DISPLAY[event.status] === "line") {
      printLine(interactive ? `⚠ ${event.message}` : `[warning] ${event.message}`);
      return;
    }
    stepMessage = event.message || event.status;
    currentStatus = event.status;
    if (spinner) {
      spinner.text = spinnerText();
      spinner.render();
      return;
    }
    const counter = `${sectionsDone}/${sectionsTotal ?? "?"}`;
    const section = finished && !stepMessage.includes(counter) ? ` (section ${counter})` : "";
    stream.write(`[${event.status}] ${stepMessage}${section}\n`);
  };

  return {
    usage,
    onEvent(event) {
      if (event.type === "model_usage") {
        usage.input += event.input_tokens;
        usage.output += event.output_tokens;
        usage.calls += 1;
        if (spinner) {
          spinner.text = spinnerText();
          spinner.render();
        }
        return;
      }
      onProgress(event);
    },
    log: printLine,
    pause() {
      if (spinner?.isSpinning) spinner.stop();
    },
    resume() {
      if (spinner && !spinner.isSpinning) spinner.start(spinnerText());
    },
    succeed(message) {
      // With NO_COLOR a plain ✔: ora's own symbol is coloured from the process's environment, not the CLI's.
      if (spinner && color) spinner.succeed(message);
      else if (spinner) spinner.stopAndPersist({ symbol: "✔", text: message });
      else stream.write(`[done] ${message}\n`);
    },
    stop() {
      if (spinner?.isSpinning) spinner.stop();
    },
  };
}

/**
 * How each status shows: as the spinner's step (plain mode: one `[status] message` line) or as a
 * line of its own that leaves the step alone. A new status is a compile error until it is here.
 */
const DISPLAY = {
  task_started: "step",
  analyzing_intent: "step",
  generating_outline: "step",
  awaiting_confirmation: "step",
  searching: "step",
  assessing_quality: "step",
  supplementing_search: "step",
  generating_sections: "step",
  generating_summary: "step",
  assembling_report: "step",
  task_completed: "step",
  warning: "line",
} as const satisfies Record<ProgressStatus, "step" | "line">;

/** Sections in the outline, from the outline or the section list an event carries. */
function countOutlineSections(event: ProgressEvent): number | null {
  switch (event.status) {
    case "generating_outline":
    case "awaiting_confirmation":
      return event.details?.outline.sections.length ?? null;
    case "generating_sections":
      if (!event.details) return null;
      return isFinishedSection(event.details) ? (event.details.total ?? null) : event.details.sections.length;
    default:
      return null;
  }
}

/** 12345 → "12,345". */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}
