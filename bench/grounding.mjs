#!/usr/bin/env node
// Grounding over the fixture news site (test/fixtures/news-site), through the real clients and the
// real page fetcher on loopback. Prints figures; no pass/fail.
//
//   npm run bench:grounding        (builds first)
//
// - clutter: share of the characters extracted from every fixture page that are not its headline or
//   gold paragraphs (the manifest's);
// - supported citations: every cited sentence of the final report judged against the manifest's page
//   for the source it cites — its figures and most of its words in the page's own paragraphs, none of
//   the page's clutter — independently of report-mcp's verifier; also what the writer cited before the
//   check, judged the same way;
// - duplicate sources: cited sources that are copies (syndicated / near-duplicate) of another cited one;
// - stale-only facts: a superseded figure cited without the newer one;
// - verification cost: the citation judge's tokens over all tokens of the run (0 with the extractive engine).
// The fake model is test/fakes/research-responder.ts with the wrong-citing, paraphrasing writer.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { createPageFetcher, createRuntime, settingsSchema, taskParamsSchema } from "../dist/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cache = path.join(root, "node_modules", ".cache", "report-mcp-bench");
const bundle = path.join(cache, "grounding-fakes.mjs");
await build({
  entryPoints: [path.join(root, "bench", "grounding-fakes.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: bundle,
  logLevel: "error",
});
const fakes = await import(bundle);
const fixtureRoot = path.join(root, "test", "fixtures", "news-site");

const NOW = new Date("2026-12-01T09:00:00Z");
const percent = (value) => `${(100 * value).toFixed(1)} %`;
const site = await fakes.startNewsSite({ root: fixtureRoot });

/* ---------- clutter ---------- */
const fetcher = createPageFetcher({ allowPrivate: true });
let extracted = 0;
let clutter = 0;
let goldMissing = 0;
for (const page of fakes.NEWS_PAGES) {
  const fetched = await fetcher.fetchPage(site.pageUrl(page), { signal: new AbortController().signal });
  const score = fakes.scoreExtraction(page, fetched.text);
  extracted += score.extractedChars;
  clutter += score.clutterChars;
  goldMissing += score.missing.length;
}

/* ---------- report runs ---------- */
const RUNS = [
  {
    label: "LLM, English",
    engine: "llm",
    task: "State of solid-state batteries in 2026",
    outline: fakes.NEWS_OUTLINES.en,
  },
  {
    label: "LLM, Chinese",
    engine: "llm",
    task: "生成AI智能体领域最近一个月的行业重大事件报告",
    outline: fakes.NEWS_OUTLINES.zh,
  },
  { label: "extractive, English", engine: "extractive", task: "State of solid-state batteries in 2026" },
  { label: "extractive, Chinese", engine: "extractive", task: "生成AI智能体领域最近一个月的行业重大事件报告" },
];

async function runOnce(spec) {
  const tokens = { total: 0, judge: 0 };
  const written = [];
  const responder = fakes.createResearchResponder({
    writer: { ...fakes.WRONG_CITING_WRITER, paraphrase: true },
    override: spec.outline ? { outline: () => ({ content: JSON.stringify(spec.outline) }) } : {},
  });
  const openai = await fakes.startFakeOpenAI({
    responder: async (request, index) => {
      const reply = await responder(request, index);
      const prompt = (request.body?.messages ?? []).reduce(
        (sum, message) => sum + String(message.content ?? "").length,
        0,
      );
      const usage = {
        prompt_tokens: Math.ceil(prompt / 4),
        completion_tokens: Math.ceil((reply.content ?? "").length / 4),
      };
      const step = fakes.stepOf(request);
      tokens.total += usage.prompt_tokens + usage.completion_tokens;
      if (step === "judge") tokens.judge += usage.prompt_tokens + usage.completion_tokens;
      if (step === "section")
        written.push({ prompt: String(request.body.messages.at(-1)?.content ?? ""), reply: reply.content ?? "" });
      return { ...reply, usage };
    },
  });
  const tavily = await fakes.startFakeSearch({ provider: "tavily", responder: fakes.newsSearchResponder({ site }) });
  const home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-bench-grounding-"));
  const settings = settingsSchema.parse({
    ...(spec.engine === "llm" ? { provider: "custom", model: "fake-model", apiKey: "bench", baseUrl: openai.url } : {}),
    tavilyApiKey: "bench",
    tavilyBaseUrl: tavily.url,
    home,
    allowPrivateFetch: true,
  });
  try {
    const runtime = createRuntime(settings, { now: () => NOW });
    const result = await runtime.runReport(taskParamsSchema.parse({ task: spec.task, max_iterations: 1 }), {
      onEvent: () => {},
    });
    return { result, tokens, written };
  } finally {
    await Promise.all([openai.close(), tavily.close()]);
    await rm(home, { recursive: true, force: true });
  }
}

/** Pages the writer was given (by the URLs in its prompts). */
function offeredPages(written) {
  const urls = new Set(
    written.flatMap(({ prompt }) => [...prompt.matchAll(/^\[\d+\] .*; (\S+)\)$/gm)].map((match) => match[1])),
  );
  return fakes.NEWS_PAGES.filter((page) => urls.has(site.pageUrl(page)));
}

/** What the writer cited before the check, judged the same way (ids mapped through its prompt's source list). */
function judgeWritten(written) {
  const sentences = [];
  for (const { prompt, reply } of written) {
    const sources = [...prompt.matchAll(/^\[(\d+)\] .*; (\S+)\)$/gm)].map((match) => ({
      id: Number(match[1]),
      url: match[2],
    }));
    sentences.push(...fakes.judgeCitedSentences({ markdown: reply, sources, port: site.port }));
  }
  return sentences;
}

const rows = [];
for (const spec of RUNS) {
  const { result, tokens, written } = await runOnce(spec);
  const judged = fakes.judgeCitedSentences({
    markdown: result.report_content,
    sources: result.sources,
    port: site.port,
  });
  const before = judgeWritten(written);
  const pages = judged.flatMap((sentence) => sentence.pages).filter(Boolean);
  const citedPages = result.sources
    .map((source) => fakes.NEWS_PAGES.find((page) => site.pageUrl(page) === source.url))
    .filter(Boolean);
  rows.push({
    label: spec.label,
    sentences: judged.length,
    supported: judged.filter((sentence) => sentence.supported).length,
    before: before.length > 0 ? before.filter((sentence) => sentence.supported).length / before.length : null,
    duplicates: fakes.duplicateSources(citedPages),
    offeredCopies: fakes.duplicateSources(offeredPages(written)),
    writerCopies: fakes.duplicateSources([...new Set(before.flatMap((sentence) => sentence.pages).filter(Boolean))]),
    stale: fakes.staleOnlyFacts({ markdown: result.report_content, cited: [...new Set(pages)] }),
    grounding: result.quality.grounding,
    tokens,
    unsupported: judged.filter((sentence) => !sentence.supported).map((sentence) => sentence.text),
  });
}
await site.close();

console.log(`fixture pages                   ${fakes.NEWS_PAGES.length}`);
console.log(
  `clutter in extracted text       ${percent(extracted === 0 ? 0 : clutter / extracted)}  (${clutter} of ${extracted} characters; target ≤ 2 %; ${goldMissing} gold paragraphs missed)`,
);
for (const row of rows) {
  const share = row.sentences === 0 ? 0 : row.supported / row.sentences;
  const judgeShare = row.tokens.total === 0 ? 0 : row.tokens.judge / row.tokens.total;
  const added =
    row.tokens.total - row.tokens.judge === 0 ? 0 : row.tokens.judge / (row.tokens.total - row.tokens.judge);
  console.log(`\n${row.label}`);
  console.log(
    `  supported citations           ${percent(share)}  (${row.supported} of ${row.sentences} cited sentences; target ≥ 95 %)`,
  );
  if (row.before !== null) console.log(`  … as the writer cited them    ${percent(row.before)}  (before the check)`);
  console.log(
    `  check: cited/supported/repaired/dropped/judged  ${row.grounding ? [row.grounding.cited_sentences, row.grounding.supported, row.grounding.repaired, row.grounding.dropped, row.grounding.judged].join(" / ") : "—"}`,
  );
  console.log(
    `  duplicate sources cited       ${row.duplicates}  (target 0; copies among the pages the writer was given: ${row.offeredCopies}, among those it cited: ${row.writerCopies})`,
  );
  console.log(
    `  stale-only facts              ${row.stale.length}${row.stale.length ? `  (${row.stale.join("; ")})` : ""}`,
  );
  console.log(
    `  verification tokens           ${row.tokens.judge} of ${row.tokens.total} (${percent(judgeShare)} of the run, +${percent(added)} over it without; target ≤ 15 %)`,
  );
  for (const text of row.unsupported.slice(0, 3)) console.log(`  unsupported: ${text.slice(0, 140)}`);
}
