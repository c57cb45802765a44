#!/usr/bin/env node
/**
 * Extractive engine benchmark (issue 9). Runs the whole pipeline offline — extractive author,
 * local corpus search — on the tasks of bench/extractive-facts.json and prints, per task and in
 * total:
 *   - recall: share of the facts written down (before the engine) that one quote of the report states,
 *   - sections with evidence: share of sections that quote anything,
 *   - seconds per report (index already built),
 * first on the test corpus (test/fixtures/extractive-corpus), then on the same corpus padded with
 * generated documents to 5,000 (mixed English/Chinese prose with the same topic words, dated over
 * two years), where the cold index build is timed too.
 * Targets: recall ≥ 70 %, every section has evidence when the corpus has any, ≤ 2 s per report
 * on 5,000 documents.
 *
 * Run: `npm run bench:extractive` (builds first) or `node bench/extractive.mjs [documents]` after
 * `npm run build`. Needs no network.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..");
const TOTAL = Number(process.argv[2] ?? 5000);
const api = await import(pathToFileURL(path.join(root, "dist/index.js")).href);
const spec = JSON.parse(await fs.readFile(path.join(here, "extractive-facts.json"), "utf8"));
const fixture = path.join(root, spec.corpus);

/** Quotes of a report: every `text [n]` pair of its sections and summary, bullets' date labels removed. */
function quotesOf(result) {
  const markdown = [result.summary, ...result.sections.map((section) => section.content)].join("\n");
  const quotes = [];
  for (const line of markdown.split("\n")) {
    const body = line.replace(/^\s*[-*]\s+(?:\*\*[^*]+\*\*\s*(?:—|：|:)\s*)?/u, "").replace(/^#+ .*$/u, "");
    for (const match of body.matchAll(/([^[\]]+?)\s*\[(\d+)\]/gu)) quotes.push(match[1].trim());
  }
  return quotes;
}

async function runTask({ task, search }) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const params = api.taskParamsSchema.parse({ task: task.task });
  let result = null;
  let error = null;
  try {
    result = await api.runReport({
      params,
      author: api.createExtractiveAuthor(),
      searchProviders: [search],
      onEvent: () => undefined,
      now: () => new Date(task.now),
    });
  } catch (caught) {
    error = caught;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  if (!result) return { task, seconds, cpuSeconds, error, recalled: [], sections: 0, withEvidence: 0 };
  const quotes = quotesOf(result).map((quote) => quote.toLowerCase());
  const recalled = task.facts.filter((fact) =>
    quotes.some((quote) => fact.all.every((part) => quote.includes(part.toLowerCase()))),
  );
  const withEvidence = result.sections.filter((section) => /\[\d+\]/.test(section.content)).length;
  return {
    task,
    seconds,
    cpuSeconds,
    recalled,
    sections: result.sections.length,
    withEvidence,
    quality: result.quality.overall,
    widened: result.warnings.some((warning) => /past \d+ days|最近 \d+ 天/.test(warning)),
  };
}

/**
 * Each task twice: "fresh" with a new corpus provider (what one `report-mcp run` process does: load
 * the index from disk, check the folder), "warm" with one provider kept across reports (the MCP
 * and HTTP servers).
 */
async function measure(label, corpus, home) {
  console.log(`\n${label}`);
  console.log(
    "task          recall   sections with evidence   quality   wall s (fresh / warm)   CPU s (fresh / warm)   window",
  );
  const rows = [];
  const clock = { now: new Date() };
  const shared = api.createCorpusSearch({ folders: [corpus], home, now: () => clock.now });
  for (const task of spec.tasks) {
    clock.now = new Date(task.now);
    const cold = await runTask({
      task,
      search: api.createCorpusSearch({ folders: [corpus], home, now: () => new Date(task.now) }),
    });
    const warm = await runTask({ task, search: shared });
    rows.push({ ...warm, coldSeconds: cold.seconds, coldCpu: cold.cpuSeconds });
    const recall = `${warm.recalled.length}/${warm.task.facts.length}`;
    const missed = warm.task.facts.filter((fact) => !warm.recalled.includes(fact)).map((fact) => fact.id);
    console.log(
      `${task.id.padEnd(13)} ${recall.padEnd(8)} ${`${warm.withEvidence}/${warm.sections}`.padEnd(24)} ${String(warm.quality ?? "-").padEnd(9)} ${`${cold.seconds.toFixed(2)} / ${warm.seconds.toFixed(2)}`.padEnd(23)} ${`${cold.cpuSeconds.toFixed(2)} / ${warm.cpuSeconds.toFixed(2)}`.padEnd(22)} ${warm.widened ? "widened" : "as asked"}${warm.error ? `  ERROR ${warm.error.message}` : ""}${missed.length ? `  missed: ${missed.join(", ")}` : ""}`,
    );
  }
  const facts = rows.reduce((sum, row) => sum + row.task.facts.length, 0);
  const recalled = rows.reduce((sum, row) => sum + row.recalled.length, 0);
  const sections = rows.reduce((sum, row) => sum + row.sections, 0);
  const withEvidence = rows.reduce((sum, row) => sum + row.withEvidence, 0);
  const warm = rows.map((row) => row.seconds);
  const fresh = rows.map((row) => row.coldSeconds);
  const warmCpu = rows.map((row) => row.cpuSeconds);
  const freshCpu = rows.map((row) => row.coldCpu);
  const mean = (list) => (list.reduce((a, b) => a + b, 0) / list.length).toFixed(2);
  console.log(
    `total: recall ${((100 * recalled) / facts).toFixed(1)} % (${recalled}/${facts}; target ≥ 70 %), sections with evidence ${((100 * withEvidence) / Math.max(1, sections)).toFixed(1)} % (${withEvidence}/${sections}; target 100 %), ` +
      `seconds per report: wall warm mean ${mean(warm)} / max ${Math.max(...warm).toFixed(2)}, fresh mean ${mean(fresh)} / max ${Math.max(...fresh).toFixed(2)}; ` +
      `CPU warm mean ${mean(warmCpu)} / max ${Math.max(...warmCpu).toFixed(2)}, fresh mean ${mean(freshCpu)} / max ${Math.max(...freshCpu).toFixed(2)} (target ≤ 2 s)`,
  );
  return rows;
}

/*
 * Deterministic filler: documents about other things (a Zipf-distributed invented vocabulary and
 * common Chinese characters), where the corpus's topic words turn up now and then (3 % of words),
 * as in a real folder of notes, so that searches have to choose.
 */
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (list) => list[Math.floor(random() * list.length)];
const TOPIC = (
  "agent agents battery batteries solid-state market funding round regulation policy survey cost costs supply chain research study " +
  "perovskite solar cell efficiency stability platform product launch customers companies pilot line capacity analysts expect percent"
).split(" ");
const FILLER = "the a of and in to for with on that is was by from as at this year several new".split(" ");
const SYLLABLES = "ka ro mi tel sun dor pra vel quin zo lu ther ash mon bri cal den fos gra hil".split(" ");
const WORDS = Array.from(
  { length: 4000 },
  (_, index) =>
    SYLLABLES[index % 20] +
    SYLLABLES[Math.floor(index / 20) % 20] +
    (index >= 400 ? SYLLABLES[Math.floor(index / 400) % 20] : ""),
);
const HAN =
  "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题".split(
    "",
  );
const HAN_TOPIC = ["智能体", "固态电池", "融资", "市场", "成本", "政策", "供应链", "钙钛矿"];
/** Zipf pick: rank r with probability ∝ 1/r. */
function zipf(list) {
  const harmonic = Math.log(list.length) + 0.5772;
  const rank = Math.min(list.length, Math.floor(Math.exp(random() * harmonic)));
  return list[rank - 1] ?? list[0];
}

function englishSentence() {
  const words = Array.from({ length: 12 + Math.floor(random() * 10) }, () =>
    random() < 0.35 ? pick(FILLER) : random() < 0.03 ? pick(TOPIC) : zipf(WORDS),
  );
  const text = words.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
function chineseSentence() {
  return `${Array.from({ length: 10 + Math.floor(random() * 12) }, () => (random() < 0.03 ? pick(HAN_TOPIC) : zipf(HAN) + zipf(HAN))).join("")}。`;
}

async function padded(count) {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-bench-extractive-"));
  await fs.cp(fixture, path.join(folder, "fixture"), { recursive: true });
  const existing = (await fs.readdir(fixture, { recursive: true })).filter((file) =>
    /\.(md|txt|html)$/.test(file),
  ).length;
  const writes = [];
  for (let index = 0; index < count - existing; index += 1) {
    const chinese = index % 3 === 0;
    const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 700) * 86_400_000).toISOString().slice(0, 10);
    const paragraphs = Array.from({ length: 3 + Math.floor(random() * 3) }, () =>
      Array.from({ length: 3 }, chinese ? chineseSentence : englishSentence).join(chinese ? "" : " "),
    );
    const title = chinese ? chineseSentence().slice(0, 12) : englishSentence().slice(0, 60);
    const file = path.join(folder, "filler", String(index % 50), `${day}-doc-${index}.md`);
    writes.push({
      file,
      text: `---\ntitle: "${title.replace(/"/g, "")}"\ndate: ${day}\n---\n\n${paragraphs.join("\n\n")}\n`,
    });
  }
  for (let start = 0; start < writes.length; start += 500) {
    await Promise.all(
      writes.slice(start, start + 500).map(async ({ file, text }) => {
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(file, text);
      }),
    );
  }
  return folder;
}

const home = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-bench-home-"));
try {
  console.log(
    `report-mcp extractive bench · Node ${process.version} · ${os.cpus().length} cores · load average ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(" ")}`,
  );
  await measure(`Test corpus (${spec.corpus})`, fixture, home);
  const folder = await padded(TOTAL);
  try {
    const started = performance.now();
    const stats = await api.buildCorpusIndex({ folder, home });
    console.log(
      `\nPadded corpus: ${stats.files} documents indexed in ${((performance.now() - started) / 1000).toFixed(2)} s (cold)`,
    );
    await measure(`Test corpus padded to ${stats.files} documents`, folder, home);
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
} finally {
  await fs.rm(home, { recursive: true, force: true });
}
