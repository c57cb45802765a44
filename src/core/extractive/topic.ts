import type { Intent, NumberedSource } from "../author.js";
import { QUALIFIER_WORDS } from "../intent-aspects.js";
import { TASK_BOILERPLATE_WORDS } from "../text/stop-words.js";
import { termSet } from "./vectors.js";

/**
 * Names of common subjects in the other language, so that a Chinese report on "AI Agent" finds
 * documents that only say 智能体 and an English one on 固态电池 finds "solid-state". Keys and
 * values are lowercase; a subject matches a key when it contains it.
 */
const BILINGUAL_NAMES: ReadonlyArray<[string, string[]]> = [
  ["ai agent", ["智能体", "智能代理"]],
  ["agent", ["智能体"]],
  ["智能体", ["ai agent", "agent"]],
  ["solid-state batter", ["固态电池"]],
  ["固态电池", ["solid-state batter"]],
  ["perovskite", ["钙钛矿"]],
  ["钙钛矿", ["perovskite"]],
  ["large language model", ["大模型", "大语言模型"]],
  ["大模型", ["large language model", "llm"]],
  ["humanoid robot", ["人形机器人"]],
  ["人形机器人", ["humanoid robot"]],
  ["electric vehicle", ["电动汽车", "新能源汽车"]],
  ["新能源汽车", ["electric vehicle"]],
  ["energy storage", ["储能"]],
  ["储能", ["energy storage"]],
  ["quantum comput", ["量子计算"]],
  ["量子计算", ["quantum comput"]],
  ["autonomous driving", ["自动驾驶"]],
  ["自动驾驶", ["autonomous driving", "self-driving"]],
  ["drone", ["无人机"]],
  ["无人机", ["drone"]],
];

function compact(text: string): string {
  return text.toLowerCase().replace(/[\s\-_'’]+/g, "");
}

/** Other names of the subject: bilingual names, and names the evidence gives it in brackets ("AI Agent（智能体）"). */
export function subjectAliases(
  topic: string,
  sources: Array<Pick<NumberedSource, "title" | "content">> = [],
): string[] {
  const lower = topic.toLowerCase();
  const aliases = new Set<string>();
  for (const [key, names] of BILINGUAL_NAMES) if (lower.includes(key)) for (const name of names) aliases.add(name);
  const escaped = topic
    .trim()
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/\s+/g, "\\s*");
  if (escaped.length >= 2) {
    const after = new RegExp(`${escaped}\\s*[（(]([^（）()]{2,12})[）)]`, "giu");
    const before = new RegExp(
      `([\\p{Script=Han}A-Za-z][^\\s（）()，。,.]{1,11})\\s*[（(]\\s*${escaped}\\s*[）)]`,
      "giu",
    );
    for (const source of sources.slice(0, 50)) {
      const text = `${source.title}\n${source.content}`;
      for (const match of text.matchAll(after)) if (match[1]) aliases.add(match[1].trim().toLowerCase());
      for (const match of text.matchAll(before)) if (match[1]) aliases.add(match[1].trim().toLowerCase());
    }
  }
  aliases.delete(lower);
  return [...aliases].filter((alias) => alias.length >= 2);
}

/** The subject's own words: topic terms without request wording, qualifiers ("China", "全球") and bare numbers. */
export function topicTerms(intent: Intent): Set<string> {
  const all = termSet(intent.topic);
  const core = new Set(
    [...all].filter((term) => !TASK_BOILERPLATE_WORDS.has(term) && !QUALIFIER_WORDS.has(term) && !/^\d+$/.test(term)),
  );
  if (core.size > 0) return core;
  const specific = new Set([...all].filter((term) => !TASK_BOILERPLATE_WORDS.has(term) && !/^\d+$/.test(term)));
  if (specific.size > 0) return specific;
  return all.size > 0 ? all : termSet(intent.key_terms.join(" "));
}

/**
 * A test for "this text is about the subject": it names the subject (spacing and hyphens aside)
 * or one of its aliases, or it has most of the subject's words (all of them when there are one
 * or two). Always true when the task has no usable words.
 */
export function subjectMatcher(
  intent: Intent,
  aliases: string[] = subjectAliases(intent.topic),
): (text: string) => boolean {
  const terms = topicTerms(intent);
  const whole = compact(intent.topic.replace(/^(?:中国|国内|全球|china|global)\s*/i, ""));
  const names = [whole, ...aliases.map(compact)].filter((name) => name.length >= 2);
  // Two-letter terms ("AI", "EV") qualify the subject more than they name it: "a browser agent" is
  // about AI agents. They count when present, but are not required.
  const core = new Set([...terms].filter((term) => term.length > 2 || /\p{Script=Han}/u.test(term)));
  const required = core.size > 0 ? core : terms;
  const needed = required.size <= 2 ? required.size : Math.ceil(required.size * 0.6);
  return (text: string) => {
    if (terms.size === 0) return true;
    const flat = compact(text);
    if (names.some((name) => flat.includes(name))) return true;
    let found = 0;
    for (const term of termSet(text)) if (required.has(term)) found += 1;
    return found >= needed;
  };
}

/**
 * The sources about the subject (title or text). Searches for the report's structure ("… cost")
 * also match documents about something else entirely; those are never evidence. When no source
 * is on topic the result is empty, so the report says there is no evidence.
 */
export function topicalSources<T extends Pick<NumberedSource, "title" | "content">>(
  intent: Intent,
  sources: T[],
  aliases?: string[],
): T[] {
  const matches = subjectMatcher(intent, aliases ?? subjectAliases(intent.topic, sources));
  return sources.filter((source) => matches(`${source.title}\n${source.content}`));
}
