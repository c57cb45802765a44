import { describe, expect, it } from "vitest";
import type { Intent, NumberedSource, Outline } from "../../src/core/author.js";
import { EvidencePool, extractFigures, findDisagreements, figuresOf } from "../../src/core/evidence/index.js";
import { sectionMessages } from "../../src/core/llm-author/prompts.js";

function source(
  id: number,
  title: string,
  paragraphs: string[],
  dates: { published: string | null; modified?: string },
): NumberedSource {
  return {
    id,
    title,
    url: `https://news${id}.example.com/story`,
    content: paragraphs.join("\n\n"),
    published_at: dates.published,
    ...(dates.modified ? { modified_at: dates.modified } : {}),
    provider: "tavily",
  };
}

const OLDER = source(
  11,
  "QuantumScape cells pass 400 Wh/kg",
  [
    "QuantumScape said its solid-state cells reached an energy density of 400 Wh/kg in tests, a record for the company at the time.",
    "The cells kept 80 percent of their capacity after 800 charging cycles.",
  ],
  { published: "2026-03-02T08:00:00Z" },
);
const NEWER = source(
  12,
  "QuantumScape update",
  [
    "QuantumScape expanded production of B samples at its pilot line in San Jose, the company said in a letter to shareholders.",
    "QuantumScape's latest solid-state cells reach an energy density of 450 Wh/kg, the company said on Tuesday.",
  ],
  { published: "2026-04-01T08:00:00Z", modified: "2026-05-20T08:00:00Z" },
);
const UNRELATED = source(
  13,
  "CATL expands",
  ["CATL's Ningde plant for solid-state battery samples has a capacity of 50 GWh, the company said."],
  { published: "2026-05-01T08:00:00Z" },
);

const INTENT: Intent = {
  task_type: "research_report",
  topic: "solid-state batteries",
  language: "en",
  days: 365,
  time_window: { from: "2025-06-01T00:00:00Z", to: "2026-06-01T00:00:00Z" },
  key_terms: ["solid-state battery", "energy density"],
};
const OUTLINE: Outline = {
  title: "Solid-state batteries",
  sections: [
    { id: 0, name: "Manufacturing", goal: "Who makes cells", queries: ["solid-state battery pilot line production"] },
    {
      id: 1,
      name: "Energy density",
      goal: "How far energy density has come",
      queries: ["solid-state battery energy density Wh/kg"],
    },
  ],
};

function poolOf(sources: NumberedSource[]) {
  const pool = new EvidencePool({ get: (id) => sources.find((item) => item.id === id), all: () => sources }, INTENT);
  pool.found(0, [NEWER, UNRELATED]);
  pool.found(1, [OLDER]);
  return pool;
}

describe("figures", () => {
  it("reads figures with units in English and Chinese, skipping years and dates", () => {
    expect(
      figuresOf("Toyota raised $1.2 billion in 2026 and its cells hit 450 Wh/kg, up 12% since May 3.").map(
        (figure) => figure.raw,
      ),
    ).toEqual(["$1.2 billion", "450 Wh/kg", "12%"]);
    expect(
      figuresOf("该公司2026年5月3日宣布融资5亿美元，能量密度达到500瓦时/公斤，同比增长30%。").map(
        (figure) => figure.raw,
      ),
    ).toEqual(["5亿美元", "500瓦时/公斤", "30%"]);
  });

  it("finds two sources stating one quantity differently, not different subjects or a stated change", () => {
    const topic = new Set(["solid", "state", "battery"]);
    const figures = (id: number, text: string) => extractFigures({ sourceId: id, passage: 0, text, topicTerms: topic });
    const pairs = findDisagreements([
      ...figures(1, "QuantumScape said its cells reached an energy density of 400 Wh/kg in tests."),
      ...figures(2, "QuantumScape's latest cells reach an energy density of 450 Wh/kg, the company said."),
      ...figures(3, "CATL's plant in Ningde has a capacity of 50 GWh."),
      ...figures(4, "BYD's plant in Hefei has a capacity of 30 GWh."),
      ...figures(5, "Energy density at QuantumScape rose from 400 Wh/kg to 450 Wh/kg this year."),
    ]);
    // Source 5 states a change ("from 400 … to 450"): its current value disagrees with source 1, agrees with source 2.
    expect(pairs.map((pair) => [pair.first.sourceId, pair.second.sourceId]).sort()).toEqual([
      [1, 2],
      [1, 5],
    ]);
    // A value given as the point of comparison ("down from $140/kWh") is not what the sentence states.
    const costs = findDisagreements([
      ...figures(
        8,
        "Solid-state battery cells cost an average of $140/kWh to make in the second quarter, down from $175/kWh a year earlier, Corvel Research said.",
      ),
      ...figures(
        9,
        "Solid-state battery cells now cost an average of $110/kWh to make, Corvel Research said, down from $140/kWh in its summer survey.",
      ),
    ]);
    expect(costs.map((pair) => [pair.first.raw, pair.second.raw])).toEqual([["$140/kWh", "$110/kWh"]]);
    // One sentence's "60 percent" (energy) and another's "30 percent" (cost gap) share words, not a quantity.
    const percentages = findDisagreements([
      ...figures(
        12,
        "The cells reach an energy density of 450 Wh/kg at the cell level, roughly 60 percent more than the nickel-rich lithium-ion cells in most cars.",
      ),
      ...figures(
        13,
        "Conventional nickel-rich lithium-ion cells still cost about $85/kWh, so the gap has narrowed to roughly 30 percent.",
      ),
    ]);
    expect(percentages).toEqual([]);
    const chinese = (id: number, text: string) =>
      extractFigures({ sourceId: id, passage: 0, text, topicTerms: new Set(["ai", "agent"]) });
    const zh = findDisagreements([
      ...chinese(6, "据报道，该公司智能体平台的日活跃用户达到300万人。"),
      ...chinese(7, "最新数据显示，该公司智能体平台日活跃用户已达500万人。"),
    ]);
    expect(zh).toHaveLength(1);
    // A forecast for another year is another quantity.
    const years = findDisagreements([
      ...chinese(10, "观澜咨询称，2026年中国智能体市场规模约为300亿元。"),
      ...chinese(11, "观澜咨询预计，2028年中国智能体市场规模将达到1000亿元。"),
    ]);
    expect(years).toEqual([]);
  });
});

/** What the energy-density section's writer gets. */
function densityEvidence(
  sources: NumberedSource[],
  options: { maxSources: number; policy: "mark" | "omit" },
): NumberedSource[] {
  const selection = poolOf(sources).select({
    outline: OUTLINE,
    limits: { tokensPerSection: 3000, maxSourcesPerSection: options.maxSources, maxPassagesPerSource: 4 },
    conflictPolicy: options.policy,
  });
  return selection.sections.find((section) => section.id === 1)?.sources ?? [];
}

describe("recency in the evidence", () => {
  it("brings the newer figure into the section that holds the older one and marks which is newer", () => {
    const density = densityEvidence([OLDER, NEWER, UNRELATED], { maxSources: 1, policy: "mark" });
    expect(density.map((view) => view.id)).toEqual([OLDER.id, NEWER.id]);
    const [older, newer] = density;
    expect(older?.conflicts).toEqual([
      expect.objectContaining({
        value: "400 Wh/kg",
        other_value: "450 Wh/kg",
        other_source_id: NEWER.id,
        standing: "older",
      }),
    ]);
    expect(newer?.conflicts).toEqual([expect.objectContaining({ value: "450 Wh/kg", standing: "newer" })]);
    expect(newer?.content).toContain("450 Wh/kg");
    // Recency uses the modified date when the page gives one.
    expect(newer?.recency_rank).toBe(1);
    expect(older?.recency_rank).toBe(2);
  });

  it("tells the model every source's dates and which figure is current", () => {
    const evidence = densityEvidence([OLDER, NEWER, UNRELATED], { maxSources: 10, policy: "mark" });
    const messages = sectionMessages({
      task: "State of solid-state batteries",
      intent: INTENT,
      outline: OUTLINE,
      section: OUTLINE.sections[1]!,
      evidence,
    });
    const system = messages[0]?.content ?? "";
    const user = messages[1]?.content ?? "";
    expect(system).toMatch(/newer source's value as the current one/);
    expect(system).toMatch(/give its date/);
    expect(user).toContain(`[${OLDER.id}] ${OLDER.title} (published 2026-03-02;`);
    expect(user).toContain(`[${NEWER.id}] ${NEWER.title} (published 2026-04-01, updated 2026-05-20;`);
    expect(user).toMatch(/Figures the sources disagree on/);
    expect(user).toMatch(
      new RegExp(
        `450 Wh/kg \\[${NEWER.id}\\] \\(published 2026-04-01, updated 2026-05-20\\) — newer; 400 Wh/kg \\[${OLDER.id}\\] \\(published 2026-03-02\\) — older`,
      ),
    );
  });

  it("leaves the superseded sentence out for an engine that quotes sentences", () => {
    const density = densityEvidence([OLDER, NEWER, UNRELATED], { maxSources: 10, policy: "omit" });
    const older = density.find((view) => view.id === OLDER.id);
    const newer = density.find((view) => view.id === NEWER.id);
    expect(newer?.content).toContain("450 Wh/kg");
    expect(older?.content ?? "").not.toContain("400 Wh/kg");
    expect(older?.content ?? "").toContain("800 charging cycles");
  });

  it("marks the order unknown when one source is undated", () => {
    const undated = { ...OLDER, published_at: null };
    const density = densityEvidence([undated, NEWER, UNRELATED], { maxSources: 10, policy: "mark" });
    const view = density.find((item) => item.id === OLDER.id);
    expect(view?.conflicts?.[0]?.standing).toBe("unknown");
    expect(view?.recency_rank).toBeNull();
  });
});
