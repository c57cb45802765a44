/**
 * Claim-level citation verification (issue 8, item 5). After a section (or the summary) is
 * written, every cited sentence is checked against the text of the source it cites. A citation
 * that is not supported is re-pointed to a source that supports the sentence (the section's
 * evidence first, then the run's other sources); otherwise the unsupported clause is removed, or
 * the sentence is dropped. Grey-zone claims go to the model judge in one batched call per text.
 */
import type { NumberedSource } from "../author.js";
import { throwIfAborted } from "../errors.js";
import type { ModelCallGate, ModelUsage } from "../types.js";
import { parseBody, renderBody, renderPieces, type Line, type Sentence } from "./claims.js";
import { canOpenSentence, splitClauses } from "./clauses.js";
import { claimFeatures, normalizeForMatch, plainText, TermWeights, type ClaimFeatures } from "./features.js";
import type { ClaimJudge, JudgeItem } from "./judge.js";
import { GroundingLedger, type DropReason, type RepairKind } from "./ledger.js";
import { mayState } from "./raw-text.js";
import { StoryCopies, type SourceLookup } from "./story-copies.js";
import { ProfileCache, type SourceProfile } from "./source-profile.js";
import { assessSupport, fallbackVerdict, type Support } from "./support.js";
import { collectUnits, removeUnit, replaceUnit, setCitation, unitBody, type Unit } from "./units.js";

export type { SourceLookup } from "./story-copies.js";

export type VerifyRequest = {
  /** Markdown citing run-wide source ids. */
  text: string;
  /** The sources the writer was given (searched first when re-pointing). */
  evidence: NumberedSource[];
  signal: AbortSignal;
  onUsage: (usage: ModelUsage) => void | Promise<void>;
  /** The run's budget for judge calls. */
  gate?: ModelCallGate | undefined;
};

/** Grey-zone claims the judge reads per call; past it the lexical fallback decides. */
export const MAX_JUDGE_ITEMS = 8;
/** A quote shorter than this (whitespace aside) could be found in a source by chance: it is checked claim by claim. */
const MIN_QUOTE_CHARS = 24;

export type VerifierOptions = {
  sources: SourceLookup;
  judge: ClaimJudge | null;
  /**
   * Whether a sentence that cites nothing but states a figure is a claim to check (it gets the
   * citation of the source that states it, or goes). True by default: a model may state a figure
   * without citing it. The extractive engine states nothing of its own but its framing ("Based on
   * 9 sources dated 21–27 November 2026."), which no source says: it passes false.
   */
  checkUncited?: boolean;
};

/** Whitespace-free form of normalized text: a quote joins sentences as its source does, with or without a space. */
function compactForMatch(text: string): string {
  return text.replace(/\s+/g, "");
}

type Option = { id: number; support: Support };
type Decision =
  | { kind: "keep"; ids: number[]; judged: boolean; repairs: RepairKind[] }
  | { kind: "clauses"; groups: Array<{ text: string; ids: number[] }>; repairs: RepairKind[] }
  | { kind: "drop"; reason: DropReason; judged: boolean };
type Pending = { unit: Unit; cited: Option[]; best: Option | null; greyCited: Option | null; greyOther: Option | null };

export class CitationVerifier {
  readonly ledger = new GroundingLedger();
  private readonly profiles = new ProfileCache();
  private readonly copies: StoryCopies;
  /** Rarity weights of the text being verified, over its evidence's passages. */
  private weights = new TermWeights();
  /** The judge's verdicts by claim and source: a claim repeated (in another section, in the summary) is not asked twice. */
  private readonly judged = new Map<string, boolean>();
  /** Set when a judge call failed: the run's warning says the lexical check decided instead. */
  judgeFailure: string | null = null;

  /** Each source's article text in `compactForMatch` form, by profile (a changed text gets a new profile). */
  private readonly compactArticles = new WeakMap<SourceProfile, string>();

  constructor(private readonly options: VerifierOptions) {
    this.copies = new StoryCopies(options.sources);
  }

  /** Verifies and repairs one text; returns the Markdown with only supported citations. */
  async verify(input: VerifyRequest): Promise<string> {
    // A writer may be handed only passages of a source; what the source says is its whole text, as the run retrieved it.
    const request = {
      ...input,
      evidence: input.evidence.map((source) => this.options.sources.get(source.id) ?? source),
    };
    this.weights = new TermWeights();
    for (const source of request.evidence)
      for (const passage of this.profile(source).passages) this.weights.add(passage);
    const lines = parseBody(request.text);
    const quoted = this.verbatimQuotes(lines);
    const sentences = collectUnits(lines, { skip: quoted, uncited: this.options.checkUncited !== false });
    const pending: Pending[] = [];
    const decisions = new Map<Unit, Decision>();
    for (const units of sentences) {
      for (const unit of units) {
        if (unit.chromeOnly) decisions.set(unit, { kind: "drop", reason: "chrome", judged: false });
        else pending.push(this.assess(unit, request.evidence));
      }
    }
    const verdicts = await this.runJudge(pending, request);
    for (const item of pending) decisions.set(item.unit, this.decide(item, verdicts, request.evidence));
    for (const units of sentences) this.apply(units, decisions);
    return renderBody(lines);
  }

  private profile(source: NumberedSource): SourceProfile {
    return this.profiles.get(source);
  }

  /**
   * Sentences that quote their cited source verbatim as a run: one or more sentences that cite
   * nothing, then one that closes them with a single citation group ("A. B. C. [3]": the
   * extractive engine quotes a sentence with the one it leans on this way). When the run is in
   * the article text of every source it cites (none a copy of another story), each of its
   * sentences is supported as written and left untouched; otherwise its sentences are checked
   * claim by claim. A single cited sentence is checked claim by claim (which accepts it verbatim too).
   */
  private verbatimQuotes(lines: Line[]): Set<Sentence> {
    const quoted = new Set<Sentence>();
    for (const line of lines) {
      if (line.kind !== "prose") continue;
      let run: Sentence[] = [];
      for (const sentence of line.sentences) {
        const cites = sentence.pieces.flatMap((piece, index) => (piece.kind === "cite" ? [index] : []));
        if (cites.length === 0) {
          run.push(sentence);
          continue;
        }
        const preceding = run;
        run = [];
        const at = cites[0] ?? 0;
        const cite = sentence.pieces[at];
        if (preceding.length === 0 || cites.length !== 1 || cite?.kind !== "cite" || cite.ids.length === 0) continue;
        // Only punctuation may follow the citation ("… in 2027 [3]." or "… in 2027. [3]").
        if (sentence.pieces.slice(at + 1).some((piece) => piece.kind === "text" && /[\p{L}\p{N}]/u.test(piece.text)))
          continue;
        const text = [
          ...preceding.map((item) => `${renderPieces(item.pieces)}${item.gapAfter}`),
          renderPieces(sentence.pieces.slice(0, at)),
        ].join("");
        const quote = compactForMatch(normalizeForMatch(plainText(text)));
        if (quote.length < MIN_QUOTE_CHARS || !cite.ids.every((id) => this.quotes(id, quote))) continue;
        for (const item of [...preceding, sentence]) {
          quoted.add(item);
          this.ledger.record({
            status: "supported",
            judged: false,
            repairs: [],
            drop: null,
            text: plainText(renderPieces(item.pieces)),
          });
        }
      }
    }
    return quoted;
  }

  /** Whether source `id` (an original, not a copy of another story) has `quote` verbatim in its article text. */
  private quotes(id: number, quote: string): boolean {
    const source = this.options.sources.get(id);
    if (!source || this.copies.originalOf(source.id) !== source.id) return false;
    const profile = this.profile(source);
    let article = this.compactArticles.get(profile);
    if (article === undefined) {
      article = compactForMatch(profile.articleNorm);
      this.compactArticles.set(profile, article);
    }
    return article.includes(quote);
  }

  private support(features: ClaimFeatures, source: NumberedSource): Support {
    return assessSupport(features, this.profile(source), this.weights.weight);
  }

  /** Lexical pass: the cited sources, then (if none supports the claim) the other candidates. */
  private assess(unit: Unit, evidence: NumberedSource[]): Pending {
    const ids = unit.cite?.ids ?? [];
    const cited = ids
      .map((id) => this.options.sources.get(id))
      .filter((source): source is NumberedSource => Boolean(source))
      .map((source) => ({ id: source.id, support: this.support(unit.features, source) }));
    const greyCited = bestOf(cited.filter((option) => option.support.verdict === "grey"));
    if (cited.some((option) => option.support.verdict === "supported"))
      return { unit, cited, best: null, greyCited, greyOther: null };
    const { best, grey } = this.searchOthers(unit.features, evidence, new Set(ids));
    return { unit, cited, best, greyCited, greyOther: grey };
  }

  /** The best supporting source among the evidence, then the rest of the run's sources. */
  private searchOthers(
    features: ClaimFeatures,
    evidence: NumberedSource[],
    exclude: Set<number>,
  ): { best: Option | null; grey: Option | null } {
    let grey: Option | null = null;
    const evidenceIds = new Set(evidence.map((source) => source.id));
    // The rest of the run's sources are read in full only when their raw text could state the claim.
    const others = this.options.sources
      .all()
      .filter((source) => !evidenceIds.has(source.id) && mayState(features, this.copies.raw(source), 0.4));
    for (const pool of [evidence, others]) {
      const options = pool
        .filter((source) => !exclude.has(source.id))
        .map((source) => ({ id: source.id, support: this.support(features, source) }));
      const best = bestOf(options.filter((option) => option.support.verdict === "supported"));
      if (best) return { best, grey: null };
      grey ??= bestOf(options.filter((option) => option.support.verdict === "grey"));
    }
    return { best: null, grey };
  }

  /** One judge call for the text's grey-zone claims (the writer's own citation first). */
  private async runJudge(pending: Pending[], request: VerifyRequest): Promise<Map<string, boolean>> {
    const verdicts = new Map<string, boolean>();
    const judge = this.options.judge;
    if (!judge) return verdicts;
    const asks: Array<{ key: string; unit: Unit; option: Option }> = [];
    for (const item of pending) {
      if (item.cited.some((option) => option.support.verdict === "supported") || item.best) continue;
      const option = item.greyCited ?? item.greyOther;
      if (!option) continue;
      const askKey = key(item.unit, option.id);
      const known = this.judged.get(askKey);
      if (known !== undefined) verdicts.set(askKey, known);
      else if (!asks.some((ask) => ask.key === askKey)) asks.push({ key: askKey, unit: item.unit, option });
    }
    if (asks.length === 0) return verdicts;
    asks.sort((left, right) => right.option.support.coverage - left.option.support.coverage);
    const batch = asks.slice(0, MAX_JUDGE_ITEMS);
    const items: JudgeItem[] = batch.map((ask, index) => {
      const source = this.options.sources.get(ask.option.id);
      return {
        id: index + 1,
        claim: ask.unit.features.text,
        title: source?.title ?? "",
        published_at: source?.published_at ?? null,
        passage: ask.option.support.passage,
      };
    });
    try {
      const answers = await judge.judge({
        items,
        signal: request.signal,
        onUsage: request.onUsage,
        gate: request.gate,
      });
      batch.forEach((ask, index) => {
        const answer = answers.get(index + 1);
        if (answer === undefined) return;
        verdicts.set(ask.key, answer);
        this.judged.set(ask.key, answer);
      });
    } catch (error) {
      throwIfAborted(request.signal);
      this.judgeFailure ??= error instanceof Error ? error.message : String(error);
    }
    return verdicts;
  }

  private decide(item: Pending, verdicts: Map<string, boolean>, evidence: NumberedSource[]): Decision {
    const { unit, cited } = item;
    const supported = cited.filter((option) => option.support.verdict === "supported").map((option) => option.id);
    if (supported.length > 0) {
      const repairs: RepairKind[] = supported.length < (unit.cite?.ids.length ?? 0) ? ["extra"] : [];
      return this.keep(unit, supported, false, repairs);
    }
    if (item.best) return this.keep(unit, [item.best.id], false, [unit.cite ? "repointed" : "added"]);
    for (const [option, cite] of [
      [item.greyCited, true],
      [item.greyOther, false],
    ] as const) {
      if (!option) continue;
      const verdict = verdicts.get(key(unit, option.id));
      const judged = verdict !== undefined;
      if (verdict ?? fallbackVerdict(option.support) === "supported") {
        const repairs: RepairKind[] = cite ? (cited.length > 1 ? ["extra"] : []) : [unit.cite ? "repointed" : "added"];
        return this.keep(unit, [option.id], judged, repairs);
      }
    }
    const clauses = this.splitSupported(unit, evidence);
    if (clauses) return clauses;
    const judged = [item.greyCited, item.greyOther].some((option) => option && verdicts.has(key(unit, option.id)));
    // An uncited sentence was checked for its figure; a cited one goes for its own source's reason.
    if (!unit.cite) return { kind: "drop", reason: "figure", judged };
    const reasons = cited.map((option) => option.support.reason).filter((reason) => reason !== null);
    return {
      kind: "drop",
      reason: reasons.includes("furniture")
        ? "furniture"
        : reasons.includes("figure")
          ? "figure"
          : (reasons[0] ?? "content"),
      judged,
    };
  }

  /** Keeps the claim citing `ids`, each moved to the original when it is a copy of a story. */
  private keep(unit: Unit, ids: number[], judged: boolean, repairs: RepairKind[]): Decision {
    const originals = ids.map((id) => this.originalFor(id, unit.features));
    const unique = [...new Set(originals)];
    const moved = originals.some((id, index) => id !== ids[index]) || unique.length < ids.length;
    return {
      kind: "keep",
      ids: unique,
      judged,
      repairs: [
        ...repairs,
        ...(moved ? (["copy"] as const) : []),
        ...(unit.chromeStripped ? (["chrome"] as const) : []),
      ],
    };
  }

  /** The original of a syndicated copy, when it supports the claim too; else the source itself. */
  private originalFor(id: number, features: ClaimFeatures): number {
    const original = this.copies.originalOf(id);
    if (original === id) return id;
    const source = this.options.sources.get(original);
    return source && fallbackVerdict(this.support(features, source)) === "supported" ? original : id;
  }

  /** Keeps the clauses some source supports, each with its source; null when none or all would go. */
  private splitSupported(unit: Unit, evidence: NumberedSource[]): Decision | null {
    if (unit.tableRow) return null;
    const { body } = unitBody(unit);
    const clauses = splitClauses(body);
    if (clauses.length < 2) return null;
    const citedIds = unit.cite?.ids ?? [];
    const groups: Array<{ text: string; ids: number[] }> = [];
    let removed = 0;
    let moved = false;
    for (const clause of clauses) {
      const features = claimFeatures(clause.text);
      const own = citedIds.find((id) => {
        const source = this.options.sources.get(id);
        return source && this.support(features, source).verdict === "supported";
      });
      const id = own ?? this.searchOthers(features, evidence, new Set(citedIds)).best?.id;
      if (id === undefined) {
        removed += 1;
        continue;
      }
      moved ||= own === undefined;
      const last = groups.at(-1);
      const text = groups.length === 0 ? clause.text : `${clause.separator}${clause.text}`;
      if (last && last.ids[0] === id) last.text += text;
      else groups.push({ text, ids: [id] });
    }
    if (groups.length === 0 || (removed === 0 && !moved)) return null;
    // Without its first clause, a sentence must still start like one ("making it the first…" does not).
    const opening = groups[0]?.text.trim() ?? "";
    if (!opening.startsWith(clauses[0]?.text.trim() ?? "") && !canOpenSentence(opening)) return null;
    const repairs: RepairKind[] = [
      ...(removed > 0 ? (["clause"] as const) : []),
      ...(moved ? (["repointed"] as const) : []),
      ...(unit.chromeStripped ? (["chrome"] as const) : []),
    ];
    return { kind: "clauses", groups, repairs };
  }

  /** Applies the decisions to one sentence and records its outcome. */
  private apply(units: Unit[], decisions: Map<Unit, Decision>): void {
    const outcomes = units
      .map((unit) => decisions.get(unit))
      .filter((decision): decision is Decision => Boolean(decision));
    const table = units.some((unit) => unit.tableRow);
    const anyDropped = outcomes.some((decision) => decision.kind === "drop");
    const allDropped = outcomes.every((decision) => decision.kind === "drop");
    const text = units.map((unit) => unit.features.text).join(" ");
    const judged = outcomes.some((decision) => decision.kind !== "clauses" && decision.judged);
    if (allDropped || (table && anyDropped)) {
      for (const unit of units) removeUnit(unit);
      const first = outcomes.find(
        (decision): decision is Extract<Decision, { kind: "drop" }> => decision.kind === "drop",
      );
      this.ledger.record({ status: "dropped", judged, repairs: [], drop: first?.reason ?? "content", text });
      return;
    }
    const repairs: RepairKind[] = anyDropped ? ["clause"] : [];
    units.forEach((unit, index) => {
      const decision = outcomes[index];
      if (!decision) return;
      if (decision.kind === "drop") removeUnit(unit);
      else if (decision.kind === "clauses") replaceUnit(unit, decision.groups);
      else setCitation(unit, decision.ids);
      if (decision.kind !== "drop") repairs.push(...decision.repairs);
    });
    this.ledger.record({ status: repairs.length > 0 ? "repaired" : "supported", judged, repairs, drop: null, text });
  }
}

function key(unit: Unit, id: number): string {
  return `${unit.features.norm}\u0000${id}`;
}

function bestOf(options: Option[]): Option | null {
  return options.reduce<Option | null>(
    (best, option) => (!best || option.support.coverage > best.support.coverage ? option : best),
    null,
  );
}
