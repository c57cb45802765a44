import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ReportError } from "../core/errors.js";

/** The corpus name that means "the fictional sample corpus shipped in this package": `--corpus sample`. */
export const SAMPLE_CORPUS = "sample";

/**
 * The shipped sample corpus (`examples/corpus` in the package), found from this module's own
 * location: the nearest folder above it whose package.json is report-mcp's. Works from a checkout,
 * a global install and an npx cache alike, whatever the working directory.
 */
export function sampleCorpusFolder(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let folder = from;
  for (;;) {
    const manifest = path.join(folder, "package.json");
    if (fs.existsSync(manifest)) {
      try {
        const name = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: unknown }).name;
        const corpus = path.join(folder, "examples", "corpus");
        if (name === "report-mcp" && fs.existsSync(corpus)) return corpus;
      } catch {
        // An unreadable package.json on the way up is not ours; keep looking.
      }
    }
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  throw new ReportError(
    "invalid_params",
    "The sample corpus (examples/corpus) is missing from this installation of report-mcp; reinstall the package or pass --corpus <folder>.",
  );
}

/**
 * A corpus folder as given (flag, REPORT_MCP_CORPUS, `config set corpus`): `sample` is the shipped
 * sample corpus; anything else is a path resolved against `cwd` (write `./sample` for a folder of
 * that name).
 */
export function resolveCorpusFolder(value: string, cwd: string): string {
  const trimmed = value.trim();
  return trimmed === SAMPLE_CORPUS ? sampleCorpusFolder() : path.resolve(cwd, trimmed);
}
