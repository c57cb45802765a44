/**
 * Claim units of a parsed body: the stretch of a sentence that ends in one citation group, or a
 * whole uncited sentence that states a specific figure or carries page chrome (both are treated
 * as claims that need a source). Also the edits a decision makes to a sentence's pieces.
 */
import { stripClaimChrome } from "./chrome.js";
import { claimFeatures, plainText, type ClaimFeatures } from "./features.js";
import { hasWords, type CitePiece, type Line, type Piece, type Sentence, type TextPiece } from "./claims.js";
import { isSpecificFigure } from "./quantities.js";

export type Unit = {
  sentence: Sentence;
  /** Pieces of the claim's text, in order. */
  texts: TextPiece[];
  /** Its citation group; null for an uncited sentence. */
  cite: CitePiece | null;
  /** Text after the sentence's last citation ("in March."), read with the last claim. */
  trailing: TextPiece[];
  features: ClaimFeatures;
  /** Chrome (byline, dateline, share bar) was stripped from the claim. */
  chromeStripped: boolean;
  /** Nothing but chrome. */
  chromeOnly: boolean;
  /** The sentence is a table row: it stays or goes whole. */
  tableRow: boolean;
};

const TERMINAL = /([.!?。！？…]+["'”’)）」』]*)\s*$/u;

function buildUnit(
  sentence: Sentence,
  texts: TextPiece[],
  cite: CitePiece | null,
  trailing: TextPiece[],
  first: boolean,
  tableRow: boolean,
): Unit {
  const raw = [...texts, ...trailing].map((piece) => piece.text).join("");
  const plain = plainText(raw);
  const stripped = first && !tableRow ? stripClaimChrome(plain) : { text: plain, changed: false, chromeOnly: false };
  if (stripped.changed && !stripped.chromeOnly) {
    // The stripped text replaces the claim's own text (formatting included) in the sentence.
    const own = texts.map((piece) => piece.text).join("");
    const terminal = TERMINAL.exec(own)?.[1] ?? "";
    const cleaned = stripClaimChrome(plainText(own)).text;
    const replacement: TextPiece = {
      kind: "text",
      text: cleaned.endsWith(terminal) ? cleaned : `${cleaned}${terminal}`,
    };
    const at = Math.max(0, sentence.pieces.indexOf(texts[0] as Piece));
    sentence.pieces = sentence.pieces.filter((piece) => !texts.includes(piece as TextPiece));
    sentence.pieces.splice(at, 0, replacement);
    texts.splice(0, texts.length, replacement);
    sentence.modified = true;
  }
  return {
    sentence,
    texts,
    cite,
    trailing,
    features: claimFeatures(stripped.changed ? stripped.text : plain),
    chromeStripped: stripped.changed && !stripped.chromeOnly,
    chromeOnly: stripped.chromeOnly,
    tableRow,
  };
}

/**
 * The units of every sentence that cites a source, states a specific figure, or carries chrome;
 * none of the sentences in `skip` (already decided), and with `uncited: false` none of the
 * sentences that cite nothing.
 */
export function collectUnits(
  lines: Line[],
  options: { skip?: ReadonlySet<Sentence>; uncited?: boolean } = {},
): Unit[][] {
  const bySentence: Unit[][] = [];
  for (const line of lines) {
    if (line.kind !== "prose") continue;
    for (const sentence of line.sentences) {
      if (options.skip?.has(sentence)) continue;
      if (options.uncited === false && !sentence.pieces.some((piece) => piece.kind === "cite")) continue;
      const tableRow = /^\s*\|/.test(
        line.prefix + (sentence.pieces[0]?.kind === "text" ? sentence.pieces[0].text : ""),
      );
      const units: Unit[] = [];
      let texts: TextPiece[] = [];
      for (const piece of sentence.pieces) {
        if (piece.kind === "text") {
          texts.push(piece);
          continue;
        }
        units.push(buildUnit(sentence, texts, piece, [], units.length === 0, tableRow));
        texts = [];
      }
      const last = units.at(-1);
      if (last) {
        // Words after the last citation belong to the last claim; bare punctuation does not.
        if (texts.some((piece) => /[\p{L}\p{N}]/u.test(piece.text))) {
          last.trailing = texts;
          last.features = claimFeatures(plainText([...last.texts, ...texts].map((piece) => piece.text).join("")));
        }
        bySentence.push(units);
        continue;
      }
      if (!hasWords(sentence.pieces)) continue;
      const unit = buildUnit(sentence, texts, null, [], true, tableRow);
      if (unit.chromeOnly || unit.chromeStripped || unit.features.quantities.some(isSpecificFigure))
        bySentence.push([unit]);
    }
  }
  return bySentence;
}

/** Points the unit's citation at `ids` (adding one to an uncited sentence, before its final punctuation). */
export function setCitation(unit: Unit, ids: number[]): void {
  if (unit.cite) {
    unit.cite.ids = ids;
    return;
  }
  const pieces = unit.sentence.pieces;
  const lastText = [...pieces].reverse().find((piece): piece is TextPiece => piece.kind === "text");
  const cite: CitePiece = { kind: "cite", ids, space: " " };
  if (!lastText) return;
  const terminal = TERMINAL.exec(lastText.text);
  const index = pieces.indexOf(lastText);
  if (terminal && terminal.index > 0) {
    const body = lastText.text.slice(0, terminal.index);
    pieces.splice(index, 1, { kind: "text", text: body }, cite, {
      kind: "text",
      text: lastText.text.slice(terminal.index),
    });
  } else {
    pieces.splice(index + 1, 0, cite);
  }
  unit.cite = cite;
}

/** Removes a unit's claim from its sentence (leaving the sentence's final punctuation when it was the last claim). */
export function removeUnit(unit: Unit): void {
  const pieces = unit.sentence.pieces;
  const doomed = new Set<Piece>([...unit.texts, ...(unit.cite ? [unit.cite] : [])]);
  if (unit.trailing.length > 0 || unit.cite === null) {
    const terminal = TERMINAL.exec([...unit.texts, ...unit.trailing].map((piece) => piece.text).join(""))?.[1] ?? "";
    for (const piece of unit.trailing) doomed.add(piece);
    const position = Math.max(...[...doomed].map((piece) => pieces.indexOf(piece)));
    if (position >= 0) pieces.splice(position + 1, 0, { kind: "text", text: terminal });
  }
  unit.sentence.pieces = pieces.filter((piece) => !doomed.has(piece));
  unit.sentence.modified = true;
}

/** The claim's prose without its final punctuation, and that punctuation (empty when it stands after the citation). */
export function unitBody(unit: Unit): { body: string; terminal: string } {
  const text = plainText([...unit.texts, ...unit.trailing].map((piece) => piece.text).join(""));
  const terminal = TERMINAL.exec(text)?.[1] ?? "";
  return { body: text.slice(0, text.length - terminal.length).trimEnd(), terminal };
}

/** Replaces a unit's claim with the clauses kept, each group followed by the sources that support it. */
export function replaceUnit(unit: Unit, groups: Array<{ text: string; ids: number[] }>): void {
  const pieces = unit.sentence.pieces;
  const own = new Set<Piece>([...unit.texts, ...(unit.cite ? [unit.cite] : []), ...unit.trailing]);
  const start = pieces.findIndex((piece) => own.has(piece));
  const lead = /^\s*/.exec(unit.texts[0]?.text ?? "")?.[0] ?? "";
  const fresh: Piece[] = [];
  groups.forEach((group, index) => {
    fresh.push({ kind: "text", text: index === 0 ? `${lead}${group.text.replace(/^\s+/, "")}` : group.text });
    fresh.push({ kind: "cite", ids: group.ids, space: /\p{Script=Han}$/u.test(group.text) ? "" : " " });
  });
  const { terminal } = unitBody(unit);
  if (terminal) fresh.push({ kind: "text", text: terminal });
  const kept = pieces.filter((piece) => !own.has(piece));
  kept.splice(start < 0 ? kept.length : start, 0, ...fresh);
  unit.sentence.pieces = kept;
  unit.sentence.modified = true;
}
