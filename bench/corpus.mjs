#!/usr/bin/env node
/**
 * Local corpus benchmark: generates a 5,000-document mixed English/Chinese corpus in a temp
 * folder and prints
 *   - index build time (cold, empty data dir),
 *   - median / p95 query latency over 300 queries,
 *   - re-index time when nothing changed (a fresh process-like instance: manifest + stat only),
 *   - and the in-process refresh time of a warm provider.
 * Targets (issue 4): build ≤ 3 s, median query ≤ 2 ms, unchanged re-index ≤ 0.5 s.
 *
 * Run: `node bench/corpus.mjs [documents]`. It imports the corpus API from dist/index.js when
 * the build exports it (`npx tsup` first), otherwise it bundles src/providers/corpus/index.ts
 * on the fly with esbuild (installed with tsup). Needs no network.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const DOCUMENTS = Number(process.argv[2] ?? 5000);

async function loadCorpusApi() {
  try {
    const dist = await import(pathToFileURL(path.join(here, "../dist/index.js")).href);
    if (typeof dist.buildCorpusIndex === "function" && typeof dist.createCorpusSearch === "function")
      return { api: dist, from: "dist/index.js" };
  } catch {
    // not built, or not exported yet: bundle the source instead
  }
  const { build } = await import("esbuild");
  // Inside node_modules/.cache so that the bundle's bare imports (minisearch, unpdf…) resolve.
  const outfile = path.join(here, "../node_modules/.cache/report-mcp-bench", `corpus-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(here, "../src/providers/corpus/index.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    logLevel: "error",
  });
  const api = await import(pathToFileURL(outfile).href);
  await fs.rm(outfile, { force: true });
  return { api, from: "src/providers/corpus (bundled with esbuild)" };
}

/* Deterministic pseudo-random text with a Zipf-distributed vocabulary, like real prose. */
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (list) => list[Math.floor(random() * list.length)];
const TOPIC = (
  "agent battery solid state electrolyte market pricing runtime checkpoint funding regulation safety audit browser cell anode cathode " +
  "lithium sulfide oxide polymer density cycle pilot line capacity customer deployment platform orchestration memory evaluation benchmark " +
  "recycling supply foil dendrite pressure standard handoff budget latency vendor startup policy forecast shipment"
).split(" ");
const FILLER = "the a of and in to for with on that is was by from as at".split(" ");
const SYLLABLES = "ka ro mi tel sun dor pra vel quin zo lu ther ash mon bri cal den fos gra hil".split(" ");
const HAN =
  "智能体固态电池电解质市场融资安全监管平台部署企业成本产能中试线能量密度循环寿命负极正极硫化物氧化政策标准评测运维客户产品技术趋势数据模型算法芯片材料工艺设备供应链价格需求增长投资研发专利合作竞争用户服务".split(
    "",
  );
const EN_WORDS = [
  ...TOPIC,
  ...Array.from(
    { length: 4000 },
    (_, index) =>
      SYLLABLES[index % 20] +
      SYLLABLES[Math.floor(index / 20) % 20] +
      (index >= 400 ? SYLLABLES[Math.floor(index / 400) % 20] : ""),
  ),
];
const ZH_WORDS = Array.from(
  { length: 3000 },
  (_, index) =>
    HAN[index % HAN.length] +
    HAN[Math.floor(index / HAN.length) % HAN.length] +
    (index % 3 === 0 ? HAN[(index * 7) % HAN.length] : ""),
);
/** Zipf pick: rank r with probability ∝ 1/r. */
function zipf(list) {
  const harmonic = Math.log(list.length) + 0.5772;
  const rank = Math.min(list.length, Math.floor(Math.exp(random() * harmonic)));
  return list[rank - 1] ?? list[0];
}
/** A query term: from the middle of the distribution, as people search for content words. */
const queryTerm = (list) => list[10 + Math.floor(random() * Math.min(list.length - 10, 600))];

function englishSentence() {
  const words = Array.from({ length: 10 + Math.floor(random() * 8) }, () =>
    random() < 0.4 ? pick(FILLER) : zipf(EN_WORDS),
  );
  const text = words.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
function chineseSentence() {
  return `${Array.from({ length: 6 + Math.floor(random() * 6) }, () => zipf(ZH_WORDS)).join("")}。`;
}

async function generate(folder) {
  const writes = [];
  for (let index = 0; index < DOCUMENTS; index += 1) {
    const chinese = index % 3 === 0;
    const month = String(1 + (index % 11)).padStart(2, "0");
    const day = String(1 + (index % 28)).padStart(2, "0");
    const paragraphs = Array.from({ length: 3 }, () =>
      Array.from({ length: 3 }, () => (chinese ? chineseSentence() : englishSentence())).join(chinese ? "" : " "),
    );
    const body = `---\ntitle: ${chinese ? "文档" : "Document"} ${index}\ndate: 2026-${month}-${day}\n---\n\n${paragraphs.join("\n\n")}\n`;
    const file = path.join(folder, `group-${index % 50}`, `doc-${index}.md`);
    writes.push({ file, body });
  }
  for (let group = 0; group < 50; group += 1) await fs.mkdir(path.join(folder, `group-${group}`), { recursive: true });
  for (let start = 0; start < writes.length; start += 200) {
    await Promise.all(writes.slice(start, start + 200).map(({ file, body }) => fs.writeFile(file, body)));
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const ms = (value) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;

const root = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-bench-"));
try {
  const { api, from } = await loadCorpusApi();
  const folder = path.join(root, "corpus");
  const home = path.join(root, "home");
  await generate(folder);
  console.log(`corpus API from ${from}; ${DOCUMENTS} generated documents in ${folder}`);

  let started = performance.now();
  const built = await api.buildCorpusIndex({ folder, home });
  const buildMs = performance.now() - started;
  console.log(
    `index build (cold):        ${ms(buildMs)}  (${built.files} files, ${built.chunks} chunks; target ≤ 3000 ms)`,
  );

  const search = api.createCorpusSearch({ folders: [folder], home, now: () => new Date("2026-11-25T12:00:00Z") });
  const signal = new AbortController().signal;
  started = performance.now();
  await search.search({ query: "warm up", signal });
  console.log(`first search (load index): ${ms(performance.now() - started)}`);
  const timings = [];
  for (let index = 0; index < 300; index += 1) {
    const query =
      index % 3 === 0
        ? `${queryTerm(ZH_WORDS)}${queryTerm(ZH_WORDS)}`
        : `${queryTerm(EN_WORDS)} ${queryTerm(EN_WORDS)} ${queryTerm(EN_WORDS)}`;
    const days = index % 2 === 0 ? 90 : undefined;
    const queryStarted = performance.now();
    await search.search({ query, days, signal, maxResults: 8 });
    timings.push(performance.now() - queryStarted);
  }
  console.log(
    `query latency:             median ${ms(median(timings))}, p95 ${ms(percentile(timings, 0.95))}  (target median ≤ 2 ms)`,
  );

  started = performance.now();
  const again = await api.buildCorpusIndex({ folder, home });
  const reindexMs = performance.now() - started;
  console.log(
    `re-index, nothing changed: ${ms(reindexMs)}  (read ${again.read} files, ${again.unchanged} unchanged; target ≤ 500 ms)`,
  );

  started = performance.now();
  const warm = await search.refresh();
  console.log(`warm refresh in process:   ${ms(performance.now() - started)}  (read ${warm.read} files)`);
  const ok = buildMs <= 3000 && median(timings) <= 2 && reindexMs <= 500;
  console.log(ok ? "all targets met" : "some targets missed");
} finally {
  if (process.env.KEEP_BENCH_INDEX)
    await fs.cp(path.join(root, "home", "indexes"), process.env.KEEP_BENCH_INDEX, { recursive: true });
  await fs.rm(root, { recursive: true, force: true });
}
