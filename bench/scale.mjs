#!/usr/bin/env node
// Scale-out under load: N concurrent reports over the SSE API against a fake model with a fixed
// latency, on (1) one `serve` process and (2) two `serve --redis` front ends with four
// `report-mcp worker` processes sharing one Redis. Prints, per setup: runs/s, event delay p50/p99
// (record appended → client receives it), events lost and duplicated, failed runs, and for Redis
// the memory a finished run keeps. Then (3) the same load with one worker SIGKILLed mid-run (every
// run must still end), and (4) cancel latency across processes (cancel sent to front end B →
// the worker's in-flight model call aborted). Figures only; no pass/fail.
//
//   npm run bench:scale -- [runs=1000] [latencyMs=250] [sections=4]
//
// Needs Debian's redis-server (started here on a free loopback port with a temporary folder) and
// the build (`npm run bench:scale` builds first). The fakes and the clients run in this process.
import { fork, spawn } from "node:child_process";
import fs from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { createParser } from "eventsource-parser";
import { Redis } from "ioredis";
import { fakeReply, sendChatCompletion } from "./fake-model.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 1000);
const latencyMs = Number(process.argv[3] ?? 250);
const sections = Number(process.argv[4] ?? 4);
const FRONT_ENDS = 2;
const WORKERS = 4;
const CANCEL_PROBES = 20;
const BIN = path.join(root, "bin", "report-mcp.js");
// BENCH_PHASES=single,cluster,kill,cancel (default all); BENCH_PROFILE=1 writes CPU profiles of the
// front ends and workers to node_modules/.cache/report-mcp-bench-scale/profiles.
const phases = new Set((process.env.BENCH_PHASES ?? "single,cluster,kill,cancel").split(","));
const profileDir = path.join(root, "node_modules", ".cache", "report-mcp-bench-scale", "profiles");
const nodeArgs = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
const redisBinary = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((file) => fs.existsSync(file));
if (!redisBinary) {
  console.error("bench:scale needs redis-server (apt-get install redis-server).");
  process.exit(2);
}
const work = await mkdtemp(path.join(os.tmpdir(), "report-mcp-bench-scale-"));
const children = new Set();

/* ---------- helpers ---------- */
async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Spawns a process and resolves with the first match of `pattern` in its output. */
function start(command, args, { env, pattern, name }) {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let output = "";
  const ready = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk.toString("utf8");
      const match = pattern.exec(output);
      if (match) resolve(match);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`${name} exited (${code}) before it was ready:\n${output.slice(-2000)}`)),
    );
  });
  return { child, ready, output: () => output };
}

async function stop(child, signal = "SIGTERM") {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

function percentile(sorted, fraction) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/* ---------- fakes: OpenAI-compatible model (fixed latency), Tavily, a website ---------- */
function readBody(request) {
  return new Promise((resolve) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => resolve(raw));
  });
}

/** Model calls of cancel probes are held (until their client goes away); their arrival and close are noted. */
const probes = new Map();
function probe(name) {
  if (!probes.has(name)) {
    let arrived;
    let closed;
    const entry = { arrivedAt: 0, closedAt: 0 };
    entry.arrived = new Promise((resolve) => (arrived = resolve));
    entry.closed = new Promise((resolve) => (closed = resolve));
    entry.arrive = () => {
      entry.arrivedAt = Date.now();
      arrived();
    };
    entry.close = () => {
      entry.closedAt = Date.now();
      closed();
    };
    probes.set(name, entry);
  }
  return probes.get(name);
}

const fakes = createServer(async (request, response) => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/v1/chat/completions") {
    const body = JSON.parse(await readBody(request));
    const probeName = /cancel-probe-\d+/.exec(JSON.stringify(body.messages))?.[0];
    if (probeName) {
      const entry = probe(probeName);
      entry.arrive();
      response.on("close", () => entry.close());
      return; // never answered: only the run's abort ends this call
    }
    const content = fakeReply(body, sections);
    const timer = setTimeout(() => sendChatCompletion(response, body, content), latencyMs);
    response.on("close", () => clearTimeout(timer));
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
fakes.keepAliveTimeout = 60_000;
await new Promise((resolve) => fakes.listen(0, "127.0.0.1", resolve));
const fakesUrl = `http://127.0.0.1:${fakes.address().port}`;
const home = path.join(work, "home");
await mkdir(home, { recursive: true });
const env = {
  PATH: process.env.PATH,
  LANG: "C.UTF-8",
  OPENAI_API_KEY: "sk-bench",
  OPENAI_BASE_URL: `${fakesUrl}/v1`,
  REPORT_MCP_MODEL: "bench-model",
  TAVILY_API_KEY: "tvly-bench",
  TAVILY_BASE_URL: fakesUrl,
  REPORT_MCP_ALLOW_PRIVATE_FETCH: "1",
  REPORT_MCP_HOME: home,
};

/* ---------- one client: POST, parse SSE (resuming with Last-Event-ID if cut), note arrivals ---------- */
async function readStream(response, run) {
  const parser = createParser({
    onEvent: (event) => {
      const message = JSON.parse(event.data);
      if (message.method === "session/started") run.sessionId = message.params.session_id;
      if (message.result || message.error) run.final = message;
      const status = message.params?.data?.msg?.status;
      if (status === "warning" && /Restarted/.test(message.params.data.msg.message)) run.restarted = true;
      run.received.push({ seq: Number(event.id), at: Date.now() });
      run.onEvent?.(run);
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of response.body) parser.feed(decoder.decode(chunk, { stream: true }));
}

let connectRetries = 0;

async function runOne(urls, index, onEvent) {
  const run = { sessionId: null, received: [], final: null, restarted: false, onEvent, started: Date.now(), ended: 0 };
  const url = urls[index % urls.length];
  const post = () =>
    fetch(`${url}/mcp/streaming/orchestrator`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ task: `Solid-state batteries, run ${index + 1}`, kwargs: { max_iterations: 1 } }),
    });
  // A thousand connections at once can overflow a listen backlog (reset before any answer): retry like a client would.
  let response;
  for (let attempt = 1; !response; attempt += 1) {
    try {
      response = await post();
    } catch (error) {
      if (attempt === 5) throw error;
      connectRetries += 1;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  await readStream(response, run).catch(() => undefined);
  for (let attempt = 0; !run.final && run.sessionId && attempt < 5; attempt += 1) {
    const last = run.received.at(-1)?.seq ?? 0;
    const again = await fetch(
      `${urls[(index + attempt + 1) % urls.length]}/mcp/streaming/sessions/${run.sessionId}/events`,
      { headers: { "Last-Event-ID": String(last) } },
    );
    if (again.status === 200) await readStream(again, run).catch(() => undefined);
  }
  run.ended = Date.now();
  return run;
}

/** Delays, lost and duplicated events, given each run's records as the server logged them (seq → time). */
function tally(results, logs) {
  const delays = [];
  let lost = 0;
  let duplicated = 0;
  let failed = 0;
  let events = 0;
  for (const run of results) {
    const logged = logs.get(run.sessionId) ?? new Map();
    const seen = new Set();
    for (const event of run.received) {
      if (seen.has(event.seq)) duplicated += 1;
      seen.add(event.seq);
      const time = logged.get(event.seq);
      if (time !== undefined) delays.push(event.at - time);
    }
    for (const seq of logged.keys()) if (!seen.has(seq)) lost += 1;
    events += logged.size;
    if (!run.final?.result) failed += 1;
  }
  delays.sort((left, right) => left - right);
  const failures = {};
  for (const run of results) {
    if (run.final?.result) continue;
    const key = run.final
      ? `${run.final.error?.data?.type}: ${String(run.final.error?.data?.message).slice(0, 90)}`
      : "no final message";
    failures[key] = (failures[key] ?? 0) + 1;
  }
  if (Object.keys(failures).length > 0) console.log("  failures:", failures);
  const first = Math.min(...results.map((run) => run.started));
  const last = Math.max(...results.map((run) => run.ended));
  const wallMs = last - first;
  const completed = results.filter((run) => run.final?.result).length;
  return {
    wallMs,
    runsPerSecond: completed / (wallMs / 1000),
    p50: percentile(delays, 0.5),
    p99: percentile(delays, 0.99),
    max: delays.at(-1),
    events,
    lost,
    duplicated,
    failed,
  };
}

/* ---------- (1) one `serve` process (bundled from src/, as bench:serve does, to read record times) ---------- */
async function singleProcess() {
  const outDir = path.join(root, "node_modules", ".cache", "report-mcp-bench-scale");
  await mkdir(outDir, { recursive: true });
  const version = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")).version;
  await build({
    entryPoints: [path.join(root, "src/http/serve.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: path.join(outDir, "serve.mjs"),
    define: { __REPORT_MCP_VERSION__: JSON.stringify(version) },
    logLevel: "error",
  });
  const script = path.join(outDir, "serve-child.mjs");
  await writeFile(
    script,
    `import { serveHttp } from "./serve.mjs";
const settings = JSON.parse(process.env.BENCH_SETTINGS);
const server = await serveHttp({ settings, port: 0, maxConcurrent: 100000, retention: { maxCount: 100000 }, log: () => undefined });
process.on("message", async (message) => {
  if (message.type === "times") process.send({ type: "times", times: Object.fromEntries(await Promise.all(message.ids.map(async (id) => [id, (await server.jobs.records(id)).map((record) => [record.seq, Date.parse(record.time)])]))) });
  if (message.type === "close") server.close().then(() => process.exit(0));
});
process.send({ type: "ready", url: server.url });
`,
  );
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
    home: path.join(work, "single"),
    allowPrivateFetch: true,
    timeoutMs: null,
    token: null,
    redisUrl: null,
  };
  const child = fork(script, [], {
    env: { ...process.env, BENCH_SETTINGS: JSON.stringify(settings) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.add(child);
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
  await Promise.all([0, 1].map((index) => runOne([url], index))); // warm-up
  const results = await Promise.all(Array.from({ length: runs }, (_, index) => runOne([url], index)));
  const { times } = await ask({ type: "times", ids: results.map((run) => run.sessionId) });
  const logs = new Map(Object.entries(times).map(([id, pairs]) => [id, new Map(pairs)]));
  const figures = tally(results, logs);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.send({ type: "close" });
  await exited;
  return figures;
}

/* ---------- (2)-(4) Redis: 2 front ends, 4 workers ---------- */
const redisPort = await freePort();
const redisDir = path.join(work, "redis");
await mkdir(redisDir);
const redisProcess = start(
  redisBinary,
  [
    "--port",
    String(redisPort),
    "--bind",
    "127.0.0.1",
    "--dir",
    redisDir,
    "--save",
    "",
    "--appendonly",
    "no",
    "--logfile",
    "",
  ],
  {
    env: process.env,
    pattern: /Ready to accept connections/,
    name: "redis-server",
  },
);
await redisProcess.ready;
const redisUrl = `redis://127.0.0.1:${redisPort}`;
const redis = new Redis(redisUrl);

async function usedMemory() {
  const info = await redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function logsOf(ids) {
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.xrange(`report-mcp:run:${id}:log`, "-", "+");
  const answers = await pipeline.exec();
  return new Map(
    ids.map((id, index) => [
      id,
      new Map(
        (answers[index][1] ?? []).map(([, fields]) => {
          const record = JSON.parse(fields[1]);
          return [record.seq, Date.parse(record.time)];
        }),
      ),
    ]),
  );
}

const perWorker = Math.ceil(runs / WORKERS);
const frontEnds = [];
for (let index = 0; index < FRONT_ENDS; index += 1) {
  const frontEnd = start(
    process.execPath,
    [
      ...nodeArgs,
      BIN,
      "serve",
      "--redis",
      redisUrl,
      "--workers",
      "0",
      "--port",
      "0",
      "--max-concurrent",
      String(Math.min(1000, runs + CANCEL_PROBES)),
    ],
    {
      env,
      pattern: /serving on (http:\/\/\S+)/,
      name: `front end ${index + 1}`,
    },
  );
  frontEnds.push({ ...frontEnd, url: (await frontEnd.ready)[1] });
}
const workers = [];
for (let index = 0; index < WORKERS; index += 1) {
  const worker = start(
    process.execPath,
    [...nodeArgs, BIN, "worker", "--redis", redisUrl, "--concurrency", String(perWorker)],
    {
      env,
      pattern: /taking up to \d+ report/,
      name: `worker ${index + 1}`,
    },
  );
  await worker.ready;
  workers.push(worker);
}
const urls = frontEnds.map((frontEnd) => frontEnd.url);

async function clusterRound({ killAfter } = {}) {
  const before = await usedMemory();
  let midRun = 0;
  let killedAt = 0;
  let killing = Promise.resolve();
  const onEvent = killAfter
    ? (run) => {
        if (run.counted || run.received.length < 6) return;
        run.counted = true;
        midRun += 1;
        if (midRun !== killAfter) return;
        killedAt = Date.now();
        killing = stop(workers[0].child, "SIGKILL");
      }
    : undefined;
  const results = await Promise.all(Array.from({ length: runs }, (_, index) => runOne(urls, index, onEvent)));
  await killing;
  const logs = await logsOf(results.map((run) => run.sessionId));
  const figures = tally(results, logs);
  const after = await usedMemory();
  const ended = results.filter((run) => run.final).length;
  const interrupted = results.filter((run) => run.final?.error?.data?.type === "interrupted").length;
  const restarted = results.filter((run) => run.restarted).length;
  const lastEnd = Math.max(...results.map((run) => run.ended));
  return {
    ...figures,
    memoryPerRunKb: (after - before) / 1024 / runs,
    ended,
    interrupted,
    restarted,
    endedAfterKillS: killedAt ? (lastEnd - killedAt) / 1000 : null,
  };
}

async function cancelLatency() {
  const latencies = [];
  for (let index = 0; index < CANCEL_PROBES; index += 1) {
    const name = `cancel-probe-${index}`;
    const entry = probe(name);
    const response = await fetch(`${urls[0]}/mcp/streaming/orchestrator`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ task: `Battery news ${name}` }),
    });
    const reader = response.body.getReader();
    let text = "";
    while (!/"session_id":"([^"]+)"/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    const sessionId = /"session_id":"([^"]+)"/.exec(text)[1];
    await entry.arrived;
    const sent = Date.now();
    await fetch(`${urls[1]}/mcp/streaming/sessions/${sessionId}/cancel`, { method: "POST" });
    await entry.closed;
    latencies.push(entry.closedAt - sent);
    await reader.cancel();
  }
  latencies.sort((left, right) => left - right);
  return { p50: percentile(latencies, 0.5), max: latencies.at(-1) };
}

const row = (label, figures) =>
  [
    label.padEnd(30),
    figures.runsPerSecond.toFixed(1).padStart(7),
    (figures.wallMs / 1000).toFixed(1).padStart(7),
    String(figures.p50).padStart(9),
    String(figures.p99).padStart(9),
    String(figures.events).padStart(7),
    String(figures.lost).padStart(5),
    String(figures.duplicated).padStart(4),
    String(figures.failed).padStart(7),
    (figures.memoryPerRunKb === undefined ? "-" : figures.memoryPerRunKb.toFixed(1)).padStart(11),
  ].join(" ");

try {
  console.log(
    `report-mcp scale bench — ${runs} concurrent runs, fake model latency ${latencyMs} ms, ${sections} sections, ${os.cpus().length} CPUs, Node ${process.version}`,
  );
  console.log(
    `cluster: ${FRONT_ENDS} serve --redis front ends (--workers 0), ${WORKERS} report-mcp workers (--concurrency ${perWorker}), redis-server ${redisUrl}`,
  );
  console.log("");
  console.log(`${"setup".padEnd(30)}  runs/s  wall s  delay p50 delay p99  events  lost  dup  failed  Redis KB/run`);
  if (phases.has("single")) console.log(row("one serve process", await singleProcess()));
  await Promise.all([0, 1, 2, 3].map((index) => runOne(urls, index))); // warm-up: lazy imports, connection pools
  if (phases.has("cluster")) console.log(row(`${FRONT_ENDS} front ends + ${WORKERS} workers`, await clusterRound()));
  if (phases.has("kill")) {
    const killRound = await clusterRound({ killAfter: Math.floor(runs / 2) });
    console.log(row("same, one worker SIGKILLed", killRound));
    console.log(
      `  one worker SIGKILLed once ${Math.floor(runs / 2)} runs were mid-flight: ${killRound.ended}/${runs} runs ended — ${runs - killRound.failed} completed, ${killRound.interrupted} interrupted (typed error), ${killRound.restarted} restarted on another worker; the last ended ${killRound.endedAfterKillS?.toFixed(1)} s after the kill`,
    );
  }
  if (phases.has("cancel")) {
    const cancel = await cancelLatency();
    console.log(
      `  cancel sent to front end B → the worker's in-flight model call aborted: p50 ${cancel.p50} ms, max ${cancel.max} ms (${CANCEL_PROBES} runs)`,
    );
  }
  if (connectRetries > 0)
    console.log(`  (${connectRetries} connection attempts were reset before any answer and retried)`);
  console.log("");
  console.log(
    "targets at 1,000 runs: lost = dup = 0, event delay p99 < 250 ms, a killed worker's runs all end, cancel < 1 s",
  );
} finally {
  redis.disconnect();
  // Redis goes last: workers hand their reports back to it on the way out.
  for (const child of [...children].filter((child) => child !== redisProcess.child)) await stop(child);
  await stop(redisProcess.child);
  fakes.closeAllConnections();
  fakes.close();
  await rm(work, { recursive: true, force: true });
}
