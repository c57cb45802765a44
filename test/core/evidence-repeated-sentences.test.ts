import { describe, expect, it } from "vitest";
import { SentenceLedger } from "../../src/core/evidence/index.js";

describe("no sentence repeated across sections", () => {
  it("removes exact and near repeats from later sections, whatever they cite, and keeps the rest", () => {
    const ledger = new SentenceLedger();
    const first = ledger.take(
      "Manufacturing",
      "Toyota opened its first solid-state battery pilot line in Aichi this month [1]. The line makes a few thousand cells a month [2].",
    );
    expect(first.removed).toEqual([]);
    const second = ledger.take(
      "Costs",
      [
        "Toyota opened its first solid-state battery pilot line in Aichi this month [4].",
        "",
        "- The line makes a few thousand cells a month, [2]",
        "- Solid Power raised $300 million to expand its electrolyte plant [3].",
        "",
        "Cells still cost far more than lithium-ion packs. [5] Toyota opened its first solid-state battery pilot line in Aichi. [1]",
      ].join("\n"),
    );
    expect(second.removed.map((entry) => entry.repeats)).toEqual(["Manufacturing", "Manufacturing", "Manufacturing"]);
    expect(second.text).toBe(
      [
        "- Solid Power raised $300 million to expand its electrolyte plant [3].",
        "",
        "Cells still cost far more than lithium-ion packs. [5]",
      ].join("\n"),
    );
  });

  it("works on Chinese text and leaves short connective sentences alone", () => {
    const ledger = new SentenceLedger();
    ledger.take("一", "多家公司本周发布了面向企业的AI智能体平台，可以自动完成报销审批等流程[1]。详见下文。");
    const later = ledger.take(
      "二",
      "多家公司本周发布了面向企业的AI智能体平台，可自动完成报销审批等流程[2]。详见下文。价格竞争将进一步加剧[3]。",
    );
    expect(later.removed).toHaveLength(1);
    expect(later.text).toBe("详见下文。价格竞争将进一步加剧[3]。");
  });

  it("never touches headings, tables or code", () => {
    const ledger = new SentenceLedger();
    const table = "| Maker | Density |\n|---|---|\n| QuantumScape | 450 Wh/kg |";
    ledger.take("a", `### Key figures for solid-state batteries this year\n\n${table}`);
    const later = ledger.take("b", `### Key figures for solid-state batteries this year\n\n${table}`);
    expect(later.removed).toEqual([]);
    expect(later.text).toContain(table);
  });
});
