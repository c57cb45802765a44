import { constants as fsConstants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { ReportResult } from "../core/result.js";
import { ReportError } from "../core/errors.js";
import { CliUsageError, writeFully, type OutputStream } from "./cli-io.js";
import { outputFormatOf } from "./task-flags.js";

/**
 * Delivers a finished report: `--out FILE` by extension (.md Markdown, .html a standalone
 * document, .json the structured result), `--json` the structured result on stdout, otherwise
 * the Markdown on stdout. stdout carries nothing else. Returns the written file's absolute path.
 */
export async function deliverReport(options: {
  result: ReportResult;
  out?: string;
  json?: boolean;
  stdout: OutputStream;
  cwd: string;
}): Promise<string | null> {
  const { result, out, json = false, stdout, cwd } = options;
  let written: string | null = null;
  if (out !== undefined) {
    const target = path.resolve(cwd, out);
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, await renderAs({ result, format: outputFormatOf(out) }), "utf8");
      written = target;
    } catch (error) {
      // The run is done: never lose its report because the file could not be written.
      if (!json) await writeFully(stdout, ensureTrailingNewline(result.report_content));
      const reason =
        error instanceof Error && "code" in error
          ? String(error.code)
          : error instanceof Error
            ? error.message
            : String(error);
      const rescued = json ? "the structured result is on stdout" : "the report was printed on stdout instead";
      if (json) await writeFully(stdout, `${JSON.stringify(result, null, 2)}\n`);
      throw new ReportError("report_generation_failed", `Could not write ${target} (${reason}); ${rescued}.`, {
        cause: error,
      });
    }
  }
  if (json) await writeFully(stdout, `${JSON.stringify(result, null, 2)}\n`);
  else if (written === null) await writeFully(stdout, ensureTrailingNewline(result.report_content));
  return written;
}

async function renderAs(options: { result: ReportResult; format: ReturnType<typeof outputFormatOf> }): Promise<string> {
  const { result, format } = options;
  if (format === "json") return `${JSON.stringify(result, null, 2)}\n`;
  if (format === "markdown") return ensureTrailingNewline(result.report_content);
  const { renderReportHtml } = await import("./render-html.js");
  return renderReportHtml({ result });
}

function ensureTrailingNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

/**
 * Checks `--out FILE` before a run starts, so a report is not produced only to fail at the end:
 * the target must not be a folder, and its nearest existing parent must be a writable folder.
 */
export async function checkOutputTarget(options: { out: string; cwd: string }): Promise<void> {
  const { out, cwd } = options;
  outputFormatOf(out);
  const target = path.resolve(cwd, out);
  const existing = await fs.stat(target).catch(() => null);
  if (existing?.isDirectory())
    throw new CliUsageError(`--out ${out} is a folder; give a file name ending in .md, .html or .json`);
  let folder = path.dirname(target);
  for (;;) {
    const stats = await fs.stat(folder).catch(() => null);
    if (stats) {
      if (!stats.isDirectory()) throw new CliUsageError(`--out ${out}: ${folder} is not a folder`);
      break;
    }
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  try {
    await fs.access(existing ? target : folder, fsConstants.W_OK);
  } catch {
    throw new CliUsageError(`--out ${out}: ${existing ? target : folder} is not writable`);
  }
}
