import type { Intent } from "./author.js";
import type { ResolvedTaskType, TaskParams } from "./params.js";
import { TASK_BOILERPLATE_WORDS } from "./text/stop-words.js";
import { chineseAspectSuffix, isChineseAspect, isEnglishAspect, splitEnumeration } from "./intent-aspects.js";
import { detectLanguage, hasCjk } from "./text/language.js";
import { tokenize } from "./text/tokenize.js";

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 7;
const MAX_DAYS = 3650;

const CHINESE_DIGITS: Record<string, number> = {
  一: 1,
  两: 2,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
  半: 0.5,
};

function parseCount(text: string | undefined): number {
  if (!text) return 1;
  if (/^\d+$/.test(text)) return Number(text);
  if (text === "十") return 10;
  const tens = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(text);
  if (tens) return (tens[1] ? (CHINESE_DIGITS[tens[1]] ?? 1) : 1) * 10 + (tens[2] ? (CHINESE_DIGITS[tens[2]] ?? 0) : 0);
  return CHINESE_DIGITS[text] ?? 1;
}

const UNIT_DAYS: Record<string, number> = {
  天: 1,
  日: 1,
  周: 7,
  星期: 7,
  个星期: 7,
  月: 30,
  个月: 30,
  年: 365,
  day: 1,
  days: 1,
  week: 7,
  weeks: 7,
  month: 30,
  months: 30,
  year: 365,
  years: 365,
};

const NUMBER = "(\\d+|[一二两三四五六七八九十半]+)";
/** Relative windows, Chinese and English, each mapped to days. Order matters: specific first. */
const RELATIVE_PATTERNS: Array<{ pattern: RegExp; days: (match: RegExpExecArray) => number }> = [
  {
    pattern: new RegExp(`(?:最近|近|过去|前)${NUMBER}?(个星期|星期|个月|天|日|周|月|年)`),
    days: (m) => parseCount(m[1]) * (UNIT_DAYS[m[2] ?? "天"] ?? 1),
  },
  { pattern: /(?:本|这)(周|星期)|上周/, days: () => 7 },
  { pattern: /(?:本|这个?)月|上个?月/, days: () => 30 },
  {
    pattern: /\b(?:last|past|previous|recent)\s+(\d+)\s+(days?|weeks?|months?|years?)\b/i,
    days: (m) => Number(m[1]) * (UNIT_DAYS[(m[2] ?? "day").toLowerCase()] ?? 1),
  },
  {
    pattern: /\b(?:this|last|past|previous)\s+(week|month|year)\b/i,
    days: (m) => UNIT_DAYS[(m[1] ?? "week").toLowerCase()] ?? 7,
  },
  { pattern: /\b(?:today|past day|last 24 hours)\b|今天|今日/i, days: () => 1 },
];

/** Days from Jan 1 of `year` to `now` (at least 1). */
function daysSinceYearStart(year: number, now: Date): number {
  const start = Date.UTC(year, 0, 1);
  return Math.max(1, Math.ceil((now.getTime() - start) / DAY_MS));
}

/** The time window a task names, in days, or null when it names none. */
export function timeWindowFromText(task: string, now: Date): number | null {
  for (const { pattern, days } of RELATIVE_PATTERNS) {
    const match = pattern.exec(task);
    if (match) return Math.min(MAX_DAYS, Math.max(1, Math.round(days(match))));
  }
  if (/今年|本年|\bthis year\b|\byear to date\b|\bytd\b/i.test(task))
    return daysSinceYearStart(now.getUTCFullYear(), now);
  const year = /(?:\b(?:in|of|during|for|since)\s+|^|[^\d])((?:19|20)\d{2})(?:\s*年|\b)/i.exec(task);
  if (year?.[1]) {
    const value = Number(year[1]);
    if (value <= now.getUTCFullYear()) return Math.min(MAX_DAYS, daysSinceYearStart(value, now));
  }
  return null;
}

const NEWS_WORDS =
  /新闻|事件|动态|快讯|要闻|头条|发布|\bnews\b|\bheadlines?\b|\bthis week\b|\bwhat happened\b|\bannouncements?\b|\bevents\b/i;
const INDUSTRY_WORDS =
  /行业|市场|竞争|产业|赛道|\bindustry\b|\bmarkets?\b|\bcompetition\b|\bcompetitive\b|\blandscape\b|\bcompetitors?\b/i;

/** Resolves `auto` by keywords: news words → news_report, industry words → industry_analysis, else research_report. */
export function taskTypeFromText(task: string): ResolvedTaskType {
  if (NEWS_WORDS.test(task)) return "news_report";
  if (INDUSTRY_WORDS.test(task)) return "industry_analysis";
  return "research_report";
}

const ZH_TIME =
  /(?:最近|近|过去|前)[\d一二两三四五六七八九十半]*(?:个星期|星期|个月|天|日|周|月|年)|(?:本|这个?|上个?)(?:周|星期|月)|今年|本年|今天|今日|(?:19|20)\d{2}\s*年(?:度)?/g;
const ZH_TIME_PHRASE = new RegExp(`(?:${ZH_TIME.source})(?:以来)?的?`, "g");
const EN_TIME =
  /\b(?:(?:in|over|during|for|from|of|within)\s+)?(?:the\s+)?(?:(?:last|past|previous|recent)\s+(?:\d+\s+)?(?:days?|weeks?|months?|years?)|this\s+(?:week|month|year)|today|year to date)\b|\b(?:in|of|during|for|since)\s+(?:19|20)\d{2}\b|\b(?:19|20)\d{2}\b/gi;
const EN_LEAD = new RegExp(
  [
    "^(?:(?:please|can you|could you|i need|i want|i'd like|help me)\\s+)*",
    "(?:(?:write|generate|create|produce|give|prepare|draft|make|compile|do|build|put together|summari[sz]e|analy[sz]e|research|investigate|explain|describe|track|review|assess|evaluate|tell|brief|compare|show)\\s+(?:(?:me|us)\\s+)?(?:(?:about|on)\\s+)?)?",
    "(?:(?:an?|the)\\s+)?",
    "(?:(?:short|brief|detailed|comprehensive|in-depth|quick|full|weekly|monthly|daily|latest|recent|newest|top|key)\\s+)*",
    "(?:(?:(?:news|research|industry|market|status|weekly|monthly|analyst|analysis)\\s+)?(?:reports?|analysis|analyses|overviews?|summary|summaries|briefings?|reviews?|digests?|updates?|roundups?|briefs?|study|studies|news|headlines)\\s+)?",
    "(?:(?:on|about|of|for|regarding|covering|into)\\s+)?",
  ].join(""),
  "i",
);
const EN_QUESTION =
  /^(?:how|why|what|when|where|which|who)\s+(?:do|does|did|can|could|will|would|is|are|was|were|has|have)\s+/i;
const EN_STATE_OF =
  /^(?:the\s+)?(?:state|status|landscape|overview|outlook)\s+of\s+(?:the\s+)?(?:art\s+(?:in|of|on)\s+(?:the\s+)?)?/i;
const EN_WHATS_NEW =
  /^(?:what(?:'s| is| are| has| have)?\s+(?:new|happening|happened|the latest|going on|changed)\s+(?:in|with|on|for|around)\s+)/i;
const EN_TAIL =
  /(?:\s+(?:industry|market|sector|field|space))?(?:\s+(?:news|report|reports|analysis|overview|summary|update|updates|developments|roundup|digest|briefing|headlines|landscape|trends))+$/i;
const EN_DOMAIN_TAIL = /\s+(?:industry|sector|field|space|market)$/i;
const ZH_LEAD =
  /^(?:请|帮我|帮忙|麻烦|我想|我需要|给我)*(?:生成|撰写|编写|写|做|整理|输出|提供|分析|研究|调研|梳理|总结|盘点|介绍|解读|跟踪|汇总|概述)*(?:一下)?(?:一份|一篇|一个|一期)?(?:关于|有关|针对)?/;
/** Words that say what kind of report is wanted, not what it is about. */
const ZH_TYPE_TAIL =
  /(?:的)?(?:(?:行业|市场|产业|重大|最新|重要|新闻|事件|动态|要闻|快讯|进展|情况|研究|分析|综述|调研|深度|报告|简报|概述|总结|梳理|盘点|汇总|解读|回顾|观察)+)$/;
const ZH_DOMAIN = /^(.+?)(领域|行业|产业|赛道|板块|方向|市场)(.*)$/u;

/** The subject of a task and the aspects of it the task names. */
export type TaskSubject = {
  /** What the report is about, request wording and time phrases stripped ("中国固态电池", "AI Agent"). */
  subject: string;
  /** Aspects the task names, in its order ("发展现状", "主要企业", "成本"; "market size", "costs"). */
  aspects: string[];
};

function stripLeads(text: string): string {
  let current = text.trim();
  for (let round = 0; round < 3; round += 1) {
    const next = current
      .replace(EN_WHATS_NEW, "")
      .replace(EN_QUESTION, "")
      .replace(EN_LEAD, "")
      .replace(EN_STATE_OF, "")
      .replace(ZH_LEAD, "")
      .trim();
    if (next === current || next.length === 0) break;
    current = next;
  }
  return current;
}

/** An aspect as the task words it, articles and "latest"/"recent" dropped ("the key players" → "key players"). */
function cleanEnglishAspect(phrase: string): string {
  return phrase
    .trim()
    .replace(/^(?:(?:the|a|an|its|their|latest|recent|current)\s+)+/i, "")
    .toLowerCase();
}

function isEnglishAspectList(text: string): boolean {
  const items = splitEnumeration(text);
  return (
    items.length > 0 &&
    items.length <= 8 &&
    items.every((item) => isEnglishAspect(item) || (items.length > 1 && item.split(/\s+/).length <= 3))
  );
}

function chineseAspects(rest: string): string[] {
  const cleaned = rest
    .replace(/^[的\s]+/u, "")
    .replace(ZH_TYPE_TAIL, "")
    .trim();
  if (!cleaned) return [];
  return splitEnumeration(cleaned)
    .map((item) =>
      item
        .replace(ZH_TYPE_TAIL, "")
        .replace(/^(?:的|其|重要|最新|主要(?=的))/u, "")
        .trim(),
    )
    .filter((item) => item.length >= 2 && item.length <= 10);
}

/** Splits a Chinese clause into subject and aspects ("中国固态电池产业的发展现状、主要企业和成本"). */
function splitChinese(text: string): TaskSubject {
  const question = /^(.+?)(?:有哪些|有什么|怎么样|如何)(.*)$/u.exec(text);
  if (question?.[1] && question[1].length >= 2)
    return { subject: question[1], aspects: chineseAspects(question[2] ?? "") };
  const domain = ZH_DOMAIN.exec(text);
  if (domain?.[1] && domain[1].replace(/\s+/g, "").length >= 2) {
    let rest = domain[3] ?? "";
    // "储能市场规模" names the market's size, not a market of "规模".
    if (domain[2] === "市场" && /^(?:规模|份额|增长)/u.test(rest)) rest = `市场${rest}`;
    return { subject: domain[1], aspects: chineseAspects(rest) };
  }
  const possessive = /^(.+)的([^的]+)$/u.exec(text);
  if (possessive?.[1] && possessive[2]) {
    const aspects = chineseAspects(possessive[2]);
    if (aspects.length > 0 && (aspects.length > 1 || isChineseAspect(aspects[0] ?? "")))
      return { subject: possessive[1], aspects };
  }
  const stripped = text.replace(ZH_TYPE_TAIL, "");
  const suffix = chineseAspectSuffix(stripped);
  if (suffix) return { subject: stripped.slice(0, -suffix.length).replace(/的$/u, ""), aspects: [suffix] };
  return { subject: stripped, aspects: [] };
}

/** Splits an English clause into subject and aspects ("market size and costs of X", "X: A, B and C"). */
function splitEnglish(text: string): TaskSubject {
  const possessive = /^(.+?)\s+and\s+(?:its|their)\s+(.+)$/i.exec(text);
  if (possessive?.[1] && possessive[2])
    return { subject: possessive[1], aspects: splitEnumeration(possessive[2]).map(cleanEnglishAspect) };
  const listed =
    /^(.+?)[,;]?\s+(?:including|covering|focusing on|with a focus on|especially|in particular|such as)\s+(.+)$/i.exec(
      text,
    );
  if (listed?.[1] && listed[2])
    return { subject: listed[1], aspects: splitEnumeration(listed[2]).map(cleanEnglishAspect) };
  const words = text.split(/\s+/);
  for (let index = 1; index < words.length - 1; index += 1) {
    if (!/^(?:of|in|for|across|around|on|within)$/i.test(words[index] ?? "")) continue;
    const head = words.slice(0, index).join(" ");
    if (!isEnglishAspectList(head) || !splitEnumeration(head).some(isEnglishAspect)) continue;
    return { subject: words.slice(index + 1).join(" "), aspects: splitEnumeration(head).map(cleanEnglishAspect) };
  }
  // "Robotics funding", "battery safety": a trailing aspect word after the subject.
  const last = words.at(-1) ?? "";
  if (
    words.length >= 2 &&
    isEnglishAspect(last) &&
    !/^(?:research|development|technology|technologies|market)$/i.test(last)
  ) {
    return { subject: words.slice(0, -1).join(" "), aspects: [cleanEnglishAspect(last)] };
  }
  return { subject: text, aspects: [] };
}

function tidySubject(subject: string): string {
  let text = subject.trim().replace(/の(?:最新)?(?:動向|ニュース|レポート|報告|分析|現状|動き)$/u, "");
  text = text.replace(/[\s,，、:：;；。.!！?？的-]+$/u, "").replace(/^[\s,，、:：的-]+/u, "");
  text = text.replace(ZH_TYPE_TAIL, "").replace(EN_TAIL, "").replace(EN_DOMAIN_TAIL, "");
  text = text.replace(/\b(?:industry|sector|market)\s+(?=(?:in|of)\b)/i, "");
  text = text
    .replace(/^(?:the|a|an)\s+/i, "")
    .replace(/\s+/g, " ")
    .replace(/^[\s,，、:：的-]+|[\s,，、:：的-]+$/gu, "");
  return text.trim();
}

/**
 * The subject of a task and the aspects it names: request wording ("write a report on", "生成…报告"),
 * time phrases ("最近一周", "in 2026") and report-type words ("行业", "news") are stripped, then an
 * enumeration of aspects is split off ("X: A, B and C", "A and B of X", "X的A、B和C", "X产业A与B").
 */
export function subjectFromText(task: string): TaskSubject {
  let text = task.trim().replace(/[。.!！?？]+$/u, "");
  // "最近一个月的融资": the time phrase goes with its 的, else the topic reads "AI Agent 的融资".
  text = text.replace(ZH_TIME_PHRASE, " ").replace(EN_TIME, " ").replace(/\s+/g, " ").trim();
  text = stripLeads(text).replace(/[\s,，、:：;；]+$/u, "");
  let aspects: string[] = [];
  const colon = /^(.+?)\s*(?:[:：]|\s[—–]\s|\s-\s)\s*(.+)$/u.exec(text);
  if (colon?.[1] && colon[2]) {
    const tail = colon[2];
    const tailAspects = hasCjk(tail)
      ? chineseAspects(tail)
      : isEnglishAspectList(tail)
        ? splitEnumeration(tail).map(cleanEnglishAspect)
        : [];
    if (tailAspects.length > 0) {
      aspects = tailAspects;
      text = stripLeads(colon[1]);
    }
  }
  const split = hasCjk(text) && /\p{Script=Han}/u.test(text) ? splitChinese(text) : splitEnglish(text);
  const subject = tidySubject(split.subject);
  aspects = [...split.aspects, ...aspects].map((aspect) => aspect.trim()).filter((aspect) => aspect.length > 0);
  return { subject: subject.length > 0 ? subject : tidySubject(task) || task.trim(), aspects: [...new Set(aspects)] };
}

/** The subject of the task with request wording, time phrases and named aspects stripped. */
export function topicFromText(task: string): string {
  return subjectFromText(task).subject;
}

/** Key terms of the task: the subject's words first, then the aspects' words; boilerplate, time words and bare numbers removed. */
export function keyTermsFromText(
  task: string,
  topic: string,
  aspects: string[] = subjectFromText(task).aspects,
): string[] {
  const terms: string[] = [];
  const add = (text: string) => {
    for (const term of tokenize(text, { stem: false })) {
      // Single Han characters ("储" of 储能) match almost anything; the whole word is added separately.
      if (
        TASK_BOILERPLATE_WORDS.has(term) ||
        /^\d+$/.test(term) ||
        /^\p{Script=Han}$/u.test(term) ||
        terms.includes(term)
      )
        continue;
      terms.push(term);
    }
  };
  // Short CJK topics ("储能", "固态电池") also count whole: the segmenter may split them.
  const compact = topic.replace(/\s+/g, "");
  if (/^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2,8}$/u.test(compact))
    terms.push(compact);
  add(topic);
  for (const aspect of aspects) {
    if (/^[\p{Script=Han}]{2,6}$/u.test(aspect) && !terms.includes(aspect)) terms.push(aspect);
    else add(aspect);
  }
  return terms.slice(0, 10);
}

/**
 * Intent analysis without a model: language by script share (`params.language` wins), time
 * window from `params.days` or the task's wording ("最近一周", "last 30 days", "in 2026") else 7
 * days, task type by keywords when `auto`, the subject with request wording, time phrases and the
 * aspects the task names stripped, key terms (subject words, then aspect words).
 * Pure and fast; the LLM author uses it as its fallback.
 */
export function analyzeIntentByRules({ params, now }: { params: TaskParams; now: Date }): Intent {
  const task = params.task;
  const days = params.days ?? timeWindowFromText(task, now) ?? DEFAULT_DAYS;
  const { subject: topic, aspects } = subjectFromText(task);
  return {
    task_type: params.task_type === "auto" ? taskTypeFromText(task) : params.task_type,
    topic,
    language: params.language ?? detectLanguage(task),
    days,
    time_window: { from: new Date(now.getTime() - days * DAY_MS).toISOString(), to: now.toISOString() },
    key_terms: keyTermsFromText(task, topic, aspects),
  };
}
