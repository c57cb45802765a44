import fs from "node:fs/promises";
import path from "node:path";
import type { ReportResult } from "../core/result.js";
import { writeFully, type OutputStream } from "./cli-io.js";
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
    written = path.resolve(cwd, out);
    await fs.mkdir(path.dirname(written), { recursive: true });
    await fs.writeFile(written, await renderAs({ result, format: outputFormatOf(out) }), "utf8");
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
