import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExtractiveAuthor } from "../../src/core/extractive/index.js";
import { checkPipelineEvent, type PipelineEvent, type ProgressEvent } from "../../src/core/events/index.js";
import { createModelJudge } from "../../src/core/grounding/index.js";
import { LlmAuthor } from "../../src/core/llm-author/llm-author.js";
import { taskParamsSchema } from "../../src/core/params.js";
import { runReport } from "../../src/core/pipeline/run-report.js";
import type { ReportResult } from "../../src/core/result.js";
import { createPageFetcher } from "../../src/providers/fetch/index.js";
import { FakeModel } from "../fakes/in-process.js";
import { judgeCitedSentences, NEWS_OUTLINES, newsSearchProvider } from "../fakes/news-grounding.js";
import { startNewsSite, type NewsSite } from "../fakes/news-site.js";
import {
  createResearchResponder,
  WRONG_CITING_WRITER,
  type ResearchResponderOptions,
} from "../fakes/research-responder.js";

// A model that cites the wrong source, copies page chrome, changes figures, cites both copies of a
// syndicated story, cites reader comments and adds clauses — over the fixture news site, fetched by
// the real page fetcher on loopback. The final report must cite only what its sources say.
const NOW = new Date("2026-12-01T09:00:00Z");
let site: NewsSite;

beforeAll(async () => {
  site = await startNewsSite();
});
afterAll(async () => {
  await site.close();
});

async function run(
  task: string,
  outline: object,
  responder: ResearchResponderOptions,
  engine: "llm" | "extractive" = "llm",
) {
  const fake = createResearchResponder({
    ...responder,
    override: { outline: () => ({ content: JSON.stringify(outline) }) },
  });
  const model = new FakeModel(fake);
  const events: PipelineEvent[] = [];
  const result = await runReport({
    params: taskParamsSchema.parse({ task, max_iterations: 1 }),
    author: engine === "llm" ? new LlmAuthor(model) : new ExtractiveAuthor(),
    judge: createModelJudge({ model }),
    searchProviders: [newsSearchProvider(site)],
    fetcher: createPageFetcher({ allowPrivate: true }),
    now: () => NOW,
    onEvent: (event) => void events.push(checkPipelineEvent(event)),
  });
  return { result, events, fake, model };
}

const progress = (events: PipelineEvent[]) =>
  events.filter((event): event is ProgressEvent => event.type === "progress");

function judged(result: ReportResult) {
  return judgeCitedSentences({ markdown: result.report_content, sources: result.sources, port: site.port });
}

describe("a model that mis-cites, over messy news pages", () => {
  it("English: every citation left in the report is supported by the page it cites", async () => {
    const { result, fake } = await run("State of solid-state batteries in 2026", NEWS_OUTLINES.en, {
      writer: { ...WRONG_CITING_WRITER, paraphrase: true },
    });
    const sentences = judged(result);
    expect(sentences.length).toBeGreaterThan(4);
    expect(sentences.filter((sentence) => !sentence.supported)).toEqual([]);
    // The faults were there to repair: the check changed sentences and said so once.
    const grounding = result.quality.grounding;
    expect(grounding?.repaired).toBeGreaterThan(0);
    expect(grounding?.dropped).toBeGreaterThan(0);
    expect(grounding?.cited_sentences).toBe(
      (grounding?.supported ?? 0) + (grounding?.repaired ?? 0) + (grounding?.dropped ?? 0),
    );
    expect(result.warnings.filter((warning) => warning.startsWith("Citation check:"))).toHaveLength(1);
    expect(result.report_content).not.toMatch(/Copy link|Share: X|LinkedIn|Readers say/);
    // One judge call per section at most (and one for the summary), only for grey-zone sentences.
    expect(fake.counts.judge).toBeLessThanOrEqual(NEWS_OUTLINES.en.sections.length + 1);
  });

  it("Chinese: every citation left in the report is supported by the page it cites", async () => {
    const { result } = await run("生成AI智能体领域最近一周的行业重大事件报告", NEWS_OUTLINES.zh, {
      writer: WRONG_CITING_WRITER,
    });
    const sentences = judged(result);
    expect(sentences.length).toBeGreaterThan(2);
    expect(sentences.filter((sentence) => !sentence.supported)).toEqual([]);
    expect(result.warnings.some((warning) => warning.startsWith("引用核查："))).toBe(true);
    expect(result.report_content).not.toMatch(/分享到|股价当天大涨15%/);
  });

  it("never cites two copies of one story for one fact", async () => {
    const { result } = await run("State of solid-state batteries in 2026", NEWS_OUTLINES.en, {
      writer: { citeCopies: true },
    });
    for (const sentence of judged(result)) {
      const stories = sentence.pages.map(
        (page) => page?.roles.syndicated_of ?? page?.roles.near_duplicate_of ?? page?.id,
      );
      expect(new Set(stories).size).toBe(stories.length);
    }
  });

  it("streams each section with the numbers of the final report", async () => {
    const { result, events } = await run("State of solid-state batteries in 2026", NEWS_OUTLINES.en, {
      writer: WRONG_CITING_WRITER,
    });
    const live = progress(events).filter(
      (event) => event.status === "generating_sections" && typeof event.details?.["content"] === "string",
    );
    expect(live).toHaveLength(result.sections.length);
    for (const event of live) {
      const final = result.sections.find((section) => section.id === event.details?.["id"]);
      expect(event.details?.["content"]).toBe(final?.content);
    }
    const summaryEvent = progress(events).find(
      (event) => event.status === "generating_summary" && event.details?.["summary"] !== undefined,
    );
    expect(summaryEvent?.details?.["summary"]).toBe(result.summary);
    // Numbers run 1..K in the order sources were first cited, live.
    const firstSeen = [
      ...new Set(
        live.flatMap((event) =>
          [...String(event.details?.["content"]).matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])),
        ),
      ),
    ];
    expect(firstSeen).toEqual(firstSeen.map((_, index) => index + 1));
    expect(result.sources.map((source) => source.id)).toEqual(result.sources.map((_, index) => index + 1));
  });

  it("reports the judge's tokens as model usage of the sections step", async () => {
    const { events, fake, result } = await run("State of solid-state batteries in 2026", NEWS_OUTLINES.en, {
      writer: { paraphrase: true },
    });
    expect(fake.counts.judge).toBeGreaterThan(0);
    const usage = events.filter((event) => event.type === "model_usage");
    expect(usage).toHaveLength(Object.values(fake.counts).reduce((sum, count) => sum + count, 0));
    expect(result.quality.grounding?.judged).toBeGreaterThan(0);
    // Judge calls are counted with the step they check: the sections' and the summary's.
    const byStep = result.metadata.usage.by_step;
    expect((byStep["generating_sections"]?.calls ?? 0) + (byStep["generating_summary"]?.calls ?? 0)).toBe(
      fake.counts.section + fake.counts.summary + fake.counts.judge,
    );
    expect(byStep["generating_sections"]?.calls).toBeGreaterThan(fake.counts.section);
  });

  it("a failing judge leaves the lexical check to decide, says so once, and the report still cites only what its sources say", async () => {
    const { result, fake } = await run("State of solid-state batteries in 2026", NEWS_OUTLINES.en, {
      writer: { ...WRONG_CITING_WRITER, paraphrase: true },
      judge: "fail",
    });
    expect(fake.counts.judge).toBeGreaterThan(0);
    expect(result.quality.grounding?.judged).toBe(0);
    expect(result.warnings.filter((warning) => warning.startsWith("The citation judge failed"))).toHaveLength(1);
    expect(judged(result).filter((sentence) => !sentence.supported)).toEqual([]);
  });

  it("the extractive engine passes the check verbatim, with no model and no tokens", async () => {
    const { result } = await run("State of solid-state batteries in 2026", NEWS_OUTLINES.en, {}, "extractive");
    expect(result.metadata.usage.calls).toBe(0);
    expect(result.quality.grounding).toMatchObject({ judged: 0, repaired: 0, dropped: 0 });
    expect(result.quality.grounding?.supported).toBeGreaterThan(0);
    expect(judged(result).filter((sentence) => !sentence.supported)).toEqual([]);
  });
});
