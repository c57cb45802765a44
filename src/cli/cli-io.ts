import type { Settings } from "../app/settings.js";
import type { ReportRuntime } from "../core/runtime.js";

/** Exit codes of the `report-mcp` command (a documented contract). */
export const EXIT_CODES = {
  success: 0,
  /** The run (or command) failed; stderr says `report-mcp: error [type] message`. */
  failed: 1,
  /** Bad usage: one line on stderr naming the flag, variable or key. */
  usage: 2,
  /** The search found nothing usable about the task (`insufficient_evidence`): no report was written. */
  insufficientEvidence: 3,
  /** The run's budget (max_tokens / max_cost) or a runaway guard stopped it before anything useful was written (`budget_exceeded`). */
  budgetExceeded: 4,
  /** Cancelled by Ctrl-C (SIGINT). */
  cancelled: 130,
} as const;

/** A writable stream as the CLI uses it (stdout, stderr or a test double with the same shape). */
export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
export type InputStream = NodeJS.ReadableStream & { isTTY?: boolean };

/** Builds the runtime from settings (the lead's `createRuntime`, injectable for tests). */
export type CreateRuntime = (
  settings: Settings,
  options: { logger: (line: string) => void },
) => ReportRuntime | Promise<ReportRuntime>;

/**
 * Everything a command touches outside itself. `main.ts` fills it from `process`; tests pass
 * their own streams, environment and runtime factory.
 */
export type CliContext = {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: InputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Defaults to a lazy import of `src/app/create-runtime.ts`. */
  createRuntime?: CreateRuntime;
  /** Subscribes to Ctrl-C (SIGINT); returns the unsubscribe function. */
  onInterrupt: (listener: () => void) => () => void;
  /** Ends the process at once (second Ctrl-C). */
  exitNow: (code: number) => void;
};

/**
 * Whether a stream is a terminal we can draw on (spinner, progress bar). A pseudo-terminal with
 * no size (0 columns, e.g. `script` without a window) counts as not drawable: redrawing on it
 * cannot work.
 */
export function isDrawable(stream: OutputStream): boolean {
  return stream.isTTY === true && (stream.columns ?? 0) > 0;
}

/** A usage error: printed as one line `report-mcp: <message>`, exit code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

/** Writes text and resolves once the stream has taken it (so exiting afterwards loses nothing). */
export function writeFully(stream: OutputStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

/** The one-line form of any message: newlines folded, so usage errors stay on one line. */
export function oneLine(message: string): string {
  // Each whitespace run holding a newline becomes one space (`/\s*\n\s*/` did the same, in quadratic time on long runs).
  return message.replace(/\s+/g, (run) => (run.includes("\n") ? " " : run)).trim();
}
