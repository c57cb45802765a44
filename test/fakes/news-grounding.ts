/**
 * Judging a finished report against the fixture news site's ground truth, independently of
 * report-mcp's verifier: a cited sentence is supported when the page it cites (by the manifest)
 * states every figure of it and most of its words in the article's own paragraphs, and none of
 * the page's clutter. Also: outlines whose queries find the site's pages, and a search provider
 * over the site. Shared by the end-to-end tests and bench/grounding.mjs.
 */
import type { SearchProvider } from "../../src/core/types.js";
import { NEWS_PAGES, newsGoldText, newsPageUrl, type NewsPage } from "../fixtures/news-site/manifest.js";
import { searchNewsSite } from "./news-site.js";

/** Outlines (as the fake planner's JSON) whose queries find the site's English and Chinese pages. */
export const NEWS_OUTLINES = {
  en: {
    title: "Solid-State Batteries in 2026",
    sections: [
      {
        name: "Pilot lines and technology",
        goal: "What started production and how the cells perform",
        queries: ["Veltrix solid-state pilot line", "solid-state cells energy density"],
      },
      { name: "Costs", goal: "What solid-state cells cost now", queries: ["solid-state cell costs kWh"] },
      {
        name: "Supply chain and safety",
        goal: "Materials, plants and risks",
        queries: ["lithium sulfide plant solid-state batteries", "sulfide solid-state cells toxic gas"],
      },
      {
        name: "Regulation and jobs",
        goal: "Rules and hiring",
        queries: ["EU battery passport solid-state cells", "Veltrix hiring fair battery technicians"],
      },
    ],
  },
  zh: {
    title: "AI智能体行业重大事件报告",
    sections: [
      { name: "融资动态", goal: "本周的融资事件", queries: ["智能体 融资"] },
      { name: "政策监管", goal: "新出台的规则", queries: ["智能体服务管理暂行办法"] },
      { name: "市场规模", goal: "市场规模的最新估计", queries: ["智能体市场规模"] },
      { name: "行业活动", goal: "近期的行业活动", queries: ["智能体开发者大会"] },
    ],
  },
};

/** A search provider (the real interface) answering from the fixture site. */
export function newsSearchProvider(site: { port: number }, name = "tavily"): SearchProvider {
  return {
    name,
    async search(request) {
      return searchNewsSite(request.query, { site, maxResults: request.maxResults ?? 5 }).map(
        ({ page: _page, ...hit }) => ({ ...hit, provider: name }),
      );
    },
  };
}

export type CitedSentence = { text: string; ids: number[]; pages: Array<NewsPage | null>; supported: boolean };

const CITATION = /\[(\d+)\]/g;

function figures(text: string): string[] {
  return (
    text
      .normalize("NFKC")
      .replace(/(\d),(\d{3})/g, "$1$2")
      .match(/\d+(?:\.\d+)?/g) ?? []
  ).filter((figure) => figure.length > 0);
}

function words(text: string): string[] {
  const lower = text.normalize("NFKC").toLowerCase();
  return [...(lower.match(/[a-z]{4,}/g) ?? []), ...[...lower.matchAll(/[\u3400-\u9fff]{2}/g)].map((match) => match[0])];
}

/** Whether `page` states `sentence`: every figure and 60 % of the words in its paragraphs, none of its clutter. */
export function pageSupports(page: NewsPage, sentence: string): boolean {
  const gold = newsGoldText(page).normalize("NFKC");
  const goldFigures = gold.replace(/(\d),(\d{3})/g, "$1$2");
  const goldLower = gold.toLowerCase();
  if (!figures(sentence).every((figure) => goldFigures.includes(figure))) return false;
  if (page.clutter.some((marker) => sentence.includes(marker))) return false;
  const claimWords = words(sentence);
  if (claimWords.length === 0) return true;
  const found = claimWords.filter((word) => goldLower.includes(word.length > 5 ? word.slice(0, -2) : word)).length;
  return found / claimWords.length >= 0.6;
}

/** A summary bullet's date label ("- **12 Nov** — ", "- **11月23日**："): the report's own note of the cited page's date. */
const DATE_LABEL = /^\s*[-*]\s+\*\*([^*\n]{1,24})\*\*\s*(?:—|：|:)\s*/u;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Whether a date label ("12 Nov", "11月12日") names the page's publication day. */
function labelNamesDate(label: string, page: NewsPage): boolean {
  const published = page.published_at ? new Date(page.published_at) : null;
  if (!published || Number.isNaN(published.getTime())) return false;
  const english = /^(\d{1,2}) ([A-Z][a-z]{2})$/.exec(label);
  const chinese = /^(\d{1,2})月(\d{1,2})日$/u.exec(label);
  const [month, day] = english
    ? [MONTHS.indexOf(english[2] ?? ""), Number(english[1])]
    : chinese
      ? [Number(chinese[1]) - 1, Number(chinese[2])]
      : [-1, -1];
  return published.getUTCMonth() === month && published.getUTCDate() === day;
}

/**
 * Every cited sentence of a report's Markdown, judged against the pages its numbers point at. A
 * summary bullet's date label is not part of its sentence; it must name the cited page's date.
 */
export function judgeCitedSentences(options: {
  markdown: string;
  sources: Array<{ id: number; url: string }>;
  port: number;
}): CitedSentence[] {
  const byUrl = new Map(NEWS_PAGES.map((page) => [newsPageUrl(page, options.port), page]));
  const body = options.markdown.split(/\n## (?:References|参考资料)\b/)[0] ?? "";
  const sentences = body
    .split("\n")
    .filter((line) => !/^\s*#{1,2}\s+(?!.*\[\d+\])/.test(line) && !/^\s*>/.test(line))
    .flatMap((line) => {
      const label = DATE_LABEL.exec(line)?.[1] ?? null;
      // "Sentence. [3]" cites like "Sentence [3].": the group after a full stop belongs to the sentence before it.
      const prose = line
        .replace(DATE_LABEL, "")
        .replace(/^\s*#+\s+/, "")
        .replace(/([.!?。！？])\s*((?:\[\d+\])+)/g, " $2$1");
      const found =
        prose.match(/[^.!?。！？]+?(?:\[\d+\])+[^.!?。！？]*[.!?。！？]?|[^.!?。！？]*(?:\[\d+\])+[.!?。！？]?/g) ?? [];
      return found.map((raw, index) => ({ raw, label: index === 0 ? label : null }));
    });
  return sentences.map(({ raw, label }) => {
    const ids = [...raw.matchAll(CITATION)].map((match) => Number(match[1]));
    const text = raw
      .replace(CITATION, "")
      .replace(/^[\s\-*]+/, "")
      .trim();
    const pages = ids.map((id) => byUrl.get(options.sources.find((source) => source.id === id)?.url ?? "") ?? null);
    const supported =
      pages.length > 0 &&
      pages.every(
        (page) => page !== null && pageSupports(page, text) && (label === null || labelNamesDate(label, page)),
      );
    return { text, ids, pages, supported };
  });
}

/** Cited sources that are copies of a story another cited source already tells (manifest roles). */
export function duplicateSources(pages: NewsPage[]): number {
  const original = (page: NewsPage): string => page.roles.syndicated_of ?? page.roles.near_duplicate_of ?? page.id;
  const stories = new Map<string, number>();
  for (const page of new Set(pages)) stories.set(original(page), (stories.get(original(page)) ?? 0) + 1);
  return [...stories.values()].reduce((sum, count) => sum + count - 1, 0);
}

/** Quantities reported only in their superseded value: the older page's figure cited, the newer one's not. */
export function staleOnlyFacts(options: { markdown: string; cited: NewsPage[] }): string[] {
  const stale: string[] = [];
  for (const old of NEWS_PAGES.filter((page) => page.roles.superseded_by)) {
    const newer = NEWS_PAGES.find((page) => page.id === old.roles.superseded_by);
    if (!newer) continue;
    for (const fact of old.facts.filter((item) => item.quantity)) {
      const current = newer.facts.find((item) => item.quantity === fact.quantity);
      const oldStated = fact.values.some((value) => options.markdown.includes(value));
      const newStated = current?.values.some((value) => options.markdown.includes(value)) ?? false;
      if (oldStated && !newStated && options.cited.includes(old)) stale.push(`${old.id}: ${fact.claim}`);
    }
  }
  return stale;
}
