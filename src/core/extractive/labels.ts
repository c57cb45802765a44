import type { ResolvedTaskType } from "../params.js";

/** One slot of a report type's usual structure: its heading and the words that signal it. */
export type StructureSlot = { en: string; zh: string; cues: string[] };

/** The usual structure of each report type; clusters of evidence are fitted into these slots. */
export const STRUCTURES: Record<ResolvedTaskType, StructureSlot[]> = {
  news_report: [
    { en: "Key events", zh: "重大事件", cues: ["launch", "release", "announce", "publish", "open", "unveil", "ship", "发布", "宣布", "推出", "上线", "开源"] },
    { en: "Products and deployments", zh: "产品与落地", cues: ["customer", "deploy", "product", "platform", "pilot", "user", "企业", "部署", "落地", "产品", "平台", "客户"] },
    { en: "Funding and market moves", zh: "融资与市场", cues: ["funding", "raise", "investment", "price", "pricing", "market", "deal", "acquire", "融资", "投资", "收费", "价格", "市场"] },
    { en: "Policy and safety", zh: "政策与安全", cues: ["regulation", "policy", "security", "safety", "audit", "risk", "standard", "law", "监管", "安全", "指引", "政策", "风险", "标准"] },
    { en: "Outlook", zh: "趋势展望", cues: ["expect", "plan", "forecast", "next", "future", "trend", "预计", "计划", "未来", "趋势", "将"] },
  ],
  research_report: [
    { en: "Background", zh: "研究背景", cues: ["definition", "replace", "use", "consist", "term", "basic", "traditional", "conventional", "定义", "原理", "传统", "基本"] },
    { en: "Key findings", zh: "主要发现", cues: ["found", "find", "study", "test", "result", "report", "measure", "percent", "研究", "测试", "结果", "发现"] },
    { en: "Technical progress", zh: "技术进展", cues: ["density", "cycle", "process", "design", "electrolyte", "capacity", "performance", "技术", "路线", "性能", "工艺", "设计"] },
    { en: "Challenges", zh: "挑战与问题", cues: ["cost", "problem", "obstacle", "risk", "challenge", "limit", "delay", "difficult", "成本", "挑战", "瓶颈", "问题", "难点"] },
    { en: "Outlook", zh: "未来展望", cues: ["expect", "plan", "forecast", "next", "future", "will", "2027", "2028", "2030", "预计", "计划", "未来", "将"] },
  ],
  industry_analysis: [
    { en: "Market overview", zh: "市场概况", cues: ["market", "spending", "shipment", "revenue", "billion", "share", "growth", "市场", "规模", "出货", "增长"] },
    { en: "Competitive landscape", zh: "竞争格局", cues: ["compete", "competition", "vendor", "company", "start-up", "startup", "leader", "rival", "竞争", "厂商", "企业", "公司"] },
    { en: "Technology and products", zh: "技术与产品", cues: ["technology", "product", "design", "platform", "electrolyte", "model", "技术", "产品", "路线", "平台"] },
    { en: "Policy and risks", zh: "政策与风险", cues: ["policy", "regulation", "risk", "cost", "supply", "safety", "政策", "监管", "风险", "成本", "供应"] },
    { en: "Outlook", zh: "发展趋势", cues: ["expect", "plan", "forecast", "next", "future", "trend", "预计", "计划", "未来", "趋势"] },
  ],
};

/** Report-language strings of the extractive engine. */
export type EngineText = {
  noEvidence: string;
  /** The executive summary when no section quotes anything. */
  noEvidenceSummary: string;
  heading: (slot: StructureSlot, terms: string[]) => string;
  goal: (slot: StructureSlot, topic: string, terms: string[]) => string;
  title: (topic: string, taskType: ResolvedTaskType) => string;
  thinSection: (name: string, count: number) => string;
  staleSources: (share: number) => string;
};

const TITLES: Record<ResolvedTaskType, { en: string; zh: string }> = {
  news_report: { en: "News Report", zh: "动态报告" },
  research_report: { en: "Research Report", zh: "研究报告" },
  industry_analysis: { en: "Industry Analysis", zh: "行业分析报告" },
};

const CHINESE: EngineText = {
  noEvidence: "在检索到的资料中未找到本节的相关证据。",
  noEvidenceSummary: "在检索到的资料中未找到与该主题相关的证据，因此本报告不作任何论断。",
  heading: (slot, terms) => (terms.length > 0 ? `${slot.zh}：${terms.join("、")}` : slot.zh),
  goal: (slot, topic, terms) => `梳理${topic}的${slot.zh}${terms.length > 0 ? `，涵盖${terms.join("、")}` : ""}。`,
  title: (topic, taskType) => `${topic}${TITLES[taskType].zh}`,
  thinSection: (name, count) => `“${name}”部分仅有${count}个来源的证据。`,
  staleSources: (share) => `仅有${Math.round(share * 100)}%的有日期来源落在时间范围内。`,
};

const ENGLISH: EngineText = {
  noEvidence: "No evidence for this section was found in the searched sources.",
  noEvidenceSummary: "No evidence on this topic was found in the searched sources, so this report makes no claims.",
  heading: (slot, terms) => (terms.length > 0 ? `${slot.en}: ${terms.join(", ")}` : slot.en),
  goal: (slot, topic, terms) => `Set out the ${slot.en.toLowerCase()} for ${topic}${terms.length > 0 ? `, covering ${terms.join(", ")}` : ""}.`,
  title: (topic, taskType) => `${topic.charAt(0).toUpperCase()}${topic.slice(1)}: ${TITLES[taskType].en}`,
  thinSection: (name, count) => `Section "${name}" rests on ${count} source${count === 1 ? "" : "s"} only.`,
  staleSources: (share) => `Only ${Math.round(share * 100)}% of the dated sources fall inside the time window.`,
};

/** The engine's strings in the report language: Chinese for `zh*`, else English. */
export function engineText(language: string): EngineText {
  return isChinese(language) ? CHINESE : ENGLISH;
}

/** Whether a BCP 47 tag is Chinese. */
export function isChinese(language: string): boolean {
  return /^zh\b/i.test(language);
}
