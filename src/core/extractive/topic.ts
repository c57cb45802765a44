import type { Intent, NumberedSource } from "../author.js";
import { TASK_BOILERPLATE_WORDS } from "../text/stop-words.js";
import { termSet } from "./vectors.js";

/**
 * The terms a source must mention to be about the task: the topic's words without request
 * wording ("最新", "latest") and bare numbers, else all of the topic's words, else the key terms.
 * Empty when the task has no usable words at all.
 */
export function topicTerms(intent: Intent): Set<string> {
  const all = termSet(intent.topic);
  const specific = new Set([...all].filter((term) => !TASK_BOILERPLATE_WORDS.has(term) && !/^\d+$/.test(term)));
  if (specific.size > 0) return specific;
  return all.size > 0 ? all : termSet(intent.key_terms.join(" "));
}

/**
 * The sources that mention at least one topic term (in title or text). Searches for the
 * report's structure ("… cost problem") also match documents about something else entirely;
 * those are never evidence. When no source is on topic the result is empty, so the report
 * says there is no evidence instead of quoting unrelated documents.
 */
export function topicalSources<T extends Pick<NumberedSource, "title" | "content">>(intent: Intent, sources: T[]): T[] {
  const terms = topicTerms(intent);
  if (terms.size === 0) return sources;
  return sources.filter((source) => {
    for (const term of termSet(`${source.title} ${source.content}`)) if (terms.has(term)) return true;
    return false;
  });
}
