/**
 * Mozilla Readability with a threshold sized to the page. Readability keeps the result of its
 * strict pass only when it holds `charThreshold` characters (default 500); below that it retries
 * with its filters off and finally keeps the longest attempt — for a 300-character news brief,
 * the whole page. Here the threshold is measured from the page after its chrome is gone: half
 * of the text that is left (at most 500, at least 25, Readability's own paragraph minimum), so a
 * short item passes the strict pass and a long article is judged as before. The measure counts
 * characters, so a Chinese brief (denser per character) is judged by its own length too.
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { visibleLength } from "./text-measure.js";

type Doc = ReturnType<typeof parseHTML>["document"];
type El = Doc["body"];

export type ArticleElement = { element: El; title: string | null; textLength: number; charThreshold: number };

const DEFAULT_THRESHOLD = 500;
const MIN_THRESHOLD = 25;

/**
 * Runs Readability over `document` (which it changes) and returns the article element it
 * chose, or null when it found none. Classes are kept so the caller can clean the result by them.
 */
export function readArticle(document: Doc): ArticleElement | null {
  const remaining = document.body ? visibleLength(document.body.textContent ?? "") : 0;
  if (remaining === 0) return null;
  const charThreshold = Math.max(MIN_THRESHOLD, Math.min(DEFAULT_THRESHOLD, Math.floor(remaining / 2)));
  const article = new Readability(document, {
    charThreshold,
    keepClasses: true,
    disableJSONLD: true,
    serializer: (node) => node,
  }).parse();
  if (!article?.content) return null;
  return {
    element: article.content as unknown as El,
    title: article.title ?? null,
    textLength: article.length ?? 0,
    charThreshold,
  };
}
