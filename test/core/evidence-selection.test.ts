import { describe, expect, it } from "vitest";
import type { NumberedSource, Outline } from "../../src/core/author.js";
import { EvidencePool, type SelectionLimits } from "../../src/core/evidence/index.js";

function source(
  id: number,
  title: string,
  paragraphs: string[],
  published_at: string | null = "2026-05-05",
): NumberedSource {
  return {
    id,
    title,
    url: `https://news${id}.example.com/story`,
    content: paragraphs.join("\n\n"),
    published_at,
    provider: "tavily",
  };
}

const OUTLINE: Outline = {
  title: "Solid-state batteries",
  sections: [
    {
      id: 0,
      name: "Manufacturing and pilot lines",
      goal: "Who is producing cells, where, and at what scale",
      queries: ["solid-state battery pilot line production"],
    },
    {
      id: 1,
      name: "Energy density and performance",
      goal: "How far energy density and charging have come",
      queries: ["solid-state battery energy density Wh/kg"],
    },
    {
      id: 2,
      name: "Costs and investment",
      goal: "Funding rounds, cost per kWh and investment plans",
      queries: ["solid-state battery funding investment cost"],
    },
    {
      id: 3,
      name: "Safety standards and regulation",
      goal: "Safety testing, standards and rules",
      queries: ["solid-state battery safety standards regulation"],
    },
  ],
};

const PILOT = source(1, "Toyota opens solid-state battery pilot line", [
  "Toyota opened its first solid-state battery pilot line in Aichi, where production of sample cells began this month.",
  "The pilot line will produce a few thousand cells a month, and the company plans mass production at a second plant from 2028.",
]);
const DENSITY_OLD = source(
  2,
  "QuantumScape cells pass 400 Wh/kg",
  [
    "QuantumScape said its solid-state cells reached an energy density of 400 Wh/kg in tests.",
    "The cells kept 80 percent of their capacity after 800 charging cycles, a performance figure analysts called promising.",
  ],
  "2026-03-02",
);
const DENSITY_NEW = source(
  3,
  "QuantumScape ramps up production",
  [
    "QuantumScape expanded production of its solid-state battery B samples at its pilot line in San Jose.",
    "QuantumScape's latest solid-state cells reach an energy density of 450 Wh/kg, the company said on Tuesday.",
  ],
  "2026-05-20",
);
const FUNDING = source(4, "Solid Power raises $300 million", [
  "Solid Power raised $300 million in a funding round to expand its solid-state battery electrolyte plant.",
  "The company said the investment would bring the cost of its cells below $100 per kWh by 2030.",
]);
const SAFETY = source(5, "Regulators draft solid-state battery safety rules", [
  "Regulators in the EU and China published draft safety standards for solid-state battery packs, including nail penetration and thermal runaway tests.",
  "The regulation would require makers to certify every new cell chemistry before it reaches vehicles.",
]);
const GENERIC = source(6, "What is a solid-state battery?", [
  "A solid-state battery replaces the liquid electrolyte with a solid one, which promises higher energy density and better safety.",
  "Production is still expensive: pilot lines make few cells, and the cost per kWh is far above today's lithium-ion packs.",
  "Investment has poured in from carmakers, and regulators are writing safety standards for the new chemistry.",
]);
const GAP_FILL = source(7, "Factorial's Series E values startup at $2 billion", [
  "Factorial Energy closed a Series E funding round that values the solid-state battery startup at $2 billion, with Mercedes and Stellantis investing again.",
]);

const ALL = [PILOT, DENSITY_OLD, DENSITY_NEW, FUNDING, SAFETY, GENERIC, GAP_FILL];
const LIMITS: SelectionLimits = { tokensPerSection: 3000, maxSourcesPerSection: 10, maxPassagesPerSource: 4 };

function makePool(sources = ALL) {
  const pool = new EvidencePool(
    { get: (id) => sources.find((item) => item.id === id), all: () => sources },
    { topic: "solid-state batteries", key_terms: ["solid-state battery", "energy density", "electrolyte"] },
  );
  pool.found(0, [PILOT, DENSITY_NEW, GENERIC]);
  pool.found(1, [DENSITY_OLD, GENERIC]);
  pool.found(2, [FUNDING, GENERIC]);
  pool.found(3, [SAFETY, GENERIC]);
  return pool;
}

function ids(selection: ReturnType<EvidencePool["select"]>, sectionId: number): number[] {
  return selection.sections.find((section) => section.id === sectionId)?.sources.map((view) => view.id) ?? [];
}

describe("evidence per section by merit", () => {
  it("puts the page a section's own query found first in that section", () => {
    const selection = makePool().select({ outline: OUTLINE, limits: LIMITS, conflictPolicy: "mark" });
    expect(ids(selection, 0)[0]).toBe(PILOT.id);
    expect(ids(selection, 1)).toContain(DENSITY_OLD.id);
    expect(ids(selection, 2)[0]).toBe(FUNDING.id);
    expect(ids(selection, 3)[0]).toBe(SAFETY.id);
  });

  it("does not let a generic page that fits everywhere fill every section", () => {
    const selection = makePool().select({ outline: OUTLINE, limits: LIMITS, conflictPolicy: "mark" });
    const holding = OUTLINE.sections.filter((section) => ids(selection, section.id).includes(GENERIC.id));
    expect(holding.length).toBeLessThanOrEqual(2);
    const leftOut = selection.sections.flatMap((section) =>
      section.left_out.filter((entry) => entry.id === GENERIC.id),
    );
    expect(leftOut.length).toBe(4 - holding.length);
    for (const entry of leftOut) expect(entry.reason).toMatch(/already evidence for/);
  });

  it("lets a gap-filling source join the section that asked for it", () => {
    const pool = makePool();
    pool.found(2, [GAP_FILL]);
    const selection = pool.select({ outline: OUTLINE, limits: LIMITS, conflictPolicy: "mark" });
    expect(ids(selection, 2)).toContain(GAP_FILL.id);
  });

  it("lets a source another section's query found serve the section it fits", () => {
    const selection = makePool().select({ outline: OUTLINE, limits: LIMITS, conflictPolicy: "mark" });
    // The newer density figure was found by the manufacturing query; it belongs in the density section too.
    expect(ids(selection, 1)).toContain(DENSITY_NEW.id);
  });

  it("stays within the token budget, gives each source its best passages, and says what it left out", () => {
    const intro =
      "The annual battery conference drew a record crowd this year, with exhibitors from forty countries, a packed programme of talks " +
      "and a trade floor that organisers had to extend into a second hall after the first one sold out in February.";
    const long = source(8, "Conference round-up", [
      intro,
      "Delegates queued for coffee between sessions, and the evening reception ran late into the night at the harbour venue, " +
        "where a local band played until the organisers finally switched the lights off and sent everyone back to their hotels.",
      "Several speakers discussed new solid-state battery safety standards and the regulation of thermal runaway tests for packs, " +
        "arguing that certification rules written for liquid electrolytes do not fit cells that cannot leak or catch fire the same way.",
    ]);
    const sources = [...ALL, long];
    const pool = makePool(sources);
    pool.found(3, [long]);
    const tight: SelectionLimits = { tokensPerSection: 120, maxSourcesPerSection: 10, maxPassagesPerSource: 4 };
    const selection = pool.select({ outline: OUTLINE, limits: tight, conflictPolicy: "mark" });
    const safety = selection.sections.find((section) => section.id === 3);
    expect(safety?.tokens).toBeLessThanOrEqual(120);
    expect(safety?.left_out.length).toBeGreaterThan(0);
    for (const entry of safety?.left_out ?? []) expect(entry.reason).toMatch(/budget|already evidence/);
    const roomy = pool.select({ outline: OUTLINE, limits: LIMITS, conflictPolicy: "mark" });
    const view = roomy.sections.find((section) => section.id === 3)?.sources.find((item) => item.id === long.id);
    // The passage that answers the section is passed on; the small talk is not the first thing the writer reads.
    expect(view?.content).toContain("thermal runaway");
    expect(view?.content).not.toContain("coffee");
    expect(view?.content.startsWith(intro)).toBe(false);
    // Every on-topic source that reached no section is listed with a reason.
    const used = new Set(roomy.sections.flatMap((section) => section.sources.map((item) => item.id)));
    for (const entry of roomy.unused) expect(used.has(entry.id)).toBe(false);
  });

  it("gives a section whose words every section shares only what its own queries found", () => {
    const outline: Outline = {
      title: "t",
      sections: [
        { id: 0, name: "Theme 1", goal: "Explain theme 1", queries: ["solid-state battery theme 1"] },
        { id: 1, name: "Theme 2", goal: "Explain theme 2", queries: ["solid-state battery theme 2"] },
      ],
    };
    const sources = [
      source(1, "solid-state battery theme 1 (2)", [
        "Evidence 2 for solid-state battery theme 1. It states a fact worth citing.",
      ]),
    ];
    const pool = new EvidencePool(
      { get: (id) => sources.find((item) => item.id === id), all: () => sources },
      { topic: "solid-state batteries", key_terms: [] },
    );
    pool.found(0, sources);
    const selection = pool.select({ outline, limits: LIMITS, conflictPolicy: "mark" });
    expect(ids(selection, 0)).toEqual([1]);
    expect(ids(selection, 1)).toEqual([]);
  });
});
