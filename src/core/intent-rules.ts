import type { Intent } from "./author.js";
import type { ResolvedTaskType, TaskParams } from "./params.js";
import { TASK_BOILERPLATE_WORDS } from "./text/stop-words.js";
import { detectLanguage } from "./text/language.js";
import { tokenize } from "./text/tokenize.js";

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 7;
const MAX_DAYS = 3650;

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 半: 0.5 };

function parseCount(text: string | undefined): number {
  if (!text) return 1;
  if (/^\d+$/.test(text)) return Number(text);
  if (text === "十") return 10;
  const tens = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(text);
  if (tens) return (tens[1] ? (CHINESE_DIGITS[tens[1]] ?? 1) : 1) * 10 + (tens[2] ? (CHINESE_DIGITS[tens[2]] ?? 0) : 0);
  return CHINESE_DIGITS[text] ?? 1;
}

const UNIT_DAYS: Record<string, number> = {
  天: 1, 日: 1, 周: 7, 星期: 7, 个星期: 7, 月: 30, 个月: 30, 年: 365,
  day: 1, days: 1, week: 7, weeks: 7, month: 30, months: 30, year: 365, years: 365,
};

const NUMBER = "(\\d+|[一二两三四五六七八九十半]+)";
/** Relative windows, Chinese and English, each mapped to days. Order matters: specific first. */
const RELATIVE_PATTERNS: Array<{ pattern: RegExp; days: (match: RegExpExecArray) => number }> = [
  { pattern: new RegExp(`(?:最近|近|过去|前)${NUMBER}?(个星期|星期|个月|天|日|周|月|年)`), days: (m) => parseCount(m[1]) * (UNIT_DAYS[m[2] ?? "天"] ?? 1) },
  { pattern: /(?:本|这)(周|星期)|上周/, days: () => 7 },
  { pattern: /(?:本|这个?)月|上个?月/, days: () => 30 },
  { pattern: /\b(?:last|past|previous|recent)\s+(\d+)\s+(days?|weeks?|months?|years?)\b/i, days: (m) => Number(m[1]) * (UNIT_DAYS[(m[2] ?? "day").toLowerCase()] ?? 1) },
  { pattern: /\b(?:this|last|past|previous)\s+(week|month|year)\b/i, days: (m) => UNIT_DAYS[(m[1] ?? "week").toLowerCase()] ?? 7 },
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
  if (/今年|本年|\bthis year\b|\byear to date\b|\bytd\b/i.test(task)) return daysSinceYearStart(now.getUTCFullYear(), now);
  const year = /(?:\b(?:in|of|during|for|since)\s+|^|[^\d])((?:19|20)\d{2})(?:\s*年|\b)/i.exec(task);
  if (year?.[1]) {
    const value = Number(year[1]);
    if (value <= now.getUTCFullYear()) return Math.min(MAX_DAYS, daysSinceYearStart(value, now));
  }
  return null;
}

const NEWS_WORDS = /新闻|事件|动态|快讯|要闻|头条|\bnews\b|\bheadlines?\b|\bthis week\b|\bwhat happened\b|\bannouncements?\b|\bevents\b/i;
const INDUSTRY_WORDS = /行业|市场|竞争|产业|赛道|\bindustry\b|\bmarkets?\b|\bcompetition\b|\bcompetitive\b|\blandscape\b|\bcompetitors?\b/i;

/** Resolves `auto` by keywords: news words → news_report, industry words → industry_analysis, else research_report. */
export function taskTypeFromText(task: string): ResolvedTaskType {
  if (NEWS_WORDS.test(task)) return "news_report";
  if (INDUSTRY_WORDS.test(task)) return "industry_analysis";
  return "research_report";
}

const ZH_TIME = /(?:最近|近|过去|前)[\d一二两三四五六七八九十半]*(?:个星期|星期|个月|天|日|周|月|年)|(?:本|这个?|上个?)(?:周|星期|月)|今年|本年|今天|今日|(?:19|20)\d{2}\s*年(?:度)?/g;
const ZH_TIME_PHRASE = new RegExp(`(?:${ZH_TIME.source})的?`, "g");
const EN_TIME =
  /\b(?:(?:in|over|during|for|from|of)\s+)?(?:the\s+)?(?:(?:last|past|previous|recent)\s+(?:\d+\s+)?(?:days?|weeks?|months?|years?)|this\s+(?:week|month|year)|today|year to date)\b|\b(?:in|of|during|for|since)\s+(?:19|20)\d{2}\b/gi;
const EN_LEAD =
  /^(?:please\s+)?(?:(?:write|generate|create|produce|give|prepare|draft|make|compile)\s+(?:me\s+|us\s+)?)?(?:an?\s+|the\s+)?(?:(?:short|brief|detailed|comprehensive|in-depth|quick)\s+)?(?:(?:news|research|industry|market|status|weekly|monthly)\s+)?(?:report|analysis|overview|summary|briefing|review|digest)?\s*(?:on|about|of|for|regarding|covering)?\s*/i;
const EN_STATE_OF = /^(?:the\s+)?(?:state|status|landscape|overview|outlook)\s+of\s+(?:the\s+)?/i;
const EN_WHATS_NEW = /^(?:what(?:'s| is| are)\s+(?:new|happening|the latest)\s+(?:in|with|on)\s+)/i;
const ZH_LEAD = /^(?:请|帮我|帮忙|麻烦)?(?:生成|撰写|编写|写|做|整理|输出|给我|提供)?(?:一份|一篇|一个)?(?:关于|有关)?/;
const ZH_TAIL =
  /(?:的)?(?:(?:行业|市场|产业|技术|重大|最新|主要|重要|新闻|事件|动态|进展|发展|趋势|现状|研究|分析|竞争|格局|综述|调研|深度)+)?(?:报告|简报|综述|分析|概述|总结|调研)?$/;

/** The subject of the task with request wording and time phrases stripped. */
export function topicFromText(task: string): string {
  let text = task.trim().replace(/[。.!！?？]+$/u, "");
  // "最近一个月的融资": the time phrase goes with its 的, else the topic reads "AI Agent 的融资".
  text = text.replace(ZH_TIME_PHRASE, " ").replace(EN_TIME, " ");
  text = text.replace(EN_WHATS_NEW, "").replace(EN_LEAD, "").replace(EN_STATE_OF, "");
  text = text.replace(ZH_LEAD, "");
  const domain = /^(.+?)(?:领域|行业|方向|赛道|板块)/.exec(text.trim());
  if (domain?.[1] && domain[1].trim().length >= 2) text = domain[1];
  text = text.trim().replace(/[\s,，、:：;；。.!！?？的-]+$/u, "").replace(ZH_TAIL, "");
  text = text.replace(/\s+(?:report|analysis|overview|summary|news)$/i, "");
  text = text.replace(/^[\s,，、:：的-]+|[\s,，、:：的-]+$/gu, "").replace(/\s+/g, " ");
  text = text.replace(/^(?:the|a|an)\s+/i, "");
  return text.length > 0 ? text : task.trim();
}

/** Key terms of the task: topic words first, then other content words; boilerplate and time words removed. */
export function keyTermsFromText(task: string, topic: string): string[] {
  const terms: string[] = [];
  const add = (text: string) => {
    for (const term of tokenize(text, { stem: false })) {
      if (TASK_BOILERPLATE_WORDS.has(term) || /^\d+$/.test(term) || terms.includes(term)) continue;
      terms.push(term);
    }
  };
  // Short CJK topics ("储能", "固态电池") also count whole: the segmenter may split them.
  const compact = topic.replace(/\s+/g, "");
  if (/^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2,8}$/u.test(compact)) terms.push(compact);
  add(topic);
  add(task.replace(ZH_TIME, " ").replace(EN_TIME, " "));
  return terms.slice(0, 8);
}

/**
 * Intent analysis without a model: language by script share (`params.language` wins), time
 * window from `params.days` or the task's wording ("最近一周", "last 30 days", "in 2026") else 7
 * days, task type by keywords when `auto`, topic with request wording stripped, key terms.
 * Pure and fast; the LLM author uses it as its fallback.
 */
export function analyzeIntentByRules({ params, now }: { params: TaskParams; now: Date }): Intent {
  const task = params.task;
  const days = params.days ?? timeWindowFromText(task, now) ?? DEFAULT_DAYS;
  const topic = topicFromText(task);
  return {
    task_type: params.task_type === "auto" ? taskTypeFromText(task) : params.task_type,
    topic,
    language: params.language ?? detectLanguage(task),
    days,
    time_window: { from: new Date(now.getTime() - days * DAY_MS).toISOString(), to: now.toISOString() },
    key_terms: keyTermsFromText(task, topic),
  };
}
