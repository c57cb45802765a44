import type { ResolvedTaskType } from "../params.js";

/** Report-language strings of the extractive engine. */
export type EngineText = {
  noEvidence: string;
  /** The executive summary when no section quotes anything. */
  noEvidenceSummary: string;
  /** A section heading: the facet's name, and the lead fact when there is one ("Funding: Quillmark AI raised…"). */
  heading: (label: string, headline: string | null) => string;
  goal: (label: string, topic: string) => string;
  title: (topic: string, taskType: ResolvedTaskType) => string;
  thinSection: (name: string, quotes: number, sources: number) => string;
  staleSources: (share: number) => string;
  /** The summary's opening line: how many sources and of which dates. */
  sourcesLine: (counts: { dated: number; undated: number }, range: { from: number; to: number } | null) => string;
  /** A date as the summary shows it next to a fact. */
  shortDate: (time: number) => string;
};

const TITLES: Record<ResolvedTaskType, { en: string; zh: string }> = {
  news_report: { en: "News Report", zh: "动态报告" },
  research_report: { en: "Research Report", zh: "研究报告" },
  industry_analysis: { en: "Industry Analysis", zh: "行业分析报告" },
};

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function utcParts(time: number): { year: number; month: number; day: number } {
  const date = new Date(time);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth(), day: date.getUTCDate() };
}

/** "18–24 November 2026", "30 October – 24 November 2026", "24 November 2026". */
export function englishDateRange(from: number, to: number): string {
  const start = utcParts(from);
  const end = utcParts(to);
  const last = `${end.day} ${MONTHS[end.month]} ${end.year}`;
  if (start.year === end.year && start.month === end.month)
    return start.day === end.day ? last : `${start.day}–${last}`;
  if (start.year === end.year) return `${start.day} ${MONTHS[start.month]} – ${last}`;
  return `${start.day} ${MONTHS[start.month]} ${start.year} – ${last}`;
}

/** "2026年11月18日至24日", "2026年10月30日至11月24日", "2026年11月24日". */
export function chineseDateRange(from: number, to: number): string {
  const start = utcParts(from);
  const end = utcParts(to);
  const first = `${start.year}年${start.month + 1}月${start.day}日`;
  if (start.year === end.year && start.month === end.month)
    return start.day === end.day ? first : `${first}至${end.day}日`;
  if (start.year === end.year) return `${first}至${end.month + 1}月${end.day}日`;
  return `${first}至${end.year}年${end.month + 1}月${end.day}日`;
}

const CHINESE: EngineText = {
  noEvidence: "在检索到的资料中未找到本节的相关证据。",
  noEvidenceSummary: "在检索到的资料中未找到与该主题相关的证据，因此本报告不作任何论断。",
  heading: (label, headline) => (headline ? `${label}：${headline}` : label),
  goal: (label, topic) => `梳理${topic}的${label}。`,
  title: (topic, taskType) => `${topic}${TITLES[taskType].zh}`,
  thinSection: (name, quotes, sources) =>
    quotes === 0 ? `“${name}”部分没有可引用的证据。` : `“${name}”部分仅有${quotes}条引文，来自${sources}个来源。`,
  staleSources: (share) => `仅有${Math.round(share * 100)}%的有日期来源落在时间范围内。`,
  sourcesLine: ({ dated, undated }, range) => {
    const extra = undated > 0 ? `（另有${undated}个无日期的参考资料）` : "";
    if (!range) return `本报告依据${undated}个无日期的资料。`;
    return `本报告依据${dated}个来源，日期为${chineseDateRange(range.from, range.to)}${extra}。`;
  },
  shortDate: (time) => {
    const { month, day } = utcParts(time);
    return `${month + 1}月${day}日`;
  },
};

const ENGLISH: EngineText = {
  noEvidence: "No evidence for this section was found in the searched sources.",
  noEvidenceSummary: "No evidence on this topic was found in the searched sources, so this report makes no claims.",
  heading: (label, headline) => (headline ? `${label}: ${headline}` : label),
  goal: (label, topic) => `Set out the ${label.toLowerCase()} for ${topic}.`,
  title: (topic, taskType) => `${topic.charAt(0).toUpperCase()}${topic.slice(1)}: ${TITLES[taskType].en}`,
  thinSection: (name, quotes, sources) =>
    quotes === 0
      ? `Section "${name}" has no quotable evidence.`
      : `Section "${name}" rests on ${quotes} quote${quotes === 1 ? "" : "s"} from ${sources} source${sources === 1 ? "" : "s"}.`,
  staleSources: (share) => `Only ${Math.round(share * 100)}% of the dated sources fall inside the time window.`,
  sourcesLine: ({ dated, undated }, range) => {
    const extra = undated > 0 ? ` (and ${undated} undated reference${undated === 1 ? "" : "s"})` : "";
    if (!range) return `Drawn from ${undated} undated document${undated === 1 ? "" : "s"}.`;
    return `Drawn from ${dated} source${dated === 1 ? "" : "s"} dated ${englishDateRange(range.from, range.to)}${extra}.`;
  },
  shortDate: (time) => {
    const { month, day } = utcParts(time);
    return `${day} ${MONTHS[month]?.slice(0, 3)}`;
  },
};

/** The engine's strings in the report language: Chinese for `zh*`, else English. */
export function engineText(language: string): EngineText {
  return isChinese(language) ? CHINESE : ENGLISH;
}

/** Whether a BCP 47 tag is Chinese. */
export function isChinese(language: string): boolean {
  return /^zh\b/i.test(language);
}
