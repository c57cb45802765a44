import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthorContext, Intent, NumberedSource, Outline, WrittenSection } from "../../src/core/author.js";
import { createExtractiveAuthor, parseCitedSentences } from "../../src/core/extractive/index.js";
import { taskParamsSchema } from "../../src/core/params.js";
import { normalizeWhitespace } from "../../src/core/text/sentences.js";
import { createCorpusSearch, type CorpusSearch } from "../../src/providers/corpus/index.js";

const NOW = new Date("2026-11-25T12:00:00Z");
const SAMPLE = path.resolve("examples/corpus");
let home: string;
let corpus: CorpusSearch;

beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-extractive-"));
  corpus = createCorpusSearch({ folders: [SAMPLE], home, now: () => NOW });
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

type Run = {
  intent: Intent;
  outline: Outline;
  evidence: Map<number, NumberedSource[]>;
  sections: WrittenSection[];
  summary: string;
  sources: Map<number, NumberedSource>;
};

/** A minimal stand-in for the pipeline: run-wide numbering by URL, evidence per section, then writing. */
async function runExtractive(task: string): Promise<Run & { usageCalls: number }> {
  const author = createExtractiveAuthor();
  let usageCalls = 0;
  const context: AuthorContext = {
    params: taskParamsSchema.parse({ task }),
    signal: new AbortController().signal,
    now: NOW,
    onUsage: () => void (usageCalls += 1),
  };
  const intent = await author.analyzeIntent(context);
  const byUrl = new Map<string, NumberedSource>();
  const search = async (queries: string[]) => {
    const found: NumberedSource[] = [];
    for (const query of queries) {
      for (const hit of await corpus.search({ query, days: intent.days, signal: context.signal })) {
        let source = byUrl.get(hit.url);
        if (!source) {
          source = {
            id: byUrl.size + 1,
            title: hit.title,
            url: hit.url,
            content: hit.content,
            published_at: hit.published_at ?? null,
            provider: hit.provider,
          };
          byUrl.set(hit.url, source);
        }
        if (!found.includes(source)) found.push(source);
      }
    }
    return found;
  };
  const outline = await author.planOutline({ ...context, intent, search });
  const evidence = new Map<number, NumberedSource[]>();
  for (const section of outline.sections) evidence.set(section.id, await search(section.queries));
  const sections = await Promise.all(
    outline.sections.map(async (section) => ({
      id: section.id,
      name: section.name,
      content: await author.writeSection({
        ...context,
        intent,
        outline,
        section,
        evidence: evidence.get(section.id) ?? [],
      }),
    })),
  );
  const sources = new Map([...byUrl.values()].map((source) => [source.id, source]));
  const summary = await author.writeSummary({ ...context, intent, outline, sections, sources: [...sources.values()] });
  return { intent, outline, evidence, sections, summary, sources, usageCalls };
}

function expectEveryCitationVerbatim(markdown: string, allowed: Map<number, NumberedSource>): number {
  const pairs = parseCitedSentences(markdown);
  for (const pair of pairs) {
    const source = allowed.get(pair.sourceId);
    expect(source, `[${pair.sourceId}] must be a source given to the author`).toBeDefined();
    expect(normalizeWhitespace(source?.content ?? ""), `"${pair.text}" must appear in [${pair.sourceId}]`).toContain(
      pair.text,
    );
  }
  // Nothing but cited sentences: stripping them leaves only whitespace.
  expect(markdown.replace(/([^[\]]+?)\s*\[(\d+)\]/gu, "").trim()).toBe("");
  return pairs.length;
}

describe("extractive author on the sample corpus", () => {
  it("writes a Chinese news report on the seed's task: Chinese headings and text, every sentence cited verbatim", async () => {
    const run = await runExtractive("生成AI Agent领域最近一周的行业重大事件报告");
    expect(run.usageCalls).toBe(0);
    expect(run.intent.language).toBe("zh");
    expect(run.outline.title).toMatch(/AI Agent.*报告/);
    expect(run.outline.sections.length).toBeGreaterThanOrEqual(3);
    expect(run.outline.sections.length).toBeLessThanOrEqual(7);
    for (const section of run.outline.sections) {
      expect(section.name).toMatch(
        /^(融资|产品与发布|合作与并购|政策与监管|研究进展|安全事件|应用落地|趋势展望)(：.{6,})?$/u,
      );
      expect(section.queries.length).toBeGreaterThan(0);
      expect(section.queries[0]).toMatch(/^AI Agent 智能体 /);
    }
    let cited = 0;
    for (const section of run.sections) {
      const evidence = new Map((run.evidence.get(section.id) ?? []).map((source) => [source.id, source]));
      cited += expectEveryCitationVerbatim(section.content, evidence);
    }
    expect(cited).toBeGreaterThanOrEqual(6);
    const body = run.sections.map((section) => section.content).join("");
    const han = (body.match(/\p{Script=Han}/gu) ?? []).length;
    const latin = (body.match(/\p{Script=Latin}/gu) ?? []).length;
    expect(han).toBeGreaterThan(latin);
    expect(expectEveryCitationVerbatim(run.summary, run.sources)).toBeGreaterThanOrEqual(2);
    // All cited sources are dated inside the last week, or undated.
    for (const pair of parseCitedSentences(body)) {
      const published = run.sources.get(pair.sourceId)?.published_at;
      if (published) expect(Date.parse(published)).toBeGreaterThanOrEqual(Date.parse("2026-11-18"));
    }
  });

  it("writes an English research report on solid-state batteries without repeating sentences across sections", async () => {
    const run = await runExtractive("State of solid-state batteries in 2026");
    expect(run.intent).toMatchObject({ language: "en", task_type: "research_report" });
    expect(
      run.outline.sections.every((section) =>
        /^(Background|State of the art|Methods|Open problems|Applications|Outlook)(: .+)?$/.test(section.name),
      ),
    ).toBe(true);
    const seen = new Set<string>();
    for (const section of run.sections) {
      const evidence = new Map((run.evidence.get(section.id) ?? []).map((source) => [source.id, source]));
      expectEveryCitationVerbatim(section.content, evidence);
      for (const pair of parseCitedSentences(section.content)) {
        expect(seen.has(pair.text), `repeated: ${pair.text}`).toBe(false);
        seen.add(pair.text);
        const source = evidence.get(pair.sourceId);
        expect(`${source?.title} ${source?.content}`).toMatch(/solid-state/i);
      }
    }
    expectEveryCitationVerbatim(run.summary, run.sources);
  });

  it("says there is no evidence, and cites nothing, when no document is about the task", async () => {
    for (const [task, expected] of [
      ["quantum computing breakthroughs in 2026", "No evidence"],
      ["量子计算的最新突破", "未找到"],
    ] as const) {
      const run = await runExtractive(task);
      // Structure searches ("… cost problem") do find unrelated documents; none of them may be quoted.
      expect([...run.evidence.values()].some((list) => list.length > 0)).toBe(true);
      for (const section of run.sections) {
        expect(section.content, section.name).toContain(expected);
        expect(section.content).not.toMatch(/\[\d+\]/);
      }
      expect(run.summary).not.toMatch(/\[\d+\]/);
      expect(run.summary).toMatch(/no evidence on this topic|未找到与该主题相关的证据/i);
      // Section names come from the structure alone, not from the unrelated documents' words.
      expect(run.outline.sections.every((section) => !/[:：]/.test(section.name))).toBe(true);
      const quality = await createExtractiveAuthor().assessQuality({
        params: taskParamsSchema.parse({ task }),
        signal: new AbortController().signal,
        now: NOW,
        onUsage: () => undefined,
        intent: run.intent,
        outline: run.outline,
        evidence: run.evidence,
        iteration: 1,
      });
      expect(quality.scores.completeness).toBe(0);
      expect(quality.scores.overall).toBeLessThan(3);
    }
  });

  it("does not repeat a sentence across sections when the evidence is thin", async () => {
    for (const task of ["固态电池行业分析", "solid-state battery industry"]) {
      const run = await runExtractive(task);
      const seen = new Set<string>();
      for (const section of run.sections) {
        const evidence = new Map((run.evidence.get(section.id) ?? []).map((source) => [source.id, source]));
        for (const pair of parseCitedSentences(section.content)) {
          expect(normalizeWhitespace(evidence.get(pair.sourceId)?.content ?? "")).toContain(pair.text);
          expect(seen.has(pair.text), `repeated in "${section.name}": ${pair.text}`).toBe(false);
          seen.add(pair.text);
        }
      }
    }
  });

  it("scores quality on what the sections would quote, and asks for more where a section is thin", async () => {
    const author = createExtractiveAuthor();
    const context: AuthorContext = {
      params: taskParamsSchema.parse({ task: "State of solid-state batteries in 2026" }),
      signal: new AbortController().signal,
      now: NOW,
      onUsage: () => {
        throw new Error("the extractive author must not report model usage");
      },
    };
    const intent = await author.analyzeIntent(context);
    const found = new Map<string, NumberedSource>();
    for (const query of [
      "solid-state batteries cost obstacle",
      "solid-state batteries electrolyte",
      "solid-state battery outlook expect",
      "solid-state recycling",
    ]) {
      for (const hit of await corpus.search({ query, days: intent.days, signal: context.signal, maxResults: 6 })) {
        if (!found.has(hit.url))
          found.set(hit.url, {
            id: found.size + 1,
            title: hit.title,
            url: hit.url,
            content: hit.content,
            published_at: hit.published_at ?? null,
            provider: "corpus",
          });
      }
    }
    const sources = [...found.values()];
    const outline: Outline = {
      title: "t",
      sections: [
        { id: 0, name: "Background", goal: "g", queries: ["solid-state batteries electrolyte"] },
        { id: 1, name: "Open problems: cost", goal: "g", queries: ["solid-state batteries cost"] },
        { id: 2, name: "Outlook", goal: "g", queries: ["solid-state outlook"] },
      ],
    };
    const full = await author.assessQuality({
      ...context,
      intent,
      outline,
      evidence: new Map([
        [0, sources],
        [1, sources],
        [2, sources],
      ]),
      iteration: 1,
    });
    const thin = await author.assessQuality({
      ...context,
      intent,
      outline,
      evidence: new Map([
        [0, sources],
        [1, sources.slice(0, 1)],
        [2, []],
      ]),
      iteration: 1,
    });
    for (const assessment of [full, thin]) {
      const { overall, ...parts } = assessment.scores;
      for (const value of Object.values(parts)) expect(value).toBeGreaterThanOrEqual(0);
      for (const value of Object.values(parts)) expect(value).toBeLessThanOrEqual(10);
      const mean = Object.values(parts).reduce((sum, value) => sum + value, 0) / 5;
      expect(Math.abs(overall - mean)).toBeLessThanOrEqual(0.06);
    }
    expect(thin.scores.completeness).toBeLessThan(full.scores.completeness);
    expect(thin.scores.depth).toBeLessThan(full.scores.depth);
    expect(thin.scores.overall).toBeLessThan(full.scores.overall);
    expect(thin.gaps.some((gap) => gap.includes('"Outlook" has no quotable evidence'))).toBe(true);
    const bySection = new Set(thin.supplementary_queries.map((item) => item.section_id));
    expect(bySection.has(2)).toBe(true);
    const next = await author.assessQuality({
      ...context,
      intent,
      outline,
      evidence: new Map([
        [0, sources],
        [1, sources.slice(0, 1)],
        [2, []],
      ]),
      iteration: 2,
    });
    expect(next.supplementary_queries.map((item) => item.query)).not.toEqual(
      thin.supplementary_queries.map((item) => item.query),
    );
  });

  it("says so, in the report language and without citations, when a section has no evidence", async () => {
    const author = createExtractiveAuthor();
    for (const [task, expected] of [
      ["固态电池研究进展", "未找到"],
      ["Solid-state battery progress", "No evidence"],
    ] as const) {
      const context: AuthorContext = {
        params: taskParamsSchema.parse({ task }),
        signal: new AbortController().signal,
        now: NOW,
        onUsage: () => undefined,
      };
      const intent = await author.analyzeIntent(context);
      const outline: Outline = { title: "t", sections: [{ id: 0, name: "x", goal: "g", queries: ["q"] }] };
      const body = await author.writeSection({
        ...context,
        intent,
        outline,
        section: outline.sections[0]!,
        evidence: [],
      });
      expect(body).toContain(expected);
      expect(body).not.toMatch(/\[\d+\]/);
    }
  });

  it("builds an outline from the task type's structure even when the search finds nothing", async () => {
    const author = createExtractiveAuthor();
    const context: AuthorContext = {
      params: taskParamsSchema.parse({ task: "储能市场竞争格局分析" }),
      signal: new AbortController().signal,
      now: NOW,
      onUsage: () => undefined,
    };
    const intent = await author.analyzeIntent(context);
    const outline = await author.planOutline({ ...context, intent, search: async () => [] });
    // The aspect the task names comes first, then the type's usual facets; no evidence, so no headlines.
    expect(outline.sections.map((section) => section.name)).toEqual(["竞争格局", "市场规模", "技术路线"]);
    expect(outline.sections.every((section) => section.queries.some((query) => query.includes("储能")))).toBe(true);
  });
});

describe("extractive section writing on web-like evidence", () => {
  it("quotes whole sentences only, skips fragments and links, and does not repeat near-duplicates", async () => {
    const author = createExtractiveAuthor();
    const context: AuthorContext = {
      params: taskParamsSchema.parse({ task: "Solid-state battery costs" }),
      signal: new AbortController().signal,
      now: NOW,
      onUsage: () => undefined,
    };
    const intent = await author.analyzeIntent(context);
    const sources: NumberedSource[] = [
      {
        id: 4,
        title: "Costs",
        url: "https://example.com/a",
        content:
          "## Battery costs\n\n... and the cost of solid-state cells fell.\nSolid-state battery costs fell by a fifth in 2026, according to the survey.  The    sulfide electrolyte is the most expensive part of a solid-state battery. See [the data](https://example.com/data) for solid-state battery costs.",
        published_at: "2026-11-01",
        provider: "tavily",
      },
      {
        id: 9,
        title: "Costs again",
        url: "https://example.org/b",
        content:
          "Solid-state battery costs fell by a fifth in 2026, according to the survey. Factories for solid-state batteries need dry rooms, which raises costs. solid-state battery costs rose in a lowercase fragment.",
        published_at: null,
        provider: "brave",
      },
    ];
    const outline: Outline = {
      title: "t",
      sections: [{ id: 0, name: "Costs", goal: "g", queries: ["solid-state battery costs"] }],
    };
    const body = await author.writeSection({
      ...context,
      intent,
      outline,
      section: outline.sections[0]!,
      evidence: sources,
    });
    const pairs = parseCitedSentences(body);
    expect(pairs.map((pair) => pair.text)).toEqual(
      expect.arrayContaining([
        "Solid-state battery costs fell by a fifth in 2026, according to the survey.",
        "The sulfide electrolyte is the most expensive part of a solid-state battery.",
        "Factories for solid-state batteries need dry rooms, which raises costs.",
      ]),
    );
    expect(pairs).toHaveLength(3);
    expect(body).not.toMatch(/\.\.\.|See the data|lowercase fragment|##/);
    expectEveryCitationVerbatim(body, new Map(sources.map((source) => [source.id, source])));
  });
});
