import type { ReportResult } from "../core/result.js";
import { formatCount } from "./progress-reporter.js";
import { formatCost } from "../core/cost/prices.js";

type Totals = { input: number; output: number };

/** One phrase per language; the report's language picks (Chinese for zh*, English otherwise). */
const PHRASES = {
  en: {
    ready: "Report ready",
    sections: (count: number) => `${count} ${count === 1 ? "section" : "sections"}`,
    sources: (count: number) => `${count} ${count === 1 ? "source" : "sources"}`,
    quality: (score: string) => `quality ${score}/10`,
    tokens: (input: string, output: string) => `${input} tokens in / ${output} out`,
    extractive: "extractive engine",
    seconds: (seconds: string) => `${seconds} s`,
    separator: ": ",
    written: (file: string) => `Report written to ${file}`,
  },
  zh: {
    ready: "报告已完成",
    sections: (count: number) => `${count} 个章节`,
    sources: (count: number) => `${count} 个来源`,
    quality: (score: string) => `质量 ${score}/10`,
    tokens: (input: string, output: string) => `输入 ${input} / 输出 ${output} tokens`,
    extractive: "抽取式引擎",
    seconds: (seconds: string) => `${seconds} 秒`,
    separator: "：",
    written: (file: string) => `报告已写入 ${file}`,
  },
} as const;

function phrasesFor(language: string | undefined): (typeof PHRASES)[keyof typeof PHRASES] {
  return language?.toLowerCase().startsWith("zh") ? PHRASES.zh : PHRASES.en;
}

/** The run's last line, in the report's language: sections, sources, quality, tokens (or engine), time. */
export function summarizeRun(result: ReportResult, seen: Totals): string {
  const phrases = phrasesFor(result.metadata.language);
  const usage = result.metadata.usage;
  const input = Math.max(usage.input_tokens, seen.input);
  const output = Math.max(usage.output_tokens, seen.output);
  const parts = [
    phrases.sections(result.metadata.sections_count),
    phrases.sources(result.sources.length),
    phrases.quality(result.quality.overall.toFixed(1)),
    result.metadata.engine === "llm" ? phrases.tokens(formatCount(input), formatCount(output)) : phrases.extractive,
    ...(result.metadata.cost ? [formatCost(result.metadata.cost)] : []),
    phrases.seconds((result.metadata.duration_ms / 1000).toFixed(1)),
  ];
  return `${phrases.ready}${phrases.separator}${parts.join(" · ")}`;
}

/** "Report written to FILE", in the report's language. */
export function reportWrittenLine(result: ReportResult, file: string): string {
  return phrasesFor(result.metadata.language).written(file);
}
