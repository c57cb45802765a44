/**
 * The words a task uses for *aspects* of its subject ("costs", "key players", "发展现状", "主要企业")
 * and for qualifiers that narrow it without being it ("China", "全球"). Intent analysis uses them to
 * split "分析中国固态电池产业的发展现状、主要企业和成本" into the subject "中国固态电池" and the aspects
 * 发展现状 / 主要企业 / 成本; the extractive engine maps aspects onto its section facets.
 */

/** English aspect phrases (lowercase, singular where it matters). */
export const ENGLISH_ASPECTS: ReadonlySet<string> = new Set(
  [
    "state", "status", "overview", "landscape", "current state", "development", "developments", "progress", "trend", "trends",
    "outlook", "future", "prospects", "forecast", "forecasts", "market", "market size", "market share", "size", "growth", "demand",
    "sales", "shipments", "revenue", "players", "key players", "major players", "companies", "key companies", "leading companies",
    "competitors", "competition", "competitive landscape", "vendors", "manufacturers", "makers", "startups", "start-ups",
    "technology", "technologies", "technical progress", "innovation", "cost", "costs", "price", "prices", "pricing", "economics",
    "supply chain", "supply chains", "supply", "raw materials", "materials", "policy", "policies", "regulation", "regulations",
    "regulatory landscape", "rules", "law", "laws", "government support", "subsidies", "funding", "investment", "investments",
    "financing", "deals", "m&a", "mergers and acquisitions", "acquisitions", "partnerships", "products", "launches",
    "product launches", "releases", "research", "studies", "breakthroughs", "incidents", "security", "safety", "risks", "risk",
    "challenges", "open problems", "problems", "obstacles", "barriers", "limitations", "stability", "efficiency", "performance",
    "reliability", "durability", "adoption", "deployment", "deployments", "use cases", "applications", "uses", "customers",
    "impact", "background", "history", "methods", "approaches", "state of the art", "benchmarks", "evaluation",
  ],
);

/** Chinese aspect words. */
export const CHINESE_ASPECTS: ReadonlySet<string> = new Set(
  (
    "现状 发展现状 概况 发展概况 市场 市场规模 规模 出货量 销量 增长 主要企业 重点企业 龙头企业 代表企业 企业 主要厂商 厂商 玩家 " +
    "竞争 竞争格局 格局 技术 技术路线 技术进展 技术发展 成本 价格 降本 经济性 供应链 产业链 原材料 材料 政策 监管 法规 政策环境 " +
    "监管政策 补贴 融资 投融资 投资 并购 收购 合作 产品 新品 发布 研究 研究进展 突破 安全 安全事件 风险 挑战 问题 瓶颈 难点 " +
    "稳定性 效率 性能 可靠性 寿命 应用 落地 应用场景 商业化 客户 影响 背景 历史 方法 前景 发展前景 趋势 发展趋势 展望 未来"
  ).split(/\s+/),
);

/** Places and scopes that qualify a subject ("China", "全球") without being what it is about. */
export const QUALIFIER_WORDS: ReadonlySet<string> = new Set(
  (
    "china chinese us u.s usa america american europe european eu japan japanese korea korean india indian global worldwide world " +
    "international domestic asia asian uk britain british germany german france french 中国 国内 我国 全球 国际 世界 海外 美国 欧洲 " +
    "日本 韩国 印度 亚洲 英国 德国 法国"
  ).split(/\s+/),
);

/** English modifiers dropped from an aspect phrase ("the latest developments" → "developments"). */
const ENGLISH_ASPECT_MODIFIERS = /^(?:(?:the|a|an|its|their|latest|recent|current|main|key|major|biggest|most important|important|overall)\s+)+/i;

/** Normalizes an English aspect phrase for lookup: lowercase, leading modifiers dropped. */
export function normalizeEnglishAspect(phrase: string): string {
  return phrase.trim().toLowerCase().replace(ENGLISH_ASPECT_MODIFIERS, "").trim();
}

/** Whether an English phrase names an aspect (after normalization; "key players" and "players" both do). */
export function isEnglishAspect(phrase: string): boolean {
  const normalized = normalizeEnglishAspect(phrase);
  return ENGLISH_ASPECTS.has(normalized) || ENGLISH_ASPECTS.has(phrase.trim().toLowerCase());
}

/** Whether a Chinese phrase names an aspect ("主要企业", "成本"); also with a 的 or 等 around it. */
export function isChineseAspect(phrase: string): boolean {
  const trimmed = phrase.trim().replace(/^的+|[等的]+$/gu, "");
  return CHINESE_ASPECTS.has(trimmed);
}

/** Splits an enumeration ("market size, key players and costs", "发展现状、主要企业和成本") into items. */
export function splitEnumeration(text: string): string[] {
  return text
    .split(/\s*(?:[,，、;；/]|\band\b|\bor\b|&|以及|及|和|与|、)\s*/u)
    .map((item) => item.trim().replace(/^(?:the|a|an)\s+/i, "").replace(/^的|[等的]$/gu, "").trim())
    .filter((item) => item.length > 0);
}

/** The Chinese aspect word a phrase ends with ("钙钛矿电池稳定性" → "稳定性"), longest first; null when none. */
export function chineseAspectSuffix(phrase: string): string | null {
  let best: string | null = null;
  for (const aspect of CHINESE_ASPECTS) {
    if (aspect.length < 2 || !phrase.endsWith(aspect) || phrase.length - aspect.length < 2) continue;
    if (!best || aspect.length > best.length) best = aspect;
  }
  return best;
}
