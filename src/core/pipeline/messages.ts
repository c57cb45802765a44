import { truncateText } from "../text/truncate.js";

/**
 * Progress messages and fixed report labels in the report's language. Chinese and English
 * are complete; other languages get localized headings and English progress messages.
 */

export type Messages = {
  taskStarted: (task: string) => string;
  analyzingIntent: string;
  intentDone: (topic: string) => string;
  generatingOutline: string;
  outlineDone: (count: number) => string;
  awaitingConfirmation: string;
  confirmationSkipped: string;
  outlineEdited: string;
  outlineRejected: (feedback: string | undefined) => string;
  searching: (queries: number) => string;
  searchDone: (sources: number) => string;
  assessing: (iteration: number) => string;
  assessed: (iteration: number, overall: number) => string;
  supplementing: (iteration: number, queries: number) => string;
  supplemented: (added: number) => string;
  writingSections: (count: number) => string;
  sectionDone: (name: string, index: number, total: number) => string;
  writingSummary: string;
  summaryDone: string;
  assembling: string;
  completed: (sections: number, sources: number) => string;
  noEvidence: string;
  /** A section whose every sentence repeated earlier sections. */
  coveredElsewhere: string;
  duplicatesCollapsed: (count: number, list: string) => string;
  offTopicLeftOut: (count: number, list: string) => string;
  repeatedSentences: (section: string, count: number) => string;
  /** A section whose every statement failed the citation check. */
  noSupportedStatements: string;
  /** A summary whose every statement failed the citation check. */
  summaryUnsupported: string;
  /** The run's warning when the citation judge failed and the lexical check decided alone. */
  judgeFailed: (reason: string) => string;
  summaryHeading: string;
  referencesHeading: string;
  extractiveNotice: string;
  generatedLine: (date: string, days: number) => string;
  cancelled: string;
  sectionHeading: (index: number, name: string) => string;
};

const CHINESE_NUMERALS = [
  "一",
  "二",
  "三",
  "四",
  "五",
  "六",
  "七",
  "八",
  "九",
  "十",
  "十一",
  "十二",
  "十三",
  "十四",
  "十五",
];

const zh: Messages = {
  taskStarted: (task) => `开始执行任务：${truncateText(task)}`,
  analyzingIntent: "正在分析任务意图",
  intentDone: (topic) => `意图分析完成：主题为「${topic}」`,
  generatingOutline: "正在生成报告大纲",
  outlineDone: (count) => `大纲已生成，共 ${count} 个章节`,
  awaitingConfirmation: "等待确认报告大纲",
  confirmationSkipped: "客户端不支持确认交互，已跳过大纲确认并继续生成",
  outlineEdited: "已采用修改后的大纲",
  outlineRejected: (feedback) => `大纲被拒绝，报告生成已停止${feedback ? `（反馈：${feedback}）` : ""}。`,
  searching: (queries) => `正在并行检索 ${queries} 个查询`,
  searchDone: (sources) => `检索完成，共获得 ${sources} 个来源`,
  assessing: (iteration) => `第 ${iteration} 轮质量评估（相关性、深度、准确性、完整性、时效性）`,
  assessed: (iteration, overall) => `第 ${iteration} 轮质量评估完成：综合得分 ${overall.toFixed(1)}/10`,
  supplementing: (iteration, queries) => `第 ${iteration} 轮补充检索：${queries} 个查询`,
  supplemented: (added) => `补充检索新增 ${added} 个来源`,
  writingSections: (count) => `正在并行撰写 ${count} 个章节`,
  sectionDone: (name) => `完成${name}的生成任务`,
  writingSummary: "正在生成执行摘要",
  summaryDone: "执行摘要已生成",
  assembling: "正在组装最终报告",
  completed: (sections, sources) => `报告生成完成：${sections} 个章节，引用 ${sources} 个来源`,
  noEvidence: "本节未检索到可引用的资料，因此不作任何论断。",
  coveredElsewhere: "本节的资料已在前面的章节中论述，此处不再重复。",
  duplicatesCollapsed: (count, list) => `合并了 ${count} 个重复来源（同一报道的转载或镜像），只保留原文：${list}`,
  offTopicLeftOut: (count, list) => `排除了 ${count} 个与主题无关的来源：${list}`,
  repeatedSentences: (section, count) => `章节「${section}」：删去了 ${count} 个与前面章节重复的句子。`,
  noSupportedStatements: "本节撰写的内容均未能在检索到的来源中得到核实，已全部删除，因此不作任何论断。",
  summaryUnsupported: "摘要中的论断均未能在来源中得到核实，已删除；请阅读以下各章节。",
  judgeFailed: (reason) =>
    `引用核查模型调用失败（${reason}），介于可判与不可判之间的句子改由词汇核查决定：只保留名称、数字与来源一致且用词高度重合的句子。`,
  summaryHeading: "执行摘要",
  referencesHeading: "参考资料",
  extractiveNotice: "本报告由抽取式引擎在未使用语言模型的情况下组装：每个句子均摘自其所引用的来源。",
  generatedLine: (date, days) => `生成日期：${date} · 时间范围：最近 ${days} 天`,
  cancelled: "报告在完成前已被取消，之后没有再进行任何工作。",
  sectionHeading: (index, name) => `${CHINESE_NUMERALS[index] ?? String(index + 1)}、${name}`,
};

const en: Messages = {
  taskStarted: (task) => `Started: ${truncateText(task)}`,
  analyzingIntent: "Analyzing the task's intent",
  intentDone: (topic) => `Intent analyzed: topic "${topic}"`,
  generatingOutline: "Generating the outline",
  outlineDone: (count) => `Outline ready: ${count} sections`,
  awaitingConfirmation: "Waiting for the outline to be confirmed",
  confirmationSkipped: "This client cannot confirm the outline; confirmation was skipped and the run continues",
  outlineEdited: "Using the edited outline",
  outlineRejected: (feedback) =>
    `The outline was rejected; the report was stopped${feedback ? ` (feedback: ${feedback})` : ""}.`,
  searching: (queries) => `Searching ${queries} queries in parallel`,
  searchDone: (sources) => `Search finished: ${sources} sources`,
  assessing: (iteration) =>
    `Quality assessment round ${iteration} (relevance, depth, accuracy, completeness, timeliness)`,
  assessed: (iteration, overall) => `Quality round ${iteration}: overall ${overall.toFixed(1)}/10`,
  supplementing: (iteration, queries) => `Supplementary search round ${iteration}: ${queries} queries`,
  supplemented: (added) => `Supplementary search added ${added} sources`,
  writingSections: (count) => `Writing ${count} sections in parallel`,
  sectionDone: (name, index, total) => `Finished section ${index}/${total}: ${name}`,
  writingSummary: "Writing the executive summary",
  summaryDone: "Executive summary written",
  assembling: "Assembling the report",
  completed: (sections, sources) => `Report completed: ${sections} sections, ${sources} sources cited`,
  noEvidence: "No sources were found for this section, so it makes no claims.",
  coveredElsewhere: "What the sources say on this section is covered in the sections above.",
  duplicatesCollapsed: (count, list) =>
    `Collapsed ${count} duplicate ${count === 1 ? "copy" : "copies"} of stories (syndicated or mirrored pages) into the original: ${list}`,
  offTopicLeftOut: (count, list) => `Left out ${count} off-topic ${count === 1 ? "source" : "sources"}: ${list}`,
  repeatedSentences: (section, count) =>
    `Section "${section}": removed ${count} ${count === 1 ? "sentence" : "sentences"} repeating earlier sections.`,
  noSupportedStatements:
    "Nothing written for this section could be verified against the retrieved sources, so it was removed and the section makes no claims.",
  summaryUnsupported:
    "The summary's statements could not be verified against the sources and were removed; see the sections below.",
  judgeFailed: (reason) =>
    `The citation judge failed (${reason}); sentences in the grey zone were decided by the lexical check alone, which keeps only those whose names and figures match the source and whose wording largely does.`,
  summaryHeading: "Executive Summary",
  referencesHeading: "References",
  extractiveNotice:
    "This report was assembled by the extractive engine without a language model: every sentence is quoted from the source it cites.",
  generatedLine: (date, days) =>
    `Generated ${date} · time window: ${days === 1 ? "the last day" : `last ${days} days`}`,
  cancelled: "The report was cancelled before it finished; no further work was done.",
  sectionHeading: (index, name) => `${index + 1}. ${name}`,
};

const HEADINGS: Record<string, { summary: string; references: string }> = {
  ja: { summary: "エグゼクティブサマリー", references: "参考文献" },
  ko: { summary: "요약", references: "참고 자료" },
  es: { summary: "Resumen ejecutivo", references: "Referencias" },
  fr: { summary: "Synthèse", references: "Références" },
  de: { summary: "Zusammenfassung", references: "Quellen" },
};

/** Messages for a BCP 47 language tag ("zh-CN" → Chinese). */
export function messagesFor(language: string): Messages {
  const base = language.toLowerCase().split(/[-_]/)[0] ?? "en";
  if (base === "zh") return zh;
  const headings = HEADINGS[base];
  return headings ? { ...en, summaryHeading: headings.summary, referencesHeading: headings.references } : en;
}
