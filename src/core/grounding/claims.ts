/**
 * A section's Markdown as sentences and claims: each stretch of text that ends in a citation
 * group is one claim citing those sources. Parsed so that citations can be re-pointed, claims
 * removed and sentences dropped while the rest of the Markdown (headings, lists, tables, code)
 * stays as written.
 */
import { splitSentences } from "../text/sentences.js";

export type TextPiece = { kind: "text"; text: string };
export type CitePiece = { kind: "cite"; ids: number[]; space: string };
export type Piece = TextPiece | CitePiece;
/** `modified`: claims were removed or rewritten, so the rendering tidies what is left. */
export type Sentence = { pieces: Piece[]; gapAfter: string; modified?: boolean };

export type Line = { kind: "prose"; prefix: string; sentences: Sentence[] } | { kind: "raw"; text: string };

const CITE = /(\s?)[[［【]\s*(\d{1,4}(?:\s*[,，、]\s*\d{1,4})*)\s*[\]］】]/g;
const LINE_PREFIX = /^(\s*(?:>\s*)*(?:[-*+•]\s+|\d+[.)]\s+)?)/;

function parseIds(group: string): number[] {
  return [
    ...new Set(
      group
        .split(/[,，、]/)
        .map((part) => Number.parseInt(part.trim(), 10))
        .filter((id) => Number.isInteger(id) && id > 0),
    ),
  ];
}

/** Text and citation pieces of a sentence. */
export function parsePieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(CITE)) {
    const start = match.index ?? 0;
    const between = text.slice(last, start);
    const previous = pieces.at(-1);
    // "[2][5]" and "[2] [5]" are one group: the claim cites both.
    if (previous?.kind === "cite" && between.trim() === "") {
      previous.ids = [...new Set([...previous.ids, ...parseIds(match[2] ?? "")])];
      last = start + match[0].length;
      continue;
    }
    if (start > last) pieces.push({ kind: "text", text: between });
    pieces.push({ kind: "cite", ids: parseIds(match[2] ?? ""), space: match[1] ?? "" });
    last = start + match[0].length;
  }
  if (last < text.length) pieces.push({ kind: "text", text: text.slice(last) });
  return pieces;
}

/** Sentences of one line with the whitespace between them; a citation that opens a sentence closes the one before. */
function splitLine(content: string): Sentence[] {
  const spans: Array<[number, number]> = [];
  let cursor = 0;
  for (const sentence of splitSentences(content)) {
    const start = content.indexOf(sentence, cursor);
    if (start < 0) return [{ pieces: parsePieces(content), gapAfter: "" }];
    spans.push([start, start + sentence.length]);
    cursor = start + sentence.length;
  }
  const sentences: Sentence[] = [];
  spans.forEach(([start, end], index) => {
    const next = spans[index + 1]?.[0] ?? content.length;
    const pieces = parsePieces(content.slice(start, end));
    const previous = sentences.at(-1);
    // "… in 2026. [3] Next sentence": the [3] belongs to the sentence before.
    while (previous && pieces[0]?.kind === "cite") {
      const cite = pieces.shift() as CitePiece;
      // As written: "…in 2026. [3]" keeps its space, "…投产。[3]" has none.
      previous.pieces.push({ ...cite, space: previous.gapAfter });
      previous.gapAfter = "";
      const lead = pieces.at(0);
      if (lead?.kind === "text") {
        const trimmed = lead.text.replace(/^\s+/, "");
        previous.gapAfter = lead.text.slice(0, lead.text.length - trimmed.length) || " ";
        lead.text = trimmed;
        if (trimmed === "") pieces.shift();
      }
    }
    if (pieces.length === 0) {
      if (previous) previous.gapAfter += content.slice(end, next);
      return;
    }
    sentences.push({ pieces, gapAfter: content.slice(end, next) });
  });
  return sentences;
}

/** Parses a section body. Headings, fences and their content, rules and table separators stay raw. */
export function parseBody(markdown: string): Line[] {
  const lines: Line[] = [];
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(?:```|~~~)/.test(line)) {
      fenced = !fenced;
      lines.push({ kind: "raw", text: line });
      continue;
    }
    if (
      fenced ||
      line.trim() === "" ||
      /^\s{0,3}#{1,6}\s/.test(line) ||
      /^\s*(?:[-*_]\s*){3,}$/.test(line) ||
      /^\s*\|?[\s:|-]+\|[\s:|-]*$/.test(line)
    ) {
      lines.push({ kind: "raw", text: line });
      continue;
    }
    if (/^\s*\|/.test(line)) {
      // A table row is one claim: it stays or goes whole.
      lines.push({ kind: "prose", prefix: "", sentences: [{ pieces: parsePieces(line), gapAfter: "" }] });
      continue;
    }
    const prefix = LINE_PREFIX.exec(line)?.[1] ?? "";
    lines.push({ kind: "prose", prefix, sentences: splitLine(line.slice(prefix.length)) });
  }
  return lines;
}

export function renderPieces(pieces: Piece[]): string {
  return pieces
    .map((piece) =>
      piece.kind === "text"
        ? piece.text
        : piece.ids.length > 0
          ? `${piece.space}${piece.ids.map((id) => `[${id}]`).join("")}`
          : "",
    )
    .join("");
}

/** Whether what is left of a sentence still says something (not just punctuation or citations). */
export function hasWords(pieces: Piece[]): boolean {
  return pieces.some((piece) => piece.kind === "text" && /[\p{L}\p{N}]/u.test(piece.text));
}

/** Renders the body; sentences with nothing left are removed with their spacing, and lines left empty disappear. */
export function renderBody(lines: Line[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (line.kind === "raw") {
      out.push(line.text);
      continue;
    }
    const kept = line.sentences.filter((sentence) => hasWords(sentence.pieces));
    if (kept.length === 0) continue;
    const text = kept
      .map((sentence, index) => {
        const rendered = sentence.modified ? tidy(renderPieces(sentence.pieces)) : renderPieces(sentence.pieces);
        return rendered + (index < kept.length - 1 ? sentence.gapAfter : "");
      })
      .join("");
    out.push(`${line.prefix}${text.trimEnd()}`);
  }
  return out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Cleans what removing a claim leaves: doubled spaces, space before punctuation, a dangling connective at the start. */
export function tidy(text: string): string {
  return text
    .replace(/[ \t]{2,}/g, " ")
    .replace(/\s+([,.;:!?，。；：！？、])/g, "$1")
    .replace(/([,;，；、])(?=\s*[.。!?！？]|\s*$)/g, "")
    .replace(/^[\s,;:，；：、]+/, "")
    .replace(
      /^(?:and|but|while|whereas|although|though|also|meanwhile|however|并且|而且|同时|而|并|且|但|但是)(?:[\s,，]+)/i,
      "",
    )
    .replace(/^\p{Ll}/u, (letter) => letter.toUpperCase())
    .trim();
}
