import path from "node:path";
import { format } from "node:util";
import {
  autolinksToUrl,
  dropComments,
  dropFootnoteMarkers,
  dropTags,
  firstHeading,
  headingsToText,
  imagesToAlt,
  inlineLinksToText,
  referenceLinksToText,
  unwrapBold,
  unwrapFences,
} from "./linear-markdown.js";

/** Text and metadata pulled out of one corpus file. */
export type ParsedDocument = { title: string; date: string | null; text: string };

/** A file that cannot be indexed; `message` is the reason shown to the user. */
export class SkipFileError extends Error {
  override readonly name = "SkipFileError";
}

/** A document that opted out of indexing (front matter `index: false`); skipped silently. */
export class ExcludedFileError extends Error {
  override readonly name = "ExcludedFileError";
}

/** File extensions the corpus indexes, by parser. */
export const SUPPORTED_EXTENSIONS: Record<string, "markdown" | "text" | "html" | "pdf"> = {
  ".md": "markdown",
  ".markdown": "markdown",
  ".mdx": "markdown",
  ".txt": "text",
  ".text": "text",
  ".html": "html",
  ".htm": "html",
  ".xhtml": "html",
  ".pdf": "pdf",
};

/**
 * Normalizes a date string to ISO 8601: `YYYY-MM-DD` when the source gave only a day,
 * else a full UTC timestamp. Null when it does not parse.
 */
export function normalizeDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const text = value.trim().replace(/^["']|["']$/g, "");
  const pdf = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?/.exec(text);
  if (pdf) {
    const [, year, month = "01", day = "01", hour, minute = "00", second = "00"] = pdf;
    return hour
      ? new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`).toISOString()
      : `${year}-${month}-${day}`;
  }
  const dayOnly = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(text);
  if (dayOnly) {
    const [, year, month = "1", day = "1"] = dayOnly;
    const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
    return Number.isNaN(Date.parse(iso)) ? null : iso;
  }
  const time = Date.parse(text);
  if (Number.isNaN(time)) return null;
  const year = new Date(time).getUTCFullYear();
  return year < 1900 || year > 2200 ? null : new Date(time).toISOString();
}

/** A date at the start of the file name ("2026-11-20-agents.md"), a common convention. */
function dateFromFileName(fileName: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[-_ .]|$)/.exec(fileName);
  return match?.[1] ? normalizeDate(match[1]) : null;
}

/** "2026-11-20-agent-platforms.md" → "agent platforms". */
function titleFromFileName(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, "").replace(/^\d{4}-\d{2}-\d{2}[-_ ]?/, "");
  const words = base.replace(/[-_]+/g, " ").trim();
  return words.length > 0 ? words : fileName;
}

/** Decodes UTF-8 strictly; binary and mis-encoded files become SkipFileErrors. */
export function decodeText(bytes: Uint8Array): string {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) throw new SkipFileError("binary content (NUL bytes), not a text file");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new SkipFileError("not valid UTF-8 text; re-save the file as UTF-8");
  }
}

/** Splits YAML-style front matter (`---` … `---`) into simple key/value pairs. */
function splitFrontMatter(source: string): { fields: Record<string, string>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) return { fields: {}, body: source };
  const fields: Record<string, string> = {};
  for (const line of (match[1] ?? "").split(/\r?\n/)) {
    const pair = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (pair?.[1]) fields[pair[1].toLowerCase()] = (pair[2] ?? "").trim().replace(/^["']|["']$/g, "");
  }
  return { fields, body: source.slice(match[0].length) };
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  mdash: "—",
  ndash: "–",
  hellip: "…",
};

/** Decodes the HTML character references Markdown authors write (`&amp;`, `&#8217;`, `&#x4e2d;`). */
function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#x([\da-f]{1,6})|([a-z]+));/gi,
    (whole, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
      const code = decimal ? Number(decimal) : hex ? Number.parseInt(hex, 16) : null;
      if (code !== null) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      return ENTITIES[(name ?? "").toLowerCase()] ?? whole;
    },
  );
}

/**
 * Markdown → plain text: headings, links (inline, reference-style and autolinks), emphasis,
 * images, code fences, HTML and character references reduced to their words; footnote markers,
 * footnote definitions and link reference definitions (citations, not prose) dropped.
 */
function markdownToText(markdown: string): string {
  // The steps marked (linear) are linear-markdown.ts's forms of the regexes named there, which
  // were quadratic on unclosed openers; same results.
  let text = dropComments(unwrapFences(markdown)) // (linear)
    .replace(/^[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]+\S+.*$/gm, "")
    .replace(/^[ \t]{0,3}\[\^[^\]\n]+\]:.*$/gm, "");
  text = dropTags(autolinksToUrl(referenceLinksToText(inlineLinksToText(imagesToAlt(dropFootnoteMarkers(text)))))); // (linear)
  text = headingsToText(text) // (linear)
    // Setext headings; the lookahead keeps this linear on very long lines.
    .replace(/^(?=[^\n]*\S)([^\n]+)\n[ \t]{0,3}(?:=+|-+)[ \t]*$/gm, "$1\n")
    .replace(/^[ \t]*(?:[-*_][ \t]*){3,}$/gm, "");
  text = unwrapBold(text) // (linear)
    .replace(/(^|[\s(])[*_](?=\S)([^*_\n]*?\S)[*_](?=[\s).,;:!?]|$)/g, "$1$2")
    .replace(/`([^`\n]+)`/g, "$1");
  return decodeEntities(text);
}

/** Collapses spaces within lines and limits blank lines, keeping paragraph breaks. */
function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function parseMarkdown(source: string, fileName: string): ParsedDocument {
  const { fields, body } = splitFrontMatter(source);
  if (fields.index === "false") throw new ExcludedFileError("front matter says index: false");
  const heading = firstHeading(body);
  const date =
    normalizeDate(fields.date ?? fields.published ?? fields.published_at ?? fields.pubdate) ??
    dateFromFileName(fileName);
  return { title: fields.title || heading || titleFromFileName(fileName), date, text: tidy(markdownToText(body)) };
}

function parsePlainText(source: string, fileName: string): ParsedDocument {
  const text = tidy(source);
  const firstLine = text.split("\n", 1)[0] ?? "";
  const dateLine = /^(?:date|published)\s*:\s*(.+)$/im.exec(text.slice(0, 500))?.[1];
  const title =
    firstLine.length > 0 && firstLine.length <= 120 && !/[.。!?！？]$/.test(firstLine)
      ? firstLine
      : titleFromFileName(fileName);
  return { title, date: normalizeDate(dateLine) ?? dateFromFileName(fileName), text };
}

async function parseHtml(source: string, fileName: string): Promise<ParsedDocument> {
  const { parseHTML } = await import("linkedom");
  // A fragment (or an empty file) has no <html>: linkedom then has no document element to read.
  const { document } = parseHTML(
    /<html[\s>]/i.test(source) ? source : `<!doctype html><html><head></head><body>${source}</body></html>`,
  );
  if (!document.documentElement) throw new SkipFileError("not an HTML document (no <html> element could be read)");
  const meta = (selector: string) => document.querySelector(selector)?.getAttribute("content") ?? null;
  const title =
    document.querySelector("title")?.textContent?.trim() ||
    meta('meta[property="og:title"]') ||
    document.querySelector("h1")?.textContent?.trim() ||
    titleFromFileName(fileName);
  const rawDate =
    meta('meta[property="article:published_time"]') ??
    meta('meta[name="date"]') ??
    meta('meta[name="pubdate"]') ??
    meta('meta[name="publish-date"]') ??
    meta('meta[itemprop="datePublished"]') ??
    document.querySelector("time[datetime]")?.getAttribute("datetime") ??
    null;
  for (const element of Array.from(document.querySelectorAll("script, style, noscript, template, svg, nav, iframe")))
    element.remove();
  for (const element of Array.from(
    document.querySelectorAll("p, li, h1, h2, h3, h4, h5, h6, blockquote, pre, tr, dd, dt, div, section, article, br"),
  )) {
    element.appendChild(document.createTextNode("\n\n"));
  }
  // Table cells are words apart ("Energy density 600 Wh/kg", not "Energy density600 Wh/kg").
  for (const element of Array.from(document.querySelectorAll("td, th")))
    element.appendChild(document.createTextNode(" "));
  const root = document.querySelector("main, article") ?? document.body ?? document.documentElement;
  const text = tidy(root?.textContent ?? "");
  return { title: title.replace(/\s+/g, " "), date: normalizeDate(rawDate) ?? dateFromFileName(fileName), text };
}

const PDF_LOG_FILTER = Symbol.for("report-mcp.pdf-log-filter");

/**
 * Imports unpdf and its bundled pdf.js. pdf.js prints a warning with `console.log` while it
 * loads in Node; stdout is the report (CLI) or the protocol (MCP stdio), so that one load runs
 * with `console.log` pointed at stderr (and pdf.js's "use the legacy build" notice dropped).
 */
async function loadUnpdf(): Promise<typeof import("unpdf")> {
  /* eslint-disable no-console -- not logging: swaps console.log for a stderr writer while pdf.js loads */
  const original = console.log;
  // Concurrent loads share one filter: only the call that installed it restores the original.
  const installed = !(PDF_LOG_FILTER in original);
  if (installed) {
    const filter = (...args: unknown[]) => {
      // The "use the legacy build" notice is pdf.js talking to its own developers, not to users.
      if (!(typeof args[0] === "string" && args[0].includes("legacy` build")))
        process.stderr.write(`${format(...args)}\n`);
    };
    console.log = Object.assign(filter, { [PDF_LOG_FILTER]: true });
  }
  try {
    const unpdf = await import("unpdf");
    await unpdf.getResolvedPDFJS();
    return unpdf;
  } finally {
    if (installed) console.log = original;
  }
  /* eslint-enable no-console */
}

async function parsePdf(bytes: Uint8Array, fileName: string): Promise<ParsedDocument> {
  const { getDocumentProxy, extractText, getMeta } = await loadUnpdf();
  try {
    // verbosity 0: pdf.js would otherwise print warnings to stdout (the MCP channel in stdio mode).
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    const { text } = await extractText(pdf, { mergePages: true });
    const { info } = await getMeta(pdf);
    const infoTitle = typeof info.Title === "string" ? info.Title.trim() : "";
    const infoDate = typeof info.CreationDate === "string" ? info.CreationDate : null;
    await pdf.destroy();
    return {
      title: infoTitle || titleFromFileName(fileName),
      date: normalizeDate(infoDate) ?? dateFromFileName(fileName),
      text: tidy(text),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SkipFileError(`could not read the PDF (${reason})`);
  }
}

/**
 * Parses one corpus file by extension: Markdown (front matter `title`, `date`/`published`),
 * plain text, HTML (title, `article:published_time`/`date` meta), PDF (text, Title,
 * CreationDate). Without a document date the file name's leading `YYYY-MM-DD` is used, else
 * the date is null (undated). Throws SkipFileError with a reason for unusable files.
 */
export async function parseDocument(options: { filePath: string; bytes: Uint8Array }): Promise<ParsedDocument> {
  const fileName = path.basename(options.filePath);
  const kind = SUPPORTED_EXTENSIONS[path.extname(fileName).toLowerCase()];
  let parsed: ParsedDocument;
  if (kind === "pdf") parsed = await parsePdf(options.bytes, fileName);
  else {
    const source = decodeText(options.bytes);
    if (kind === "html") parsed = await parseHtml(source, fileName);
    else if (kind === "markdown") parsed = parseMarkdown(source, fileName);
    else parsed = parsePlainText(source, fileName);
  }
  if (parsed.text.replace(/\s/g, "").length < 10) throw new SkipFileError("no readable text");
  return parsed;
}
