#!/usr/bin/env node
// Article extraction over the fixture news site (test/fixtures/news-site): how much of the
// extracted text is page chrome, how much of the article survives, how long it takes, and how
// that compares with the 0.1.0 extractor and with "raw content" a search API could send instead.
// Prints figures; no pass/fail. Needs no network (everything on 127.0.0.1).
//
//   node bench/extraction.mjs [rounds=15]
//
// Clutter share = non-space characters of extracted text that are not the headline or a gold
// paragraph of the manifest, over all extracted non-space characters (target ≤ 2 %).
// Recall = share of the gold paragraphs' characters found verbatim in the extracted text.
// Times are CPU milliseconds of this process (process.cpuUsage), medians over the rounds, after a
// warm-up pass: wall time on a shared machine measures the neighbours.
import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Readability } from "@mozilla/readability";
import { tavily } from "@tavily/core";
import { parseHTML } from "linkedom";
import TurndownService from "turndown";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, "..");
const ROUNDS = Number(process.argv[2] ?? 15);

/** Bundles the TypeScript fixtures, fakes and extractor with esbuild (installed with tsup). */
async function loadSubjects() {
  const { build } = await import("esbuild");
  // Inside node_modules/.cache so that the bundle's bare imports (linkedom, undici…) resolve.
  const outfile = path.join(repo, "node_modules/.cache/report-mcp-bench", `extraction-${process.pid}.mjs`);
  await build({
    stdin: {
      contents: [
        'export { NEWS_PAGES, newsCanonicalUrl } from "./test/fixtures/news-site/manifest.ts";',
        'export { HOLDOUT_PAGES } from "./test/fixtures/news-site/holdout/manifest.ts";',
        'export { startNewsSite, newsSearchResponder, readNewsPageHtml } from "./test/fakes/news-site.ts";',
        'export { startFakeSearch } from "./test/fakes/search-servers.ts";',
        'export { scoreExtraction } from "./test/fixtures/news-site/score.ts";',
        'export { createPageFetcher, extractMainText } from "./src/providers/fetch/index.ts";',
      ].join("\n"),
      resolveDir: repo,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    logLevel: "error",
  });
  const subjects = await import(pathToFileURL(outfile).href);
  await fs.rm(outfile, { force: true });
  return subjects;
}

const S = await loadSubjects();
const ROOT = path.join(repo, "test/fixtures/news-site/");
const pages = [...S.NEWS_PAGES, ...S.HOLDOUT_PAGES];
const html = new Map(pages.map((page) => [page.id, S.readNewsPageHtml(page, ROOT)]));
const site = await S.startNewsSite({ root: ROOT, extraPages: S.HOLDOUT_PAGES });

const median = (values) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const percent = (value) => `${(value * 100).toFixed(1)} %`;
const pad = (value, width) => String(value).padEnd(width);
const padStart = (value, width) => String(value).padStart(width);

/* ---------- extractors compared ---------- */

const turndown = () => {
  const service = new TurndownService({ headingStyle: "atx", bulletListMarker: "-" });
  service.remove(["img", "picture", "video", "audio", "svg", "script", "style", "noscript", "iframe", "canvas"]);
  return service;
};

/** The whole page's visible text: what a raw dump of a page gives (an upper bound for "raw content"). */
function wholePageText(source) {
  const { document } = parseHTML(source);
  for (const element of Array.from(document.querySelectorAll("script, style, noscript, template"))) element.remove();
  return (document.body?.textContent ?? "")
    .replace(/[ \t]+/g, " ")
    .replace(/\n\s*\n+/g, "\n\n")
    .trim();
}

/** The 0.1.0 extractor: Readability with its default 500-character threshold, an 80-character check, then a tag strip. */
function readabilityDefault(source) {
  const { document } = parseHTML(source);
  let markdown = "";
  try {
    const article = new Readability(document, { serializer: (node) => node }).parse();
    if (article?.content && (article.textContent ?? "").trim().length >= 80)
      markdown = turndown().turndown(article.content);
  } catch {
    markdown = "";
  }
  if (markdown.trim() === "") {
    const fallback = parseHTML(source).document;
    for (const element of Array.from(
      fallback.querySelectorAll(
        "script, style, noscript, template, iframe, svg, canvas, form, nav, header, footer, aside",
      ),
    ))
      element.remove();
    markdown = fallback.body ? turndown().turndown(fallback.body) : "";
  }
  return markdown.replace(/\n{3,}/g, "\n\n").trim();
}

const ours = (source, page) =>
  S.extractMainText({ body: source, contentType: "text/html", url: site.pageUrl(page), maxChars: 1_000_000 }).text;

const EXTRACTORS = [
  ["report-mcp (this version)", ours],
  ["0.1.0: Readability default", readabilityDefault],
  ["whole page text", wholePageText],
];

/** CPU milliseconds used by this process since `since` (a process.cpuUsage() reading). */
const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

function timeIt(run, rounds = ROUNDS) {
  const times = [];
  let result = run();
  for (let round = 0; round < rounds; round += 1) {
    const started = process.cpuUsage();
    result = run();
    times.push(cpuMs(started));
  }
  return { result, ms: median(times) };
}

/* ---------- 1. per page ---------- */

console.log(
  `Article extraction over the fixture news site (${S.NEWS_PAGES.length} pages) and held-out templates (${S.HOLDOUT_PAGES.length}); median of ${ROUNDS} runs\n`,
);
console.log(
  `${pad("page", 5)}${pad("host", 31)}${pad("lang", 8)}${padStart("chars", 7)}${padStart("clutter", 10)}${padStart("recall", 9)}${padStart("ms CPU", 8)}  leaked markers`,
);
const totals = { fixture: { extracted: 0, clutter: 0 }, holdout: { extracted: 0, clutter: 0 } };
const ourMs = [];
for (const page of pages) {
  const { result: text, ms } = timeIt(() => ours(html.get(page.id), page));
  const score = S.scoreExtraction(page, text);
  const bucket = page.id.startsWith("H") ? totals.holdout : totals.fixture;
  bucket.extracted += score.extractedChars;
  bucket.clutter += score.clutterChars;
  ourMs.push(ms);
  console.log(
    `${pad(page.id, 5)}${pad(page.host, 31)}${pad(page.language, 8)}${padStart(score.extractedChars, 7)}${padStart(percent(score.clutterShare), 10)}${padStart(percent(score.recall), 9)}${padStart(ms.toFixed(1), 8)}  ${score.leaked.join(" | ")}`,
  );
}
console.log(
  `\nclutter share, fixture site: ${percent(totals.fixture.clutter / totals.fixture.extracted)} (target ≤ 2 %)`,
);
console.log(`clutter share, held-out templates: ${percent(totals.holdout.clutter / totals.holdout.extracted)}`);
console.log(
  `extraction time: median ${median(ourMs).toFixed(1)} ms CPU per page, slowest ${Math.max(...ourMs).toFixed(1)} ms`,
);

/* ---------- 2. through the real fetcher ---------- */

const fetcher = S.createPageFetcher({ allowPrivate: true });
const fetchTimes = [];
const wallTimes = [];
const metadataHits = {
  title: 0,
  canonical_url: 0,
  published_at: 0,
  modified_at: 0,
  author: 0,
  site_name: 0,
  language: 0,
};
for (let round = 0; round < Math.max(3, Math.floor(ROUNDS / 3)); round += 1) {
  for (const page of pages) {
    const started = process.cpuUsage();
    const wall = performance.now();
    const fetched = await fetcher.fetchPage(site.pageUrl(page), { signal: new AbortController().signal });
    fetchTimes.push(cpuMs(started));
    wallTimes.push(performance.now() - wall);
    if (round > 0) continue;
    const expected = {
      title: page.title,
      canonical_url: page.canonical ? site.pageUrl(page.canonical) : null,
      published_at: page.published_at,
      modified_at: page.modified_at,
      author: page.author,
      site_name: page.site_name,
      language: page.language,
    };
    for (const key of Object.keys(metadataHits)) if (fetched[key] === expected[key]) metadataHits[key] += 1;
  }
}
console.log(
  `fetch + extract on loopback (SSRF guard, undici, decode; server in this process): median ${median(fetchTimes).toFixed(1)} ms CPU, ${median(wallTimes).toFixed(1)} ms wall per page`,
);
console.log(
  `metadata read as the manifest states it (${pages.length} pages): ${Object.entries(metadataHits)
    .map(([key, hits]) => `${key} ${hits}/${pages.length}`)
    .join(", ")}`,
);

/* ---------- 3. compared with other sources of page text ---------- */

console.log(
  "\nThe same pages through other extractors (what a search API's raw content or the 0.1.0 extractor gives):",
);
console.log(
  `${pad("extractor", 30)}${padStart("clutter", 10)}${padStart("recall", 9)}${padStart("pages with chrome", 19)}${padStart("ms CPU/page", 13)}`,
);
const rawContentOf = new Map();
for (const [name, extract] of EXTRACTORS) {
  let extracted = 0;
  let clutter = 0;
  let goldFound = 0;
  let gold = 0;
  let dirty = 0;
  const times = [];
  for (const page of S.NEWS_PAGES) {
    const { result: text, ms } = timeIt(() => extract(html.get(page.id), page));
    if (name.startsWith("0.1.0")) rawContentOf.set(page.id, text);
    const score = S.scoreExtraction(page, text);
    const pageGold = page.paragraphs.join("").replace(/\s+/g, "").length;
    extracted += score.extractedChars;
    clutter += score.clutterChars;
    gold += pageGold;
    goldFound += score.recall * pageGold;
    if (score.leaked.length > 0) dirty += 1;
    times.push(ms);
  }
  console.log(
    `${pad(name, 30)}${padStart(percent(clutter / extracted), 10)}${padStart(percent(goldFound / gold), 9)}${padStart(`${dirty}/${S.NEWS_PAGES.length}`, 19)}${padStart(median(times).toFixed(1), 10)}`,
  );
}

/* ---------- 4. Tavily include_raw_content on the wire ---------- */

const queries = [
  "Veltrix solid-state pilot line",
  "solid-state cell cost kWh",
  "battery passport regulation",
  "lithium sulfide supply",
  "启元智能 融资",
  "智能体市场规模",
];
const tavilyServer = await S.startFakeSearch({
  provider: "tavily",
  responder: S.newsSearchResponder({ site, maxResults: 5, rawContent: (page) => rawContentOf.get(page.id) ?? "" }),
});
async function wireBytes(includeRawContent) {
  let bytes = 0;
  let results = 0;
  for (const query of queries) {
    const response = await fetch(`${tavilyServer.url}/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, max_results: 5, include_raw_content: includeRawContent }),
    });
    const body = await response.text();
    bytes += Buffer.byteLength(body);
    results += JSON.parse(body).results.length;
  }
  return { bytes, results };
}
/** CPU ms per search through @tavily/core (request, JSON parse, mapping), the two settings alternated after a warm-up. */
async function clientMs() {
  const client = tavily({ apiKey: "tvly-bench", apiBaseURL: tavilyServer.url });
  const times = { false: [], markdown: [] };
  for (let round = -1; round < 10; round += 1) {
    for (const setting of [false, "markdown"]) {
      const started = process.cpuUsage();
      for (const query of queries) await client.search(query, { maxResults: 5, includeRawContent: setting });
      if (round >= 0) times[String(setting)].push(cpuMs(started) / queries.length);
    }
  }
  return { plainMs: median(times.false), rawMs: median(times.markdown) };
}
const plain = await wireBytes(false);
const raw = await wireBytes("markdown");
const { plainMs, rawMs } = await clientMs();
console.log(
  "\nTavily search on loopback, 6 queries × 5 results (raw_content stood in by the 0.1.0 extractor's Markdown of each page):",
);
console.log(
  `  without raw content: ${(plain.bytes / plain.results / 1024).toFixed(2)} KB per result, ${plainMs.toFixed(2)} ms CPU per search (@tavily/core + fake server)`,
);
console.log(
  `  with raw content:    ${(raw.bytes / raw.results / 1024).toFixed(2)} KB per result (${(raw.bytes / plain.bytes).toFixed(1)}×), ${rawMs.toFixed(2)} ms CPU per search`,
);
console.log(
  "  raw content carries no canonical URL, dates, author, site name or language: de-duplication and recency need the page itself.",
);
await tavilyServer.close();

/* ---------- 5. scaling: linear in page size ---------- */

console.log("\nScaling (E1's chrome around k copies of its body, and around k reader comments):");
const e1 = S.NEWS_PAGES.find((page) => page.id === "E1");
const e1Html = html.get("E1");
const bodyStart = e1Html.indexOf('<div class="entry-content">');
const bodyEnd = e1Html.indexOf("</div>", e1Html.indexOf("Analysts at")) + "</div>".length;
const commentStart = e1Html.indexOf('<li id="comment-1201"');
const commentEnd = e1Html.indexOf("</li>", commentStart) + "</li>".length;
for (const [label, start, end] of [
  ["body", bodyStart, bodyEnd],
  ["comments", commentStart, commentEnd],
]) {
  const rows = [];
  for (const copies of [4, 16, 64]) {
    const grown = e1Html.slice(0, start) + e1Html.slice(start, end).repeat(copies) + e1Html.slice(end);
    const { ms } = timeIt(() => ours(grown, e1));
    rows.push({ copies, kb: grown.length / 1024, ms });
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  const growth = last.ms / last.kb / (first.ms / first.kb);
  console.log(
    `  ${pad(label, 9)} ${rows.map((row) => `×${row.copies}: ${row.kb.toFixed(0)} KB ${row.ms.toFixed(1)} ms`).join(" · ")}  → ms per KB ×${growth.toFixed(2)} from smallest to largest`,
  );
}

/* ---------- 6. adversarial inputs ---------- */

console.log(
  "\nAdversarial text in one paragraph (CPU time at 512k and 2M characters, 2 MB being the fetcher's cap;\na ratio near 4 is linear, near 16 quadratic. Below ~0.5 MB Readability and Turndown run a faster path, so smaller sizes mislead):",
);
const cases = {
  "digit run": (n) => `${"1".repeat(n)}x`,
  "By + capitals": (n) => `By ${"A".repeat(n)}`,
  dashes: (n) => `${"—".repeat(n)}完x`,
  "repeated dates": (n) => `${"2026-11-29 ".repeat(n / 11)}来源`,
  "social names": (n) => `Share ${"facebook ".repeat(n / 9)}`,
  "share href": (n) => `</p><div><a href="https://${"qzone.a/".repeat(n / 8)}x">link</a></div><p>`,
  "nested divs": (n) => `</p>${"<div>".repeat(n / 100)}<p>deep</p>${"</div>".repeat(n / 100)}<p>`,
};
for (const [label, make] of Object.entries(cases)) {
  const at = (n) =>
    timeIt(
      () =>
        ours(`<html><body><article><h1>T</h1><p>${e1.paragraphs[0]}</p><p>${make(n)}</p></article></body></html>`, e1),
      5,
    ).ms;
  const small = at(512_000);
  const large = at(2_048_000);
  console.log(
    `  ${pad(label, 16)} 512k: ${small.toFixed(1)} ms · 2M: ${large.toFixed(1)} ms · ratio ${(large / Math.max(small, 0.01)).toFixed(1)}`,
  );
}

await site.close();
