/**
 * End to end on the extractive engine: the whole pipeline (intent, window, outline, search, quality, sections,
 * summary, assembly) over a corpus written for these tests
 * (test/fixtures/extractive-corpus: English and Chinese, dated across months, sentences that lean
 * on the one before, near-duplicates and an undated glossary), checked the way a reader would.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bigramSimilarity, createExtractiveAuthor, parseCitedSentences } from "../../src/core/extractive/index.js";
import { normalizeQuote } from "../../src/core/extractive/units.js";
import { ReportError } from "../../src/core/errors.js";
import { checkPipelineEvent, type PipelineEvent, type ProgressEvent } from "../../src/core/events/index.js";
import { LlmAuthor } from "../../src/core/llm-author/llm-author.js";
import { taskParamsSchema, type TaskParamsInput } from "../../src/core/params.js";
import { runReport } from "../../src/core/pipeline/run-report.js";
import type { ReportResult } from "../../src/core/result.js";
import { splitSentences } from "../../src/core/text/sentences.js";
import { createCorpusSearch, parseDocument } from "../../src/providers/corpus/index.js";
import { FakeModel, FakeSearch } from "../fakes/in-process.js";
import { createResearchResponder } from "../fakes/research-responder.js";

const FIXTURE = path.resolve("test/fixtures/extractive-corpus");
const NOW = new Date("2026-11-28T12:00:00Z");
let home: string;

type Run = { result: ReportResult; events: PipelineEvent[]; warnings: string[] };

async function run(input: TaskParamsInput, now: Date = NOW): Promise<Run> {
  const events: PipelineEvent[] = [];
  const search = createCorpusSearch({ folders: [FIXTURE], home, now: () => now });
  const result = await runReport({
    params: taskParamsSchema.parse(input),
    author: createExtractiveAuthor(),
    searchProviders: [search],
    onEvent: (event) => void events.push(checkPipelineEvent(event)),
    now: () => now,
  });
  return { result, events, warnings: result.warnings };
}

const reports = new Map<string, Run>();
const TASKS = {
  newsEn: "AI agent industry news from the past week",
  newsZh: "生成AI Agent领域最近一周的行业重大事件报告",
  industryZh: "分析中国固态电池产业的发展现状、主要企业和成本",
  industryEn: "Solid-state battery industry analysis: market size, key players and costs",
  researchEn: "Research report on the stability of perovskite solar cells",
};

beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-extractive-quality-"));
  for (const task of Object.values(TASKS)) reports.set(task, await run({ task }));
}, 120_000);
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

const all = () => [...reports.values()];
const quotesOf = (result: ReportResult) =>
  [result.summary, ...result.sections.map((section) => section.content)].flatMap(parseCitedSentences);

/** The text of a cited corpus file, read from disk by its file:/// URL (not from anything the run kept). */
async function fileText(url: string): Promise<string> {
  const file = fileURLToPath(url);
  return normalizeQuote((await parseDocument({ filePath: file, bytes: await fs.readFile(file) })).text);
}

describe("a report a person would keep (extractive engine, test corpus)", () => {
  it("quotes every sentence verbatim from the file its citation points at", async () => {
    for (const { result } of all()) {
      const quotes = quotesOf(result);
      expect(quotes.length).toBeGreaterThan(5);
      for (const quote of quotes) {
        const source = result.sources.find((item) => item.id === quote.sourceId);
        expect(source, `[${quote.sourceId}] in ${result.task}`).toBeDefined();
        expect(await fileText(source?.url ?? ""), `"${quote.text}"`).toContain(quote.text);
      }
    }
  });

  it("heads each section with its facet and a phrase, never a list of tokens", () => {
    const tokenList = /^\s*[^\s,，、:：]{1,14}(?:\s*[,，、]\s*[^\s,，、]{1,14}){2,}\s*$/u;
    for (const { result } of all()) {
      for (const section of result.sections) {
        const [label, headline] = section.name.split(/[:：]/u, 2).map((part) => part.trim());
        expect(label, section.name).toBeTruthy();
        expect(section.name).not.toMatch(tokenList);
        if (!headline) continue;
        expect(headline, section.name).not.toMatch(tokenList);
        if (/\p{Script=Han}/u.test(headline)) expect(headline.length, section.name).toBeGreaterThanOrEqual(6);
        else expect(headline.split(/\s+/).length, section.name).toBeGreaterThanOrEqual(3);
        // The heading describes its paragraphs: most of its words are in the section's quotes.
        const words = headline.toLowerCase().match(/[\p{Script=Han}]{2}|[a-z0-9$.]{3,}/gu) ?? [];
        const body = section.content.toLowerCase();
        expect(
          words.filter((word) => body.includes(word)).length / Math.max(1, words.length),
          section.name,
        ).toBeGreaterThanOrEqual(0.6);
      }
    }
  });

  it("plans sections from the task type's facets and the aspects the task names, in the task's order", () => {
    const industry = reports.get(TASKS.industryZh)?.result;
    expect(industry?.metadata.topic).toBe("中国固态电池");
    expect(industry?.sections.slice(0, 3).map((section) => section.name.split("：")[0])).toEqual([
      "发展现状",
      "主要企业",
      "成本",
    ]);
    const english = reports.get(TASKS.industryEn)?.result;
    expect(english?.sections.slice(0, 3).map((section) => section.name.split(":")[0])).toEqual([
      "Market size",
      "Key players",
      "Costs",
    ]);
    const news = reports.get(TASKS.newsEn)?.result;
    const labels = news?.sections.map((section) => section.name.split(":")[0]) ?? [];
    expect(labels).toEqual(
      expect.arrayContaining([
        "Funding",
        "Partnerships and acquisitions",
        "Policy and regulation",
        "Incidents and security",
      ]),
    );
    expect(reports.get(TASKS.researchEn)?.result.sections[0]?.name).toMatch(/^Stability/);
  });

  it("gives every section evidence when the corpus has some", () => {
    for (const { result } of all()) {
      for (const section of result.sections)
        expect(section.content, `${result.task} / ${section.name}`).toMatch(/\[\d+\]/);
    }
  });

  it("never opens a quote with an unresolved pronoun or demonstrative: it quotes the sentence it leans on too", () => {
    const english =
      /^(?:It|Its|They|Their|This|That|These|Those|He|She|Such|However|But|The company|The firm|The deal|The round|Most now)\b/;
    const chinese = /^(?:这|该|其|此|它|他们|上述|公司|双方|本轮|研究发现|办法)/u;
    for (const { result } of all()) {
      for (const quote of quotesOf(result)) {
        const first = splitSentences(quote.text)[0] ?? quote.text;
        expect(first, result.task).not.toMatch(english);
        expect(first, result.task).not.toMatch(chinese);
      }
    }
    const chineseNews = quotesOf(reports.get(TASKS.newsZh)?.result as ReportResult).map((quote) => quote.text);
    for (const text of chineseNews.filter((quote) => quote.includes("这是今年以来")))
      expect(text.indexOf("星图智能")).toBeLessThan(text.indexOf("这是今年以来"));
    const englishNews = quotesOf(reports.get(TASKS.newsEn)?.result as ReportResult).map((quote) => quote.text);
    for (const text of englishNews.filter((quote) => quote.includes("among the members")))
      expect(text).toContain("Open Agent Alliance");
    for (const text of englishNews.filter((quote) => quote.startsWith("The round values")))
      expect.fail(`quoted without its antecedent: ${text}`);
  });

  it("prefers the newer figure for the same claim, and the original over a syndicated copy of it", () => {
    const industry = quotesOf(reports.get(TASKS.industryEn)?.result as ReportResult)
      .map((quote) => quote.text)
      .join("\n");
    expect(industry).toContain("7 gigawatt-hours");
    expect(industry).not.toMatch(/reach about 5 gigawatt-hours in 2026, according to Voltmark\./);
    const chinese = quotesOf(reports.get(TASKS.industryZh)?.result as ReportResult)
      .map((quote) => quote.text)
      .join("\n");
    expect(chinese).toContain("4.5吉瓦时");
    expect(chinese).not.toContain("约为3吉瓦时");
    expect(chinese).toContain("1吉瓦时");
    expect(chinese).not.toContain("年产能为0.5吉瓦时");
    const news = reports.get(TASKS.newsEn)?.result as ReportResult;
    const quillmark = quotesOf(news).filter((quote) => quote.text.includes("$340 million"));
    expect(quillmark.length).toBeGreaterThan(0);
    for (const quote of quillmark)
      expect(news.sources.find((source) => source.id === quote.sourceId)?.url).toMatch(/quillmark-series-c\.md$/);
  });

  it("orders a section's quotes by date within each kind (background, facts, assessments), not by score", () => {
    for (const { result } of all()) {
      const dates = new Map(
        result.sources.map((source) => [source.id, source.published_at ? Date.parse(source.published_at) : null]),
      );
      for (const section of result.sections) {
        for (const paragraph of section.content.split(/\n\n/).slice(1)) {
          const times = parseCitedSentences(paragraph)
            .map((quote) => dates.get(quote.sourceId))
            .filter((time): time is number => typeof time === "number");
          expect(times, `${result.task} / ${section.name}`).toEqual([...times].sort((left, right) => left - right));
        }
      }
    }
  });

  it("writes a summary of distinct facts that names its sources' dates", () => {
    for (const { result } of all()) {
      const lines = result.summary.split("\n").filter(Boolean);
      expect(lines[0], result.task).toMatch(
        /dated \d{1,2}(?: [A-Z][a-z]+)?(?: \d{4})?[–-]|dated \d{1,2} [A-Z]|日期为\d{4}年/,
      );
      const facts = parseCitedSentences(result.summary).map((quote) => quote.text);
      expect(facts.length).toBeGreaterThanOrEqual(2);
      for (let left = 0; left < facts.length; left += 1) {
        for (let right = left + 1; right < facts.length; right += 1) {
          expect(
            bigramSimilarity(facts[left] ?? "", facts[right] ?? ""),
            `${facts[left]} / ${facts[right]}`,
          ).toBeLessThan(0.45);
        }
      }
    }
  });

  it("scores quality on what it quotes: a widened window costs timeliness, thin sections cost completeness, and gap-filling runs", () => {
    const news = reports.get(TASKS.newsEn)?.result as ReportResult;
    expect(news.quality.timeliness).toBe(10);
    const research = reports.get(TASKS.researchEn) as Run;
    expect(research.result.quality.timeliness).toBeLessThan(5);
    expect(research.result.quality.overall).toBeLessThan(7);
    // Below the threshold, the gap-filling loop ran.
    const steps = research.events
      .filter((event): event is ProgressEvent => event.type === "progress")
      .map((event) => event.status);
    expect(steps).toContain("supplementing_search");
    for (const { result } of all()) {
      const { overall, iterations, grounding: _grounding, ...parts } = result.quality;
      expect(iterations).toBeGreaterThanOrEqual(1);
      const mean = Object.values(parts).reduce((sum, value) => sum + value, 0) / 5;
      expect(Math.abs(overall - mean)).toBeLessThanOrEqual(0.06);
    }
  });
});

describe("a window that follows the evidence", () => {
  it("widens to the newest sources when nothing dated falls inside, and says so at the top and in the warnings", async () => {
    // Three weeks after the corpus's newest Chinese agent news: the undated glossary (recent mtime) must not count.
    const later = new Date("2026-12-20T09:00:00Z");
    const { result } = await run({ task: TASKS.newsZh }, later);
    const notice = result.warnings.find((warning) => warning.startsWith("最近 7 天内没有相关资料"));
    expect(notice).toMatch(/最新的来源日期为2026年11月\d+日至2\d日/);
    const top = result.report_content.slice(0, result.report_content.indexOf("## "));
    expect(top).toContain(notice);
    expect(result.metadata.days).toBeGreaterThan(7);
    expect(Date.parse(result.metadata.time_window.from)).toBeLessThan(Date.parse("2026-11-25"));
    expect(
      result.sources
        .filter((source) => source.published_at)
        .every((source) => (source.published_at ?? "") < "2026-12-01"),
    ).toBe(true);
    expect(result.sections.every((section) => /\[\d+\]/.test(section.content))).toBe(true);
    const english = await run({ task: TASKS.newsEn }, later);
    expect(
      english.result.warnings.some((warning) =>
        /^Nothing in the past 7 days; the newest sources are from \d+–\d+ November 2026/.test(warning),
      ),
    ).toBe(true);
  });

  it("keeps a window the task asked for when evidence falls inside it", () => {
    const news = reports.get(TASKS.newsEn) as Run;
    expect(news.result.metadata.days).toBe(7);
    expect(news.warnings.some((warning) => /past 7 days/.test(warning))).toBe(false);
    expect(news.result.report_content).not.toMatch(/Nothing in the past/);
  });
});

describe("insufficient_evidence", () => {
  it("fails with a typed error, in the task's language, instead of an empty report", async () => {
    for (const [task, pattern] of [
      ["quantum gravity experiments", /No usable evidence about "quantum gravity experiments"/],
      ["量子引力实验的最新进展", /没有关于「量子引力实验」的可用证据/],
    ] as const) {
      const error = await run({ task }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ReportError);
      expect((error as ReportError).type).toBe("insufficient_evidence");
      expect((error as ReportError).message).toMatch(pattern);
    }
  });

  it("applies to the model engine too: no source at all is no report", async () => {
    const model = new FakeModel(createResearchResponder({ sections: 3 }));
    const error = await runReport({
      params: taskParamsSchema.parse({ task: "State of solid-state batteries" }),
      author: new LlmAuthor(model),
      searchProviders: [new FakeSearch("tavily", { empty: () => true })],
      onEvent: () => undefined,
    }).catch((caught: unknown) => caught);
    expect((error as ReportError).type).toBe("insufficient_evidence");
    expect(model.calls.some((call) => /section writer/.test(call.system))).toBe(false);
  });
});
