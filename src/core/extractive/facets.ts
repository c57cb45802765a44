import type { ResolvedTaskType } from "../params.js";

/**
 * A facet of a report type: one kind of fact a reader of that type expects a section on
 * (news: funding, products, deals, policy…; industry analysis: market size, key players, costs…).
 * `cues` say whether a sentence reports that kind of fact: English words are matched by stem
 * ("raised" matches "raise"), phrases with a space by substring, Chinese words by substring; a
 * leading `~` marks a weak cue (0.4 instead of 1).
 */
export type Facet = {
  id: string;
  en: string;
  zh: string;
  cues: string[];
  /** Words added to the subject to search for this facet, per language. */
  query: { en: string; zh: string };
  /** Aspect words of a task that name this facet ("成本", "key players"). */
  aliases: string[];
};

const FUNDING: Facet = {
  id: "funding",
  en: "Funding",
  zh: "融资",
  cues: ["funding", "raise", "round", "series a", "series b", "series c", "series d", "valuation", "investor", "~invest", "venture", "led by", "ipo", "融资", "领投", "跟投", "估值", "投资方", "募资", "~亿元", "~资本"],
  query: { en: "funding raised round investors", zh: "融资" },
  aliases: ["funding", "financing", "investment", "investments", "融资", "投融资", "投资"],
};

const PRODUCTS: Facet = {
  id: "products",
  en: "Products and launches",
  zh: "产品与发布",
  cues: ["launch", "unveil", "introduce", "debut", "ship", "release", "product", "available", "per month", "per user", "~platform", "~pricing", "~price", "推出", "上线", "产品", "新品", "收费", "定价", "~发布", "~平台", "~开源"],
  query: { en: "launched launches product release", zh: "发布 推出 产品" },
  aliases: ["products", "launches", "product launches", "releases", "产品", "新品", "发布"],
};

const DEALS: Facet = {
  id: "deals",
  en: "Partnerships and acquisitions",
  zh: "合作与并购",
  cues: ["acquire", "acquisition", "merger", "merge", "partner", "partnership", "alliance", "consortium", "agreement", "deal", "join", "specification", "~standard", "~member", "~buy", "收购", "并购", "合作", "联盟", "协议", "签约", "入股", "合并", "标准草案", "~双方", "~标准"],
  query: { en: "acquisition acquire partnership alliance standard", zh: "收购 合作 联盟 标准" },
  aliases: ["partnerships", "deals", "m&a", "mergers and acquisitions", "acquisitions", "并购", "收购", "合作"],
};

const POLICY: Facet = {
  id: "policy",
  en: "Policy and regulation",
  zh: "政策与监管",
  cues: ["regulation", "regulator", "regulatory", "law", "legislation", "guidance", "guideline", "policy", "commission", "ministry", "compliance", "subsidy", "grant", "department of", "~government", "~rule", "~draft", "~comment", "~program", "监管", "政策", "办法", "法规", "规定", "指引", "指导意见", "征求意见", "施行", "合规", "主管部门", "条例", "补贴", "规划", "~意见"],
  query: { en: "regulation rules guidance policy", zh: "政策 监管" },
  aliases: ["policy", "policies", "regulation", "regulations", "regulatory landscape", "rules", "law", "laws", "government support", "subsidies", "政策", "监管", "法规", "政策环境", "监管政策", "补贴"],
};

const RESEARCH: Facet = {
  id: "research",
  en: "Research",
  zh: "研究进展",
  cues: ["research", "researcher", "study", "university", "benchmark", "paper", "finding", "experiment", "laboratory", "institute", "scientist", "~found", "~lab", "研究", "大学", "论文", "实验", "实验室", "评测", "基准", "~发现"],
  query: { en: "research researchers study benchmark university", zh: "研究" },
  aliases: ["research", "studies", "breakthroughs", "研究", "研究进展", "突破"],
};

const INCIDENTS: Facet = {
  id: "incidents",
  en: "Incidents and security",
  zh: "安全事件",
  cues: ["incident", "breach", "attack", "leak", "delete", "outage", "offline", "vulnerability", "injection", "exploit", "hack", "steal", "~failure", "~security", "泄露", "攻击", "漏洞", "故障", "注入", "删除", "宕机", "事故", "~事件", "~安全"],
  query: { en: "incident security breach attack", zh: "安全 事件" },
  aliases: ["incidents", "security", "safety", "安全", "安全事件"],
};

const ADOPTION: Facet = {
  id: "adoption",
  en: "Adoption",
  zh: "应用落地",
  cues: ["survey", "adoption", "adopt", "deploy", "deployment", "production", "respondent", "in use", "~customer", "~user", "~percent", "部署", "落地", "生产环境", "调查", "接管", "普及", "~应用", "~客户", "~使用"],
  query: { en: "adoption survey deployment production", zh: "应用 部署 调查" },
  aliases: ["adoption", "deployment", "deployments", "use cases", "customers", "落地", "应用场景", "客户"],
};

const OUTLOOK: Facet = {
  id: "outlook",
  en: "Outlook",
  zh: "趋势展望",
  cues: ["expect", "forecast", "predict", "outlook", "next year", "plans to", "likely", "~analyst", "~by 2030", "预计", "预测", "展望", "趋势", "明年", "有望", "~未来", "~计划"],
  query: { en: "outlook expect forecast", zh: "预计 趋势" },
  aliases: ["outlook", "future", "prospects", "forecast", "forecasts", "trend", "trends", "前景", "发展前景", "趋势", "发展趋势", "展望", "未来"],
};

const MARKET: Facet = {
  id: "market",
  en: "Market size",
  zh: "市场规模",
  cues: ["market", "shipment", "revenue", "sales", "worth", "billion", "gigawatt-hours", "market share", "growth", "demand", "estimate", "~size", "~percent", "市场", "规模", "出货", "销量", "营收", "增长", "需求", "估算", "~亿元", "~预测"],
  query: { en: "market size shipments revenue", zh: "市场规模 出货量" },
  aliases: ["market", "market size", "market share", "size", "growth", "demand", "sales", "shipments", "revenue", "state", "status", "overview", "landscape", "current state", "市场", "市场规模", "规模", "出货量", "销量", "增长", "现状", "发展现状", "概况", "发展概况"],
};

const PLAYERS: Facet = {
  id: "players",
  en: "Key players",
  zh: "主要企业",
  cues: ["company", "maker", "manufacturer", "vendor", "leader", "leading", "player", "competitor", "rival", "startup", "start-up", "~include", "~such as", "~supplier", "~capacity", "~pilot line", "企业", "厂商", "龙头", "布局", "竞争", "格局", "~公司", "~包括", "~产能", "~中试线"],
  query: { en: "companies makers leading players", zh: "主要企业 厂商" },
  aliases: ["players", "key players", "major players", "companies", "key companies", "leading companies", "competitors", "competition", "competitive landscape", "vendors", "manufacturers", "makers", "startups", "start-ups", "主要企业", "重点企业", "龙头企业", "代表企业", "企业", "主要厂商", "厂商", "玩家", "竞争", "竞争格局", "格局"],
};

const TECHNOLOGY: Facet = {
  id: "technology",
  en: "Technology",
  zh: "技术路线",
  cues: ["technology", "design", "process", "chemistry", "route", "performance", "density", "efficiency", "cycle", "conductivity", "interface", "architecture", "technique", "~material", "技术", "路线", "工艺", "性能", "电导率", "界面", "能量密度", "循环", "~材料", "~设计"],
  query: { en: "technology design performance", zh: "技术路线" },
  aliases: ["technology", "technologies", "technical progress", "innovation", "performance", "技术", "技术路线", "技术进展", "技术发展", "性能"],
};

const COSTS: Facet = {
  id: "costs",
  en: "Costs",
  zh: "成本",
  cues: ["cost", "cheap", "expensive", "per kilowatt-hour", "yield", "afford", "twice as much", "~price", "成本", "降本", "良品率", "每瓦时", "~价格"],
  query: { en: "cost costs price", zh: "成本" },
  aliases: ["cost", "costs", "price", "prices", "pricing", "economics", "成本", "价格", "降本", "经济性"],
};

const SUPPLY: Facet = {
  id: "supply",
  en: "Supply chain",
  zh: "供应链",
  cues: ["supply", "supplier", "raw material", "shortage", "scarce", "contract", "upstream", "sourcing", "~input", "供应链", "原材料", "紧缺", "供货", "上游", "短缺", "~供应", "~材料"],
  query: { en: "supply chain raw materials shortage", zh: "供应链 原材料" },
  aliases: ["supply chain", "supply chains", "supply", "raw materials", "materials", "供应链", "产业链", "原材料", "材料"],
};

const BACKGROUND: Facet = {
  id: "background",
  en: "Background",
  zh: "研究背景",
  cues: ["§definition", "refers to", "defined", "definition", "known as", "consist", "principle", "unlike", "~is a", "~is an", "~are a", "~history", "指", "定义", "原理", "通常", "被称为", "传统", "~是"],
  query: { en: "definition history principle", zh: "原理 介绍" },
  aliases: ["background", "history", "basics", "背景", "历史", "原理"],
};

const STATE_OF_ART: Facet = {
  id: "state",
  en: "State of the art",
  zh: "研究现状",
  cues: ["record", "~reach", "achieve", "best", "improve", "rose", "breakthrough", "demonstrate", "certified", "~percent", "~report", "~latest", "达到", "纪录", "最新", "提高", "突破", "进展", "~超过"],
  query: { en: "record efficiency latest results", zh: "最新 进展 突破" },
  aliases: ["state of the art", "progress", "developments", "state", "status", "research", "studies", "研究进展", "现状", "进展", "研究"],
};

const METHODS: Facet = {
  id: "methods",
  en: "Methods",
  zh: "研究方法",
  cues: ["method", "~test", "measure", "approach", "technique", "procedure", "protocol", "evaluate", "benchmark", "reporting format", "~standard", "方法", "测试", "测量", "评估", "实验", "~采用", "~标准"],
  query: { en: "methods test measure", zh: "方法 测试" },
  aliases: ["methods", "approaches", "evaluation", "benchmarks", "方法"],
};

const OPEN_PROBLEMS: Facet = {
  id: "problems",
  en: "Open problems",
  zh: "待解决的问题",
  cues: ["problem", "challenge", "remain", "obstacle", "concern", "risk", "barrier", "issue", "degrade", "break down", "toxic", "not yet", "difficult", "drawback", "~limit", "~lose", "问题", "挑战", "障碍", "瓶颈", "难点", "风险", "尚未", "衰减", "~仍"],
  query: { en: "challenges problems obstacles", zh: "挑战 问题" },
  aliases: ["challenges", "open problems", "problems", "obstacles", "barriers", "limitations", "risks", "risk", "挑战", "问题", "瓶颈", "难点", "风险"],
};

const APPLICATIONS: Facet = {
  id: "applications",
  en: "Applications",
  zh: "应用前景",
  cues: ["application", "commercial", "product", "panel", "use case", "deploy", "customer", "~market", "应用", "商业化", "产品", "落地", "~市场"],
  query: { en: "applications commercial use", zh: "应用 商业化" },
  aliases: ["applications", "uses", "use cases", "commercialization", "applications", "应用", "应用场景", "商业化"],
};

/** The facets of each report type, in the order a reader expects them. */
export const FACETS: Record<ResolvedTaskType, Facet[]> = {
  news_report: [FUNDING, PRODUCTS, DEALS, POLICY, RESEARCH, INCIDENTS, ADOPTION, OUTLOOK],
  industry_analysis: [MARKET, PLAYERS, TECHNOLOGY, COSTS, SUPPLY, POLICY, FUNDING, OUTLOOK],
  research_report: [BACKGROUND, STATE_OF_ART, METHODS, OPEN_PROBLEMS, APPLICATIONS, OUTLOOK],
};

const ALL_FACETS: Facet[] = [...new Set(Object.values(FACETS).flat())];

/**
 * The facet an aspect of the task names ("成本" → costs, "key players" → players), preferring
 * the task type's own facets; null when the aspect is not one of them ("stability", "稳定性").
 */
export function facetForAspect(aspect: string, taskType: ResolvedTaskType): Facet | null {
  const key = aspect.trim().toLowerCase();
  const named = (facet: Facet) => facet.aliases.includes(key) || facet.en.toLowerCase() === key || facet.zh === key;
  return FACETS[taskType].find(named) ?? ALL_FACETS.find(named) ?? null;
}

/** The facet a section label names ("Funding", "融资", "主要企业"), any report type; null when none. */
export function facetForLabel(label: string, taskType: ResolvedTaskType): Facet | null {
  const key = label.trim().toLowerCase();
  const exact = (facet: Facet) => facet.en.toLowerCase() === key || facet.zh === key;
  return FACETS[taskType].find(exact) ?? ALL_FACETS.find(exact) ?? facetForAspect(label, taskType);
}

/** A facet for an aspect the catalog does not know: its own words are its cues ("Stability"). */
export function aspectFacet(aspect: string): Facet {
  const label = aspect.trim();
  const en = label.charAt(0).toUpperCase() + label.slice(1);
  return { id: `aspect:${label.toLowerCase()}`, en, zh: label, cues: [label.toLowerCase(), ...label.toLowerCase().split(/\s+/).filter((word) => word.length > 3)], query: { en: label, zh: label }, aliases: [label.toLowerCase()] };
}
