#!/usr/bin/env node
/**
 * How close report-mcp's local token estimate (`estimateTokens`, no vocabulary) is to OpenAI's
 * o200k tokenizer (js-tiktoken, which @tavily/core installs anyway), and what each costs.
 *
 *   npm run bench:tokens      (builds first; or `node bench/token-estimate.mjs` after `npx tsup`)
 *
 * Text: the fixture news pages (English and Chinese, with their menus and bylines), the example
 * corpus, README and docs (Markdown, code, URLs). Prints, per kind of text, the total error and
 * the median / 90th-percentile error per paragraph, then the time to count everything.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(path.join(root, "dist", "index.js"))) {
  console.error("dist/index.js is missing: run `npx tsup` first.");
  process.exit(1);
}
const { estimateTokens } = await import(path.join(root, "dist", "index.js"));
const loadStarted = performance.now();
const { Tiktoken } = await import("js-tiktoken/lite");
const { default: o200k } = await import("js-tiktoken/ranks/o200k_base");
const encoder = new Tiktoken(o200k);
const loadMs = performance.now() - loadStarted;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const filesUnder = (folder) =>
  readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
const pageText = (html) =>
  html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/[ \t]+/g, " ");

const kinds = { "English prose": [], "Chinese prose": [], "Markdown docs": [] };
const prose = [
  ...filesUnder(path.join(root, "test/fixtures/news-site")),
  ...filesUnder(path.join(root, "examples/corpus")),
];
for (const file of prose.filter((name) => /\.(html|md|txt)$/.test(name))) {
  const raw = readFileSync(file, "utf8");
  const text = file.endsWith(".html") ? pageText(raw) : raw;
  for (const paragraph of text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter((part) => part.length > 40)) {
    const cjk = paragraph.match(CJK)?.length ?? 0;
    kinds[cjk / paragraph.length > 0.2 ? "Chinese prose" : "English prose"].push(paragraph);
  }
}
for (const file of [path.join(root, "README.md"), ...filesUnder(path.join(root, "docs"))].filter((name) =>
  name.endsWith(".md"),
)) {
  kinds["Markdown docs"].push(
    ...readFileSync(file, "utf8")
      .split(/\n\s*\n/)
      .map((part) => part.trim())
      .filter((part) => part.length > 40),
  );
}

const percent = (value) => `${(value * 100).toFixed(1)} %`.padStart(9);
console.log(`local estimate vs o200k (js-tiktoken), Node ${process.version}`);
console.log(
  `${"text".padEnd(16)}${"paragraphs".padStart(11)}${"o200k".padStart(9)}${"estimate".padStart(10)}${"total".padStart(9)}${"median".padStart(9)}${"p90".padStart(9)}`,
);
const all = [];
for (const [kind, texts] of Object.entries(kinds)) {
  let real = 0;
  let estimated = 0;
  const errors = texts.map((text) => {
    const truth = encoder.encode(text).length;
    const guess = estimateTokens(text);
    real += truth;
    estimated += guess;
    return Math.abs(guess - truth) / truth;
  });
  errors.sort((left, right) => left - right);
  all.push(...texts);
  const at = (share) => errors[Math.min(errors.length - 1, Math.floor(errors.length * share))];
  console.log(
    `${kind.padEnd(16)}${String(texts.length).padStart(11)}${String(real).padStart(9)}${String(estimated).padStart(10)}${percent((estimated - real) / real)}${percent(at(0.5))}${percent(at(0.9))}`,
  );
}

const corpus = all.join("\n\n");
const time = (count) => {
  const started = performance.now();
  for (let round = 0; round < 5; round += 1) count(corpus);
  return (performance.now() - started) / 5;
};
console.log(`\ncounting ${(corpus.length / 1024).toFixed(0)} KiB of text (mean of 5):`);
console.log(`  local estimate   ${time(estimateTokens).toFixed(1).padStart(8)} ms   (nothing to load)`);
console.log(
  `  o200k            ${time((text) => encoder.encode(text).length)
    .toFixed(1)
    .padStart(8)} ms   (+ ${loadMs.toFixed(0)} ms to load its vocabulary)`,
);
