import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Context, Hono } from "hono";
import {
  DEFAULT_MAX_FILE_BYTES,
  ExcludedFileError,
  parseDocument,
  SUPPORTED_EXTENSIONS,
} from "../providers/corpus/index.js";
import { RPC_CODES, rpcErrorBody } from "./wire.js";

/** The document route's path; the web page links corpus citations here (`?url=<file:/// URL>`). */
export const CORPUS_DOCUMENT_PATH = "/corpus/document";

type Refusal = { status: 400 | 403 | 404 | 413 | 415; message: string };

function refuse(c: Context, refusal: Refusal): Response {
  const type = refusal.status === 404 ? "not_found" : refusal.status === 403 ? "forbidden" : "invalid_params";
  return c.json(
    rpcErrorBody({
      code: refusal.status === 400 ? RPC_CODES.invalidParams : RPC_CODES.serverError,
      message: "Corpus document unavailable",
      data: { type, message: refusal.message },
    }),
    refusal.status,
  );
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/**
 * Resolves the `url` of a corpus citation to a file the server may show: a `file:` URL whose real
 * path (symlinks resolved) lies inside one of the configured corpus folders, outside hidden folders
 * and `node_modules` (which the corpus never indexes), with an extension the corpus reads and a size
 * under its cap. Anything else is refused with what was wrong.
 */
async function resolveDocument(
  url: string | undefined,
  folders: string[],
): Promise<{ file: string; location: string } | Refusal> {
  if (!url) return { status: 400, message: "Give the document as ?url=<file:/// URL of a corpus citation>." };
  let requested: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "file:")
      return { status: 400, message: `Only file: URLs of corpus documents are served (got ${parsed.protocol}).` };
    requested = fileURLToPath(parsed);
  } catch {
    return { status: 400, message: "The url parameter is not a valid absolute file:/// URL." };
  }
  if (requested.includes("\0")) return { status: 400, message: "The url parameter holds a NUL character." };
  const real = await fs.realpath(requested).catch(() => null);
  if (real === null)
    return {
      status: 404,
      message: "No such document: it may have been moved or deleted since the report was written.",
    };
  for (const folder of folders) {
    const root = await fs.realpath(folder).catch(() => null);
    if (root === null || !isInside(root, real)) continue;
    const segments = path.relative(root, real).split(path.sep);
    if (segments.some((segment) => segment.startsWith(".") || segment === "node_modules")) break;
    return { file: real, location: `${path.basename(folder)}/${segments.join("/")}` };
  }
  return {
    status: 403,
    message:
      "That file is not in a corpus folder this server was started with (--corpus / REPORT_MCP_CORPUS); only those are served.",
  };
}

/**
 * `GET /corpus/document?url=<file:/// URL>`: the text of one document of the configured corpus
 * folders, read-only, as plain text (title, date and location first; HTML and PDF reduced to their
 * text), so that the web page can open a corpus citation. Never serves files outside those folders.
 */
export function registerCorpusRoutes(app: Hono, options: { folders: string[] }): void {
  app.get(CORPUS_DOCUMENT_PATH, async (c) => {
    const resolved = await resolveDocument(c.req.query("url"), options.folders);
    if ("status" in resolved) return refuse(c, resolved);
    if (!(path.extname(resolved.file).toLowerCase() in SUPPORTED_EXTENSIONS)) {
      return refuse(c, {
        status: 415,
        message: "That file is not a document the corpus reads (Markdown, text, HTML or PDF).",
      });
    }
    const stats = await fs.stat(resolved.file);
    if (!stats.isFile()) return refuse(c, { status: 404, message: "That path is a folder, not a document." });
    if (stats.size > DEFAULT_MAX_FILE_BYTES)
      return refuse(c, { status: 413, message: "That document is larger than the corpus reads." });
    let document;
    try {
      document = await parseDocument({ filePath: resolved.file, bytes: await fs.readFile(resolved.file) });
    } catch (error) {
      if (error instanceof ExcludedFileError)
        return refuse(c, {
          status: 403,
          message: "That document is excluded from the corpus (index: false in its front matter).",
        });
      return refuse(c, {
        status: 415,
        message: `That document cannot be read as text (${error instanceof Error ? error.message : String(error)}).`,
      });
    }
    const header = [
      document.title,
      document.date ? `Date: ${document.date.slice(0, 10)}` : "Date: undated",
      `Location: ${resolved.location}`,
      "",
    ];
    return c.body(`${header.join("\n")}\n${document.text}\n`, 200, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "no-store",
    });
  });
}
