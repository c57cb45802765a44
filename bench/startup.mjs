#!/usr/bin/env node
/**
 * Startup benchmark of the stdio MCP server: spawn → `initialize` answer and spawn → `tools/list`
 * answer, side by side with a bare `node -e` that echoes one line and with tavily-mcp.
 *
 *   npm run bench:startup            (builds first)
 *   node bench/startup.mjs [runs=15] (after `npx tsup`)
 *
 * The client writes `initialize`, and on its answer `notifications/initialized` and `tools/list`,
 * as hosts do. tavily-mcp is installed from npm into node_modules/.cache/report-mcp-bench the
 * first time (skipped with a message when the registry cannot be reached). Runs are interleaved
 * (echo, report-mcp, tavily-mcp, …) so load on the machine hits all three alike; medians printed.
 * Targets (issue 13): tools/list ≤ 0.5 × tavily-mcp's and ≤ 2.5 × the bare echo.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "report-mcp.js");
const runs = Number(process.argv[2] ?? 15);
if (!existsSync(path.join(root, "dist", "cli.js"))) {
  console.error("dist/cli.js is missing: run `npx tsup` first.");
  process.exit(1);
}
const home = mkdtempSync(path.join(os.tmpdir(), "report-mcp-bench-"));
const env = { PATH: process.env.PATH ?? "", HOME: home, REPORT_MCP_HOME: home };

/** tavily-mcp's entry script, installed on first use; null (with the reason printed) when it cannot be. */
function tavilyEntry() {
  const folder = path.join(root, "node_modules", ".cache", "report-mcp-bench");
  const manifest = path.join(folder, "node_modules", "tavily-mcp", "package.json");
  if (!existsSync(manifest)) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, "package.json"),
      JSON.stringify({ name: "report-mcp-bench-rivals", private: true }),
    );
    console.error("installing tavily-mcp from npm for the comparison…");
    const installed = spawnSync(
      "npm",
      ["install", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error", "tavily-mcp"],
      { cwd: folder, encoding: "utf8" },
    );
    if (installed.status !== 0) {
      console.log(
        `tavily-mcp: skipped, it could not be installed from npm (offline?): ${(installed.stderr || "").trim().split("\n").pop()}`,
      );
      return null;
    }
  }
  const { version, bin: bins } = JSON.parse(readFileSync(manifest, "utf8"));
  const relative = typeof bins === "string" ? bins : bins["tavily-mcp"];
  return { script: path.join(path.dirname(manifest), relative), version };
}

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
};
const initialized = { jsonrpc: "2.0", method: "notifications/initialized" };
const listTools = { jsonrpc: "2.0", id: 2, method: "tools/list" };
const ECHO = ["-e", "process.stdin.once('data', (line) => process.stdout.write(line))"];

/** Spawns a child, writes `input` lines, resolves with the ms at which each awaited response id arrived. */
function timeChild(args, input, awaitIds) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, cwd: home, stdio: ["pipe", "pipe", "ignore"] });
    const seen = new Map();
    let buffer = "";
    child.stdout.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        let id = "echo";
        try {
          id = JSON.parse(line).id ?? id;
        } catch {
          /* the bare node child echoes a plain line */
        }
        if (!seen.has(id)) seen.set(id, elapsed);
        if (id === 1 && input.length > 1)
          child.stdin.write(
            input
              .slice(1)
              .map((message) => `${JSON.stringify(message)}\n`)
              .join(""),
          );
        if (awaitIds.every((wanted) => seen.has(wanted))) {
          child.stdin.end();
          child.kill();
          resolve(awaitIds.map((wanted) => seen.get(wanted)));
        }
      }
    });
    child.on("error", reject);
    child.on("exit", () => {
      if (!awaitIds.every((wanted) => seen.has(wanted))) reject(new Error(`child exited early: ${args.join(" ")}`));
    });
    child.stdin.write(`${JSON.stringify(input[0])}\n`);
  });
}

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const tavily = tavilyEntry();
const session = [initialize, initialized, listTools];
const contenders = [
  { label: "report-mcp", args: [bin], init: [], list: [] },
  ...(tavily ? [{ label: `tavily-mcp ${tavily.version}`, args: [tavily.script], init: [], list: [] }] : []),
];
const bare = [];
// One warm-up of each so the file system cache does not favour the later ones.
await timeChild(ECHO, [{ ping: true }], ["echo"]);
for (const contender of contenders) await timeChild(contender.args, session, [1, 2]);
for (let run = 0; run < runs; run += 1) {
  bare.push((await timeChild(ECHO, [{ ping: true }], ["echo"]))[0]);
  for (const contender of contenders) {
    const [init, list] = await timeChild(contender.args, session, [1, 2]);
    contender.init.push(init);
    contender.list.push(list);
  }
}
rmSync(home, { recursive: true, force: true });

const bareMedian = median(bare);
const row = (label, value) =>
  `${label.padEnd(36)}${value.toFixed(1).padStart(9)} ms${(value / bareMedian).toFixed(2).padStart(8)}× bare`;
console.log(
  `stdio MCP startup, median of ${runs} interleaved runs (Node ${process.version}, load ${os.loadavg()[0].toFixed(1)})`,
);
console.log(row("bare `node -e` echo", bareMedian));
for (const contender of contenders) {
  console.log(row(`${contender.label} → initialize`, median(contender.init)));
  console.log(row(`${contender.label} → tools/list`, median(contender.list)));
}
const ours = median(contenders[0].list);
const versusBare = ours / bareMedian;
console.log(
  `report-mcp tools/list: ${versusBare.toFixed(2)}× bare node (target ≤ 2.5×: ${versusBare <= 2.5 ? "MEETS" : "MISSES"} it)`,
);
if (contenders[1]) {
  const versusTavily = ours / median(contenders[1].list);
  console.log(
    `report-mcp tools/list: ${versusTavily.toFixed(2)}× tavily-mcp's (target ≤ 0.5×: ${versusTavily <= 0.5 ? "MEETS" : "MISSES"} it)`,
  );
}
