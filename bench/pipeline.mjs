#!/usr/bin/env node
// Pipeline wall time vs. its critical path, with a fake OpenAI-compatible model that answers
// every call after a fixed latency. Prints figures; no pass/fail.
//
//   npm run build && node bench/pipeline.mjs [latencyMs=250] [sections=6] [runs=3]
//
// Critical path = the longest chain of dependent model calls: intent → outline → assessment(s)
// → one section (the others run beside it) → summary. Sequential = every call one after another.
import { createServer } from "node:http";
import { fakeReply, sendChatCompletion } from "./fake-model.mjs";
import {
  createOpenAICompatibleModel,
  DEFAULT_LIMITS,
  estimateRun,
  foldRun,
  LlmAuthor,
  ResponseFormatMemory,
  runReport,
  taskParamsSchema,
} from "../dist/index.js";

// The bench model is priced like the openai preset's default (gpt-4.1-mini), so cost figures are real-world-sized.
const PRICE = { input: 0.4, output: 1.6, currency: "USD" };

const latencyMs = Number(process.argv[2] ?? 250);
const sections = Number(process.argv[3] ?? 6);
const runs = Number(process.argv[4] ?? 3);

const server = createServer((request, response) => {
  let raw = "";
  request.on("data", (chunk) => (raw += chunk));
  request.on("end", () => {
    const body = JSON.parse(raw);
    const content = fakeReply(body, sections);
    setTimeout(() => {
      sendChatCompletion(response, body, content);
    }, latencyMs);
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}/v1`;

const search = {
  name: "bench",
  async search({ query }) {
    return [1, 2, 3].map((index) => ({
      title: `${query} ${index}`,
      url: `https://example.com/${encodeURIComponent(query)}/${index}`,
      content: `Evidence ${index} on solid-state batteries and ${query}.`,
      published_at: new Date().toISOString(),
      provider: "bench",
    }));
  },
};

const walls = [];
let calls = 0;
const spends = [];
let measured = null;
for (let run = 0; run < runs; run += 1) {
  const model = createOpenAICompatibleModel({
    provider: "custom",
    model: "bench",
    baseUrl,
    apiKey: "bench",
    formatMemory: new ResponseFormatMemory(),
  });
  calls = 0;
  const params = taskParamsSchema.parse({ task: "State of solid-state batteries", max_iterations: 1 });
  const estimate = estimateRun({
    params,
    engine: "llm",
    modelProvider: "custom",
    modelName: "bench",
    price: PRICE,
    maxTokens: 1_000_000,
    maxCost: null,
    evidenceTokensPerSection: DEFAULT_LIMITS.evidenceTokensPerSection,
    measured,
  });
  const started = performance.now();
  const result = await runReport({
    params,
    budget: { prices: { bench: PRICE } },
    author: new LlmAuthor(model),
    searchProviders: [search],
    onEvent: (event) => {
      if (event.type === "model_usage") calls += 1;
    },
  });
  walls.push(performance.now() - started);
  const usage = result.metadata.usage;
  spends.push({ tokens: usage.input_tokens + usage.output_tokens, cost: result.metadata.cost, estimate });
  measured = foldRun(measured, usage.by_step);
}
server.close();

const median = [...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)];
const critical = 5 * latencyMs; // intent, outline, assessment, one section, summary
const sequential = calls * latencyMs;
console.log(`model latency per call      ${latencyMs} ms`);
console.log(`sections                    ${sections}`);
console.log(`model calls per report      ${calls}`);
console.log(
  `wall time (median of ${runs})     ${median.toFixed(0)} ms   (runs: ${walls.map((wall) => wall.toFixed(0)).join(", ")})`,
);
console.log(`critical path               ${critical} ms`);
console.log(`sequential (calls × latency) ${sequential} ms`);
console.log(`wall / critical path        ${(median / critical).toFixed(2)}×   (target ≤ 1.20×)`);
console.log(`wall / sequential           ${(median / sequential).toFixed(2)}×`);
console.log(
  "tokens and cost per report (estimate: expected [low–high], from priors on run 1, measured averages after)",
);
spends.forEach(({ tokens, cost, estimate }, index) => {
  const money = cost ? `${cost.amount.toFixed(4)} ${cost.currency}` : "unknown";
  const quoted = `${estimate.tokens.expected} [${estimate.tokens.low}–${estimate.tokens.high}] tokens, ${estimate.cost?.expected.toFixed(4)} ${estimate.cost?.currency} (${estimate.basis.kind})`;
  console.log(`  run ${index + 1}: ${tokens} tokens, ${money}   estimate ${quoted}`);
});
