#!/usr/bin/env node
// `report-mcp serve` under load: N concurrent reports over the SSE API against a fake model at a
// fixed latency. Prints, per N: wall time against one report alone, p50/p99 delay between an
// event being produced (its record time in the server) and reaching the client, peak server RSS
// and its growth per running report, events lost (must be 0), and the cost of writing every event
// ahead to disk (time per append, share of wall time). Figures only; no pass/fail.
//
//   node bench/serve.mjs [latencyMs=250] [counts=10,50,200] [sections=4]
//
// The server runs in a child process (bundled from src/ with esbuild, so no build is needed);
// the fake model, fake Tavily and the fake website run in this process.
import { fork } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { fakeReply, sendChatCompletion } from "./fake-model.mjs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const latencyMs = Number(process.argv[2] ?? 250);
const counts = (process.argv[3] ?? "10,50,200").split(",").map(Number);
const sections = Number(process.argv[4] ?? 4);

/* ---------- fakes: OpenAI-compatible model, Tavily, a website ---------- */
function readBody(request) {
  return new Promise((resolve) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => resolve(raw));
  });
}

const fakes = createServer(async (request, response) => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/v1/chat/completions") {
    const body = JSON.parse(await readBody(request));
    const content = fakeReply(body, sections);
    setTimeout(() => {
      sendChatCompletion(response, body, content);
    }, latencyMs);
    return;
  }
  if (url.pathname === "/search") {
    const { query } = JSON.parse(await readBody(request));
    const site = `http://127.0.0.1:${fakes.address().port}`;
    const results = [1, 2, 3].map((index) => ({
      title: `${query} ${index}`,
      url: `${site}/articles/${encodeURIComponent(query)}-${index}`,
      content: `Evidence ${index} on ${query}.`,
      score: 0.9,
      published_date: new Date().toISOString(),
    }));
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({ query, results, answer: null, images: [], follow_up_questions: null, response_time: 0.1 }),
    );
    return;
  }
  response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  response.end(
    `<!doctype html><html><head><title>Article</title></head><body><article><h1>Article</h1><p>${"A paragraph with enough words to count as the main text of the page. ".repeat(8)}</p></article></body></html>`,
  );
});
await new Promise((resolve) => fakes.listen(0, "127.0.0.1", resolve));
const fakesUrl = `http://127.0.0.1:${fakes.address().port}`;

/* ---------- the server, bundled from src/ and run in a child ---------- */
const outDir = path.join(root, "node_modules", ".cache", "report-mcp-bench");
await mkdir(outDir, { recursive: true });
const version = JSON.parse(
  await (await import("node:fs/promises")).readFile(path.join(root, "package.json"), "utf8"),
).version;
await build({
  // One bundle with the store class too, so the child can time every write-ahead append.
  stdin: {
    contents: `export { serveHttp } from "./src/http/serve.ts"; export { FileJobStore } from "./src/providers/job-store/file-job-store.ts";`,
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  outfile: path.join(outDir, "serve.mjs"),
  define: { __REPORT_MCP_VERSION__: JSON.stringify(version) },
  logLevel: "error",
});
const childScript = path.join(outDir, "serve-child.mjs");
await writeFile(
  childScript,
  `import { FileJobStore, serveHttp } from "./serve.mjs";
import { performance } from "node:perf_hooks";
// Times each write-ahead append (a synchronous write(2) per event, before any client sees it).
let appendTimes = [];
const append = FileJobStore.prototype.append;
FileJobStore.prototype.append = function (header, record) {
  const started = performance.now();
  try { return append.call(this, header, record); } finally { appendTimes.push(performance.now() - started); }
};
const settings = JSON.parse(process.env.BENCH_SETTINGS);
const server = await serveHttp({ settings, port: 0, maxConcurrent: 100000, retention: { maxCount: 100000 }, log: () => undefined });
let peak = process.memoryUsage().rss;
setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20).unref();
process.on("message", (message) => {
  if (message.type === "reset") { globalThis.gc?.(); peak = process.memoryUsage().rss; appendTimes = []; process.send({ type: "reset", rss: peak }); }
  if (message.type === "appends") process.send({ type: "appends", times: appendTimes });
  if (message.type === "peak") process.send({ type: "peak", rss: Math.max(peak, process.memoryUsage().rss) });
  if (message.type === "times") process.send({ type: "times", times: Object.fromEntries(message.ids.map((id) => [id, server.jobs.records(id).map((record) => Date.parse(record.time))])) });
  if (message.type === "close") server.close().then(() => process.exit(0));
});
process.send({ type: "ready", url: server.url });
`,
);
const home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-bench-"));
const settings = {
  provider: "openai",
  model: "bench-model",
  apiKey: "sk-bench",
  baseUrl: `${fakesUrl}/v1`,
  tavilyApiKey: "tvly-bench",
  tavilyBaseUrl: fakesUrl,
  braveApiKey: null,
  braveBaseUrl: null,
  googleApiKey: null,
  googleCseId: null,
  googleBaseUrl: null,
  corpus: [],
  home,
  allowPrivateFetch: true,
  timeoutMs: null,
  token: null,
};
const child = fork(childScript, [], {
  env: { ...process.env, BENCH_SETTINGS: JSON.stringify(settings) },
  execArgv: ["--expose-gc", ...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${outDir}`] : [])],
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const ask = (message) =>
  new Promise((resolve) => {
    const listener = (answer) => {
      if (answer.type !== message.type) return;
      child.off("message", listener);
      resolve(answer);
    };
    child.on("message", listener);
    child.send(message);
  });
const { url } = await new Promise((resolve) => child.once("message", resolve));

/* ---------- one client: POST, parse SSE, note when each event arrives ---------- */
async function runOne(task) {
  const started = Date.now();
  const response = await fetch(`${url}/mcp/streaming/orchestrator`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify({ task, kwargs: { max_iterations: 1 } }),
  });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const received = [];
  let buffer = "";
  let sessionId = null;
  let final = null;
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    const now = Date.now();
    buffer += decoder.decode(chunk, { stream: true });
    let index;
    while ((index = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      const id = /^id: (\d+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!id || !data) continue;
      const message = JSON.parse(data);
      if (message.method === "session/started") sessionId = message.params.session_id;
      if (message.result || message.error) final = message;
      received.push({ seq: Number(id), at: now });
    }
  }
  return { sessionId, received, final, durationMs: Date.now() - started };
}

function percentile(sorted, fraction) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

async function round(count) {
  const reset = await ask({ type: "reset" });
  const started = Date.now();
  const runs = await Promise.all(
    Array.from({ length: count }, (_, index) => runOne(`Solid-state batteries, run ${index + 1}`)),
  );
  const wallMs = Date.now() - started;
  const peak = await ask({ type: "peak" });
  const { times } = await ask({ type: "times", ids: runs.map((run) => run.sessionId) });
  const appendTimes = (await ask({ type: "appends" })).times.sort((left, right) => left - right);
  const delays = [];
  let lost = 0;
  let failed = 0;
  for (const run of runs) {
    const produced = times[run.sessionId] ?? [];
    const seen = new Set(run.received.map((event) => event.seq));
    lost += produced.length - seen.size + (run.received.length - seen.size);
    for (const event of run.received) delays.push(event.at - produced[event.seq - 1]);
    if (!run.final?.result) failed += 1;
  }
  delays.sort((left, right) => left - right);
  const durations = runs.map((run) => run.durationMs).sort((left, right) => left - right);
  return {
    count,
    wallMs,
    p50RunMs: percentile(durations, 0.5),
    p50: percentile(delays, 0.5),
    p99: percentile(delays, 0.99),
    events: delays.length,
    eventsPerSecond: delays.length / (wallMs / 1000),
    peakMb: peak.rss / 1e6,
    growthKb: (peak.rss - reset.rss) / 1024 / count,
    lost,
    failed,
    appends: appendTimes.length,
    appendP50Us: percentile(appendTimes, 0.5) * 1000,
    appendP99Us: percentile(appendTimes, 0.99) * 1000,
    appendShare: appendTimes.reduce((sum, time) => sum + time, 0) / wallMs,
  };
}

await round(2); // warm-up: lazy imports, JIT, connection pools
const alone = await round(1);
console.log(
  `report-mcp serve bench — fake model latency ${latencyMs} ms, ${sections} sections, ${os.cpus().length} CPUs, Node ${process.version}`,
);
console.log(
  `one report alone: ${alone.wallMs} ms, ${alone.events} events, event delay p50 ${alone.p50} ms / p99 ${alone.p99} ms`,
);
console.log("");
console.log(
  "     N   wall ms  × alone  p50 run ms  events  events/s  delay p50  delay p99  peak RSS MB  RSS/report KB  lost  failed",
);
const results = [];
for (const count of counts) {
  const result = await round(count);
  results.push(result);
  console.log(
    [
      String(count).padStart(6),
      String(result.wallMs).padStart(9),
      (result.wallMs / alone.wallMs).toFixed(2).padStart(8),
      String(result.p50RunMs).padStart(11),
      String(result.events).padStart(7),
      result.eventsPerSecond.toFixed(0).padStart(9),
      String(result.p50).padStart(10),
      String(result.p99).padStart(10),
      result.peakMb.toFixed(1).padStart(12),
      result.growthKb.toFixed(0).padStart(14),
      String(result.lost).padStart(5),
      String(result.failed).padStart(7),
    ].join(" "),
  );
}
console.log("\nwrite-ahead (each event appended to its session's log before any client is sent it):");
console.log("     N  appends  append p50 µs  append p99 µs  share of wall time");
for (const result of results) {
  console.log(
    [
      String(result.count).padStart(6),
      String(result.appends).padStart(8),
      result.appendP50Us.toFixed(0).padStart(14),
      result.appendP99Us.toFixed(0).padStart(14),
      `${(result.appendShare * 100).toFixed(2)} %`.padStart(18),
    ].join(" "),
  );
}
console.log("\ntargets at N = 200 on 2 cores: delay p99 < 100 ms, RSS growth < 1024 KB per running report, lost = 0");

const exited = new Promise((resolve) => child.once("exit", resolve));
child.send({ type: "close" });
await exited;
fakes.close();
fakes.closeAllConnections();
await rm(home, { recursive: true, force: true });
