/**
 * The run's citation-check figures and the one warning that sums them up (aggregated per run,
 * not one warning per sentence).
 */
import type { UnsupportedReason } from "./support.js";

/** `quality.grounding` of the result. cited_sentences = supported + repaired + dropped. */
export type GroundingFigures = {
  cited_sentences: number;
  supported: number;
  repaired: number;
  dropped: number;
  /** Of those, decided by the model judge (0 with the extractive engine). */
  judged: number;
};

export type RepairKind = "repointed" | "chrome" | "clause" | "copy" | "extra" | "added";
export type DropReason = UnsupportedReason | "chrome";

const MAX_EXAMPLES = 3;

export class GroundingLedger {
  readonly figures: GroundingFigures = { cited_sentences: 0, supported: 0, repaired: 0, dropped: 0, judged: 0 };
  readonly repairs: Record<RepairKind, number> = { repointed: 0, chrome: 0, clause: 0, copy: 0, extra: 0, added: 0 };
  readonly drops: Record<DropReason, number> = { figure: 0, name: 0, content: 0, furniture: 0, chrome: 0 };
  readonly droppedExamples: string[] = [];

  /** Records one sentence's outcome. */
  record(outcome: {
    status: "supported" | "repaired" | "dropped";
    judged: boolean;
    repairs: RepairKind[];
    drop: DropReason | null;
    text: string;
  }): void {
    this.figures.cited_sentences += 1;
    this.figures[outcome.status] += 1;
    if (outcome.judged) this.figures.judged += 1;
    for (const kind of new Set(outcome.repairs)) this.repairs[kind] += 1;
    if (outcome.status === "dropped" && outcome.drop) {
      this.drops[outcome.drop] += 1;
      if (this.droppedExamples.length < MAX_EXAMPLES)
        this.droppedExamples.push(outcome.text.length > 160 ? `${outcome.text.slice(0, 159)}…` : outcome.text);
    }
  }

  /** The run's warning about what the check changed, in the report's language; null when nothing changed. */
  warning(language: string): string | null {
    const { cited_sentences: total, repaired, dropped } = this.figures;
    if (repaired === 0 && dropped === 0) return null;
    const zh = language.toLowerCase().startsWith("zh");
    const part = (count: number, label: string): string => (zh ? `${label} ${count} 句` : `${count} ${label}`);
    const repairParts = (
      [
        ["repointed", zh ? "改引真正支持它的来源" : "re-pointed to the source that states it"],
        ["copy", zh ? "由转载副本改引原始报道" : "moved from a syndicated copy to the original"],
        ["extra", zh ? "去掉不支持它的附加引用" : "lost an extra citation that did not support it"],
        [
          "chrome",
          zh ? "删去混入的网页元素（署名、日期、分享栏）" : "had copied page chrome (byline, date, share bar) removed",
        ],
        ["clause", zh ? "删去无来源支持的分句" : "had an unsupported clause removed"],
        ["added", zh ? "为未标注来源的数字补上引用" : "got a citation for an uncited figure"],
      ] as Array<[RepairKind, string]>
    )
      .filter(([kind]) => this.repairs[kind] > 0)
      .map(([kind, label]) => part(this.repairs[kind], label));
    const dropParts = (
      [
        ["figure", zh ? "数字在来源中找不到" : "stated a figure no source gives"],
        ["name", zh ? "提到的名称来源中没有" : "named someone or something its sources do not"],
        ["content", zh ? "没有任何来源支持" : "no retrieved source supports"],
        [
          "furniture",
          zh
            ? "出自读者评论、相关文章链接等网页元素"
            : "came from a reader comment, a related-story link or other page furniture",
        ],
        ["chrome", zh ? "只是网页元素（署名、日期、分享栏）" : "were only page chrome (byline, date, share bar)"],
      ] as Array<[DropReason, string]>
    )
      .filter(([reason]) => this.drops[reason] > 0)
      .map(([reason, label]) => part(this.drops[reason], label));
    if (zh) {
      const repairedText = repaired > 0 ? `修正 ${repaired} 句（${repairParts.join("；")}）` : "";
      const droppedText = dropped > 0 ? `删除 ${dropped} 句（${dropParts.join("；")}）` : "";
      return `引用核查：共核查 ${total} 个带引用的句子，${[repairedText, droppedText].filter(Boolean).join("，")}。`;
    }
    const repairedText = repaired > 0 ? `${repaired} repaired (${repairParts.join("; ")})` : "";
    const droppedText = dropped > 0 ? `${dropped} removed (${dropParts.join("; ")})` : "";
    return `Citation check: of ${total} cited sentences, ${[repairedText, droppedText].filter(Boolean).join(", ")}.`;
  }
}
