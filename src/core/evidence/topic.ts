import type { Intent } from "../author.js";
import { TASK_BOILERPLATE_WORDS } from "../text/stop-words.js";
import { stemEnglish, tokenize } from "../text/tokenize.js";

/**
 * What a source must be about to be evidence for the task: the topic's words, the key terms
 * that are phrases ("solid-state battery", "AI 智能体"), and the single-word key terms.
 */
export type Subject = {
  topic: string[];
  phrases: string[][];
  singles: string[];
};

/** A phrase's terms: stop words, request wording ("latest", "报告") and bare numbers removed; stemmed; distinct. */
export function subjectTerms(text: string): string[] {
  const terms = tokenize(text, { stem: false })
    .filter((term) => !TASK_BOILERPLATE_WORDS.has(term) && !/^\d+$/.test(term))
    .map((term) => stemEnglish(term));
  return [...new Set(terms)];
}

/** The subject of a task from its intent. */
export function subjectOf(intent: Pick<Intent, "topic" | "key_terms">): Subject {
  const topic = subjectTerms(intent.topic);
  const phrases: string[][] = [];
  const singles = new Set<string>();
  for (const keyTerm of intent.key_terms) {
    const terms = subjectTerms(keyTerm);
    if (terms.length >= 2) phrases.push(terms);
    else if (terms[0] && !topic.includes(terms[0])) singles.add(terms[0]);
  }
  return { topic, phrases, singles: [...singles] };
}

/** Whether the subject can tell on-topic from off-topic text at all. */
export function isJudgeable(subject: Subject): boolean {
  return subject.topic.length > 0 || subject.phrases.length > 0 || subject.singles.length >= 2;
}

/** Terms of a phrase that must appear together: all of a short phrase, most of a long one. */
function required(phrase: string[]): number {
  return phrase.length <= 3 ? phrase.length : Math.max(3, Math.ceil(phrase.length * 0.6));
}

/**
 * Whether `tokens` name the phrase: at least `required(phrase)` of its distinct terms within a
 * window of a few words (a passage that says "solid demand" in one clause and "battery" in
 * another does not name "solid-state battery").
 */
export function namesPhrase(tokens: string[], phrase: string[]): boolean {
  if (phrase.length === 0) return false;
  const need = required(phrase);
  // A short phrase must stand nearly whole ("solid-state and semi-solid batteries" still names it);
  // a long topic's words may spread over a sentence.
  const window = phrase.length <= 3 ? phrase.length + 3 : Math.max(12, 3 * phrase.length);
  const wanted = new Set(phrase);
  const inWindow = new Map<string, number>();
  let start = 0;
  for (let end = 0; end < tokens.length; end += 1) {
    const term = tokens[end] ?? "";
    if (wanted.has(term)) inWindow.set(term, (inWindow.get(term) ?? 0) + 1);
    while (end - start + 1 > window) {
      const leaving = tokens[start] ?? "";
      const count = inWindow.get(leaving);
      if (count !== undefined) {
        if (count <= 1) inWindow.delete(leaving);
        else inWindow.set(leaving, count - 1);
      }
      start += 1;
    }
    if (inWindow.size >= need) return true;
  }
  return false;
}

export type TopicVerdict = { onTopic: boolean; reason: string };

/**
 * Judges a source by its title and passages (each a token list in text order). On topic when
 * the title or one passage names the topic or a key phrase, or one passage holds two single-word
 * key terms beside a topic word. Sharing one word ("solid" of "solid-state") is not enough.
 */
export function judgeTopic(subject: Subject, title: string[], passages: string[][]): TopicVerdict {
  if (!isJudgeable(subject)) return { onTopic: true, reason: "the task names no subject to check" };
  const singles = new Set(subject.singles);
  const topicWords = new Set(subject.topic);
  for (const tokens of [title, ...passages]) {
    if (namesPhrase(tokens, subject.topic)) return { onTopic: true, reason: "names the topic" };
    const phrase = subject.phrases.find((candidate) => namesPhrase(tokens, candidate));
    if (phrase) return { onTopic: true, reason: `names "${phrase.join(" ")}"` };
    if (singles.size >= 2) {
      const present = new Set(tokens.filter((term) => singles.has(term)));
      const besideTopic = topicWords.size === 0 || tokens.some((term) => topicWords.has(term));
      if (present.size >= 2 && besideTopic) return { onTopic: true, reason: "names key terms of the topic" };
    }
  }
  return { onTopic: false, reason: "never names the topic or a key phrase" };
}
