import type { Intent } from "../author.js";
import { QUALIFIER_WORDS } from "../intent-aspects.js";
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

/**
 * A phrase's terms: stop words, request wording ("latest", "报告") and bare numbers removed; stemmed; distinct.
 * With `qualifiers: false`, also without the place that qualifies it ("中国固态电池" → 固态, 电池; "US chip
 * export rules" → chip, export, rule): a page on the industry that never names the country is still about
 * it. A phrase that is only a place keeps it.
 */
export function subjectTerms(text: string, options: { qualifiers?: boolean } = {}): string[] {
  let terms = tokenize(text, { stem: false }).filter(
    (term) => !TASK_BOILERPLATE_WORDS.has(term) && !/^\d+$/.test(term),
  );
  if (options.qualifiers === false) {
    const core = terms.filter((term) => !QUALIFIER_WORDS.has(term));
    if (core.length > 0) terms = core;
  }
  return [...new Set(terms.map((term) => stemEnglish(term)))];
}

/** The subject of a task from its intent. */
export function subjectOf(intent: Pick<Intent, "topic" | "key_terms">): Subject {
  // A place is not what the task is about: "中国固态电池" is about solid-state batteries, in China.
  const topic = subjectTerms(intent.topic, { qualifiers: false });
  const phrases: string[][] = [];
  const singles = new Set<string>();
  for (const keyTerm of intent.key_terms) {
    const terms = subjectTerms(keyTerm, { qualifiers: false });
    if (terms.length >= 2) phrases.push(terms);
    else if (terms[0] && !topic.includes(terms[0]) && !QUALIFIER_WORDS.has(keyTerm.trim().toLowerCase()))
      singles.add(terms[0]);
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
export function namesPhrase(tokens: string[], phrase: string[], need = required(phrase)): boolean {
  if (phrase.length === 0) return false;
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
 * A passage that names all but one word of a phrase of three or more ("solid-state" of
 * "solid-state battery") under a title that holds the missing word ("… battery technicians").
 */
function completedByTitle(tokens: string[], title: ReadonlySet<string>, phrase: string[]): boolean {
  if (phrase.length < 3) return false;
  return phrase.some(
    (missing) =>
      title.has(missing) &&
      namesPhrase(
        tokens,
        phrase.filter((term) => term !== missing),
      ),
  );
}

/**
 * Judges a source by its title and passages (each a token list in text order). On topic when
 * the title or one passage names the topic or a key phrase (or names all but one of its words
 * under a title that has the last), or one passage holds two single-word key terms beside a
 * topic word. Sharing one word ("solid" of "solid-state") is not enough.
 */
export function judgeTopic(subject: Subject, title: string[], passages: string[][]): TopicVerdict {
  if (!isJudgeable(subject)) return { onTopic: true, reason: "the task names no subject to check" };
  const singles = new Set(subject.singles);
  const topicWords = new Set(subject.topic);
  const titleTerms = new Set(title);
  for (const tokens of [title, ...passages]) {
    if (namesPhrase(tokens, subject.topic)) return { onTopic: true, reason: "names the topic" };
    if (completedByTitle(tokens, titleTerms, subject.topic))
      return { onTopic: true, reason: "names the topic with its title" };
    const phrase = subject.phrases.find(
      (candidate) => namesPhrase(tokens, candidate) || completedByTitle(tokens, titleTerms, candidate),
    );
    if (phrase) return { onTopic: true, reason: `names "${phrase.join(" ")}"` };
    if (singles.size >= 2) {
      const present = new Set(tokens.filter((term) => singles.has(term)));
      const besideTopic = topicWords.size === 0 || tokens.some((term) => topicWords.has(term));
      if (present.size >= 2 && besideTopic) return { onTopic: true, reason: "names key terms of the topic" };
    }
  }
  return { onTopic: false, reason: "never names the topic or a key phrase" };
}

const PARENTHESIZED = /[（(]\s*([^（）()\n]{1,40}?)\s*[）)]/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_TAIL = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}A-Za-z0-9·-]{2,12}$/u;
const CJK_PARTICLES = /^.*[的和与及是为了在对将把被从向用以]/u;

/**
 * Candidate names just before a parenthesis, shortest first: the run after the last particle
 * of CJK text; the last one to four words of Latin text.
 */
function tails(before: string): string[] {
  const clause =
    before
      .split(/[\n，。、；：,.;:!?！？"“”]/u)
      .at(-1)
      ?.trim() ?? "";
  if (clause.length === 0) return [];
  if (CJK.test(clause.slice(-1))) {
    const run = CJK_TAIL.exec(clause.replace(CJK_PARTICLES, ""))?.[0];
    return run ? [run] : [];
  }
  const words = clause.split(/\s+/).filter(Boolean);
  return [1, 2, 3, 4].filter((count) => count <= words.length).map((count) => words.slice(-count).join(" "));
}

function namesSubject(terms: string[], subject: Subject): boolean {
  return [subject.topic, ...subject.phrases].some((phrase) => phrase.length > 0 && namesPhrase(terms, phrase));
}

/**
 * Other names of the subject a text gives in parentheses: "AI智能体（AI Agent）" makes 智能体 a
 * name of "AI Agent", "solid-state batteries (SSBs)" makes SSBs one of "solid-state batteries".
 * Each is returned as its terms without the subject's own words; pages that use only the other
 * name ("智能体") are then recognised as on topic.
 */
export function aliasPhrases(text: string, subject: Subject): string[][] {
  const known = new Set([...subject.topic, ...subject.phrases.flat()]);
  const aliases: string[][] = [];
  const add = (terms: string[]) => {
    const alias = terms.filter((term) => !known.has(term));
    if (alias.length === 0 || alias.length > 4 || alias.join("").length < 2) return;
    if (!aliases.some((existing) => existing.join(" ") === alias.join(" "))) aliases.push(alias);
  };
  for (const match of text.matchAll(PARENTHESIZED)) {
    const inside = subjectTerms(match[1] ?? "");
    if (inside.length === 0 || inside.length > 5) continue;
    const candidates = tails(text.slice(Math.max(0, match.index - 60), match.index)).map((tail) => subjectTerms(tail));
    if (namesSubject(inside, subject)) {
      // "SSBs (solid-state batteries)", "AI智能体（AI Agent）": the name before the parenthesis.
      const outside = candidates[0];
      if (outside) add(outside);
    } else if (candidates.some((terms) => namesSubject(terms, subject))) {
      // "solid-state batteries (SSBs)", "AI Agent（智能体）": the name inside it.
      add(inside);
    }
  }
  return aliases;
}
