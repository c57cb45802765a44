import { describe, expect, it } from "vitest";
import type { NumberedSource } from "../../src/core/author.js";
import { CitationVerifier, groundedQuality, type ClaimJudge, type JudgeItem } from "../../src/core/grounding/index.js";
import type { ModelUsage } from "../../src/core/types.js";
import { chineseSources, englishSources, lookupOf } from "./grounding-fixtures.js";

/** A judge with scripted verdicts that records what it was asked. */
class RecordingJudge implements ClaimJudge {
  readonly calls: JudgeItem[][] = [];
  constructor(private readonly verdict: (item: JudgeItem) => boolean | "fail") {}

  async judge(request: {
    items: JudgeItem[];
    onUsage: (usage: ModelUsage) => void | Promise<void>;
  }): Promise<Map<number, boolean>> {
    this.calls.push(request.items);
    await request.onUsage({ input_tokens: 200, output_tokens: 20, estimated: false });
    const answers = new Map<number, boolean>();
    for (const item of request.items) {
      const verdict = this.verdict(item);
      if (verdict === "fail") throw new Error("judge unavailable (HTTP 503)");
      answers.set(item.id, verdict);
    }
    return answers;
  }
}

async function check(
  text: string,
  options: { sources?: NumberedSource[]; evidence?: number[]; judge?: ClaimJudge; checkUncited?: boolean } = {},
) {
  const sources = options.sources ?? englishSources();
  const verifier = new CitationVerifier({
    sources: lookupOf(sources),
    judge: options.judge ?? null,
    ...(options.checkUncited === undefined ? {} : { checkUncited: options.checkUncited }),
  });
  const usage: ModelUsage[] = [];
  const evidence = sources.filter((source) => (options.evidence ?? [1]).includes(source.id));
  const output = await verifier.verify({
    text,
    evidence,
    signal: new AbortController().signal,
    onUsage: (entry) => void usage.push(entry),
  });
  return { output, figures: verifier.ledger.figures, ledger: verifier.ledger, verifier, usage };
}

describe("claim-level citation check (English)", () => {
  it("keeps a sentence its source states, as written", async () => {
    const text = "QuantumCell will build a 2 GWh battery plant in Nevada [1].";
    const { output, figures } = await check(text);
    expect(output).toBe(text);
    expect(figures).toEqual({ cited_sentences: 1, supported: 1, repaired: 0, dropped: 0, judged: 0 });
  });

  it("re-points a citation to the source that states the sentence", async () => {
    const { output, figures, ledger } = await check("VoltCore raised $50 million in a Series B round [1].", {
      evidence: [1, 2],
    });
    expect(output).toBe("VoltCore raised $50 million in a Series B round [2].");
    expect(figures).toMatchObject({ repaired: 1, dropped: 0 });
    expect(ledger.repairs.repointed).toBe(1);
  });

  it("looks beyond the section's evidence to the run's other sources", async () => {
    const { output } = await check("VoltCore raised $50 million in a Series B round [1].", { evidence: [1] });
    expect(output).toBe("VoltCore raised $50 million in a Series B round [2].");
  });

  it("drops a sentence no source supports, leaving the rest of the paragraph", async () => {
    const { output, figures, ledger } = await check(
      "Sodium-ion cells will replace lithium in every European car by 2030 [1]. QuantumCell will build a battery plant in Nevada [1].",
    );
    expect(output).toBe("QuantumCell will build a battery plant in Nevada [1].");
    expect(figures).toMatchObject({ cited_sentences: 2, supported: 1, dropped: 1 });
    expect(ledger.warning("en")).toMatch(/1 removed/);
  });

  it("drops a figure the cited source does not give ($140 cited to a source saying $110)", async () => {
    const { output, ledger } = await check("The plant will cost $140 million [1].");
    expect(output).toBe("");
    expect(ledger.drops.figure).toBe(1);
    expect(ledger.droppedExamples).toEqual(["The plant will cost $140 million"]);
  });

  it("accepts the same figure written differently", async () => {
    const sources = englishSources();
    const text = "The plant will cost US$110m and have 2,000 MWh of annual capacity [1].";
    const { output, figures } = await check(text, { sources });
    expect(output).toBe(text);
    expect(figures.dropped).toBe(0);
  });

  it("keeps the supported part of a partly supported sentence", async () => {
    const { output, ledger } = await check(
      "- QuantumCell will build a plant in Nevada, and its shares rose 40% on the news [1].",
    );
    expect(output).toBe("- QuantumCell will build a plant in Nevada [1].");
    expect(ledger.repairs.clause).toBe(1);
  });

  it("removes one unsupported claim from a sentence with two cited claims", async () => {
    const { output } = await check(
      "QuantumCell will employ 400 people in Nevada [1], while VoltCore will triple its output by 2028 [2].",
      { evidence: [1, 2] },
    );
    expect(output).toBe("QuantumCell will employ 400 people in Nevada [1].");
  });

  it("drops a sentence of page chrome and strips chrome copied in front of a claim", async () => {
    const { output, figures, ledger } = await check(
      [
        "By Jane Doe · 29 November 2026 · 4 min read [1]",
        "By Jane Doe · 29 November 2026 · Share: X · LinkedIn · Email · Copy link QuantumCell's Nevada plant will employ 400 people [1].",
      ].join("\n\n"),
    );
    expect(output).toBe("QuantumCell's Nevada plant will employ 400 people [1].");
    expect(figures).toMatchObject({ cited_sentences: 2, repaired: 1, dropped: 1 });
    expect(ledger.drops.chrome).toBe(1);
    expect(ledger.repairs.chrome).toBe(1);
  });

  it("drops a claim only a reader comment or a related-story link makes", async () => {
    const { output, ledger } = await check(
      "QuantumCell's plant will be shut down within a year, mark my words [1]. QuantumCell will build a battery plant in Nevada [1].",
    );
    expect(output).toBe("QuantumCell will build a battery plant in Nevada [1].");
    expect(ledger.drops.furniture).toBe(1);
    // A related-story title is not what the page reports: the fact is re-pointed to the story itself.
    const related = await check("VoltCore raised $50 million for electrolytes [1].", { evidence: [1] });
    expect(related.output).toBe("VoltCore raised $50 million for electrolytes [2].");
  });

  it("cites one copy of a syndicated story: the original", async () => {
    const { output, ledger } = await check(
      "Production is scheduled to start in March 2027 [1][3]. The first cells will ship to carmakers in the United States [3].",
      { evidence: [1, 3] },
    );
    expect(output).toBe(
      "Production is scheduled to start in March 2027 [1]. The first cells will ship to carmakers in the United States [1].",
    );
    expect(ledger.repairs.copy).toBe(2);
  });

  it("cites an uncited figure when a source states it, drops it when none does, and leaves connective sentences alone", async () => {
    const { output, figures } = await check(
      "Overall, the sector is moving fast. The plant has 2 GWh of capacity. Analysts expect the market to reach $75 billion by 2030.",
    );
    expect(output).toBe("Overall, the sector is moving fast. The plant has 2 GWh of capacity [1].");
    expect(figures).toMatchObject({ cited_sentences: 2, repaired: 1, dropped: 1 });
  });

  it("keeps the Markdown around the claims: headings, lists, emphasis, a citation after the full stop", async () => {
    const text = [
      "### Plant",
      "",
      "- **QuantumCell** will build a 2 GWh battery plant in Nevada [1].",
      "- The plant will cost $140 million [1].",
      "",
      "The first cells will ship to carmakers in the United States in 2027. [1]",
    ].join("\n");
    const { output } = await check(text);
    expect(output).toBe(
      [
        "### Plant",
        "",
        "- **QuantumCell** will build a 2 GWh battery plant in Nevada [1].",
        "",
        "The first cells will ship to carmakers in the United States in 2027. [1]",
      ].join("\n"),
    );
  });

  it("counts every checked sentence once: cited = supported + repaired + dropped", async () => {
    const { figures } = await check(
      "QuantumCell will build a battery plant in Nevada [1]. VoltCore raised $50 million [1]. The plant will cost $140 million [1].",
    );
    expect(figures.cited_sentences).toBe(figures.supported + figures.repaired + figures.dropped);
    expect(figures).toMatchObject({ cited_sentences: 3, supported: 1, repaired: 1, dropped: 1 });
  });
});

describe("claim-level citation check (Chinese)", () => {
  const zh = { sources: chineseSources() };

  it("keeps a supported sentence and re-points a misattributed one", async () => {
    const { output, figures } = await check(
      "宁德时代将投资120亿元在福建宁德建设固态电池工厂[1]。比亚迪新一代刀片电池的能量密度提升至190 Wh/kg[1]。",
      zh,
    );
    expect(output).toBe(
      "宁德时代将投资120亿元在福建宁德建设固态电池工厂[1]。比亚迪新一代刀片电池的能量密度提升至190 Wh/kg[2]。",
    );
    expect(figures).toMatchObject({ supported: 1, repaired: 1 });
  });

  it("reads 12 亿元 and 12亿元 as the same figure and drops a wrong one", async () => {
    const sources = chineseSources();
    const first = sources[0];
    if (first) first.content = first.content.replace("120亿元", "120 亿元");
    const kept = await check("宁德时代将投资120亿元建设固态电池工厂[1]。", { sources });
    expect(kept.output).toBe("宁德时代将投资120亿元建设固态电池工厂[1]。");
    const wrong = await check("该工厂设计年产能为30 GWh[1]。", zh);
    expect(wrong.output).toBe("");
    expect(wrong.ledger.drops.figure).toBe(1);
  });

  it("removes an unsupported clause, copied chrome, and a claim from the comments", async () => {
    const { output, ledger } = await check(
      [
        "- 宁德时代的固态电池工厂预计于2027年投产，公司股价当天大涨15%[1]。",
        "- 分享到：微信 微博 宁德时代将在福建宁德建设固态电池工厂[1]。",
        "",
        "这个工厂肯定会亏损，明年就要倒闭[1]。总体来看，固态电池进展迅速。",
      ].join("\n"),
      zh,
    );
    expect(output).toBe(
      [
        "- 宁德时代的固态电池工厂预计于2027年投产[1]。",
        "- 宁德时代将在福建宁德建设固态电池工厂[1]。",
        "",
        "总体来看，固态电池进展迅速。",
      ].join("\n"),
    );
    expect(ledger.repairs).toMatchObject({ clause: 1, chrome: 1 });
    expect(ledger.drops.furniture).toBe(1);
    expect(ledger.warning("zh")).toMatch(/^引用核查：共核查 3 个带引用的句子/);
  });
});

describe("the citation judge", () => {
  const paraphrased = "The firm stated its Nevada facility is set to open for production in March 2027 [1].";

  it("is asked once per text, only about grey-zone claims, with the passage of the cited source", async () => {
    const judge = new RecordingJudge(() => true);
    const text = [
      paraphrased,
      "QuantumCell will build a 2 GWh battery plant in Nevada [1].",
      "The plant will cost $140 million [1].",
    ].join(" ");
    const { output, figures, usage } = await check(text, { judge });
    expect(judge.calls).toHaveLength(1);
    expect(judge.calls[0]?.map((item) => item.claim)).toEqual([
      "The firm stated its Nevada facility is set to open for production in March 2027",
    ]);
    expect(judge.calls[0]?.[0]?.passage).toContain("Production is scheduled to start in March 2027");
    expect(output).toContain(paraphrased);
    expect(output).not.toContain("$140");
    expect(figures).toMatchObject({ supported: 2, dropped: 1, judged: 1 });
    expect(usage).toHaveLength(1);
  });

  it("is not called when every claim is clearly supported or clearly not", async () => {
    const judge = new RecordingJudge(() => true);
    await check("QuantumCell will build a 2 GWh battery plant in Nevada [1]. The plant will cost $140 million [1].", {
      judge,
    });
    expect(judge.calls).toHaveLength(0);
  });

  it("drops a grey claim the judge rejects", async () => {
    const judge = new RecordingJudge(() => false);
    const { output, figures } = await check(paraphrased, { judge });
    expect(output).toBe("");
    expect(figures).toMatchObject({ dropped: 1, judged: 1 });
  });

  it("falls back to the strict lexical check when the judge fails, and says so", async () => {
    const judge = new RecordingJudge(() => "fail");
    const { output, verifier } = await check(paraphrased, { judge });
    expect(output).toBe("");
    expect(verifier.judgeFailure).toContain("HTTP 503");
  });
});

describe("verbatim quotes (the extractive engine's)", () => {
  const QUOTE =
    "QuantumCell said on Tuesday it will build a battery plant in Nevada with 2 GWh of annual capacity. " +
    "The plant will cost $110 million and employ 400 people, chief executive Maria Lopez said.";

  it("passes sentences its cited source states verbatim, closed by one citation, untouched", async () => {
    for (const text of [
      `${QUOTE} [1]`,
      `${QUOTE.slice(0, -1)} [1].`,
      `- ${QUOTE} [1]\n\nThe plant will cost $110 million [1].`,
    ]) {
      const { output, figures } = await check(text);
      expect(output).toBe(text);
      expect(figures).toMatchObject({ repaired: 0, dropped: 0 });
    }
    const { figures } = await check(`${QUOTE} [1]`);
    expect(figures).toEqual({ cited_sentences: 2, supported: 2, repaired: 0, dropped: 0, judged: 0 });
    const chinese =
      "宁德时代11月29日宣布，将在福建宁德投资120亿元建设固态电池工厂，设计年产能为20 GWh。该工厂预计于2027年投产。[1]";
    const zh = await check(chinese, { sources: chineseSources() });
    expect(zh.output).toBe(chinese);
    expect(zh.figures).toMatchObject({ supported: 2, repaired: 0, dropped: 0 });
  });

  it("checks claim by claim what is not verbatim, cited to a copy, or only page chrome", async () => {
    // One word changed: the uncited figure gets its own citation, the wrong one goes.
    const edited = await check(
      "QuantumCell will build a battery plant in Nevada with 2 GWh of annual capacity. The plant will cost $140 million. [1]",
    );
    expect(edited.output).not.toContain("$140");
    expect(edited.figures).toMatchObject({ repaired: 1, dropped: 1 });
    // Cited to the syndicated copy: moved to the original.
    const copy = await check(`${QUOTE} [3]`, { evidence: [1, 3] });
    expect(copy.output).not.toContain("[3]");
    expect(copy.ledger.repairs.copy).toBeGreaterThan(0);
    // The byline and share bar are in the page's text, not in its article.
    const chrome = await check(
      "By Jane Doe · 29 November 2026 · Share: X · LinkedIn · Email · Copy link. QuantumCell said on Tuesday it will build a battery plant in Nevada with 2 GWh of annual capacity. [1]",
    );
    expect(chrome.output).not.toMatch(/Jane Doe|LinkedIn/);
  });

  it("leaves uncited framing alone when told the writer states nothing uncited (checkUncited: false)", async () => {
    const text = `Drawn from 2 sources dated 28–29 November 2026.\n\n- **29 Nov** — ${QUOTE} [1]`;
    const extractive = await check(text, { checkUncited: false });
    expect(extractive.output).toBe(text);
    expect(extractive.figures).toMatchObject({ repaired: 0, dropped: 0 });
    // By default an uncited figure is a claim: no source states "2 sources dated 28–29 November".
    const model = await check(text);
    expect(model.output).not.toContain("Drawn from 2 sources");
  });
});

describe("grounded quality", () => {
  const figures = { cited_sentences: 10, supported: 6, repaired: 2, dropped: 2, judged: 0 };

  it("keeps an overall that is the mean of its dimensions the mean, rounded once", () => {
    // Mean 6.94 (shown 6.9); grounding 7 → accuracy (6.7 + 7) / 2 = 6.85 → 6.9; mean then 6.98.
    const scores = { relevance: 8.3, depth: 4, accuracy: 6.7, completeness: 7.1, timeliness: 8.6, overall: 6.9 };
    const grounded = groundedQuality(scores, figures);
    expect(grounded.accuracy).toBe(6.9);
    const mean =
      (grounded.relevance + grounded.depth + grounded.accuracy + grounded.completeness + grounded.timeliness) / 5;
    expect(Math.abs(grounded.overall - mean)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(grounded.overall).toBe(7);
  });

  it("moves a model's own overall by a fifth of the change in accuracy", () => {
    const scores = { relevance: 8, depth: 6, accuracy: 9, completeness: 7, timeliness: 8, overall: 8.5 };
    const grounded = groundedQuality(scores, figures);
    expect(grounded.accuracy).toBe(8); // (9 + 7) / 2
    expect(grounded.overall).toBe(8.3); // 8.5 − 1 / 5
    expect(
      groundedQuality(scores, { ...figures, cited_sentences: 0, supported: 0, repaired: 0, dropped: 0 }),
    ).toMatchObject({ accuracy: 9, overall: 8.5 });
  });
});
