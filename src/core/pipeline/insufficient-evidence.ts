import type { Intent, NumberedSource, WrittenSection } from "../author.js";
import { ReportError } from "../errors.js";
import { collectCitations } from "./citations.js";

/**
 * `insufficient_evidence` (issue 9): a report with no usable evidence is not written. It fails
 * with this typed error instead of completing with every section empty — CLI exit code 3, a
 * JSON-RPC error over MCP and HTTP. There is no "partial results" switch: a report without a
 * single citation has nothing to keep.
 */
export function insufficientEvidenceError(options: {
  intent: Intent;
  providers: string[];
  retrieved: number;
  stage: "search" | "writing";
}): ReportError {
  const { intent, providers, retrieved, stage } = options;
  const searched = providers.join(", ");
  // Other wording, another source, or a wider window may find something; the face names its own knobs.
  const hint = { kind: "raise_setting", setting: "days", value: intent.days } as const;
  if (/^zh\b/i.test(intent.language)) {
    const found =
      stage === "search"
        ? `检索（${searched}）在时间范围内没有找到任何资料`
        : `检索（${searched}）找到 ${retrieved} 个来源，但没有一个可以引用的与主题相关的内容`;
    return new ReportError(
      "insufficient_evidence",
      `没有关于「${intent.topic}」的可用证据：${found}，因此没有生成报告。`,
      { hint },
    );
  }
  const found =
    stage === "search"
      ? `the search (${searched}) found no source inside the time window`
      : `the search (${searched}) found ${retrieved} source${retrieved === 1 ? "" : "s"}, none with anything quotable about the subject`;
  return new ReportError(
    "insufficient_evidence",
    `No usable evidence about "${intent.topic}": ${found}, so no report was written.`,
    { hint },
  );
}

/** Throws `insufficient_evidence` when no section has a single source to write from. */
export function assertSomeEvidence(options: {
  intent: Intent;
  evidence: Map<number, NumberedSource[]>;
  providers: string[];
  retrieved: number;
}): void {
  if ([...options.evidence.values()].some((sources) => sources.length > 0)) return;
  throw insufficientEvidenceError({ ...options, stage: "search" });
}

/** Throws `insufficient_evidence` when the written sections cite nothing at all. */
export function assertSomethingCited(options: {
  intent: Intent;
  sections: WrittenSection[];
  providers: string[];
  retrieved: number;
}): void {
  if (options.sections.some((section) => collectCitations(section.content).length > 0)) return;
  throw insufficientEvidenceError({ ...options, stage: "writing" });
}
