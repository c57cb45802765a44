#!/usr/bin/env node
/**
 * Startup benchmark of the stdio MCP server (run `npx tsup` first).
 *
 *   node bench/startup.mjs [runs=15]
 *
 * Spawns `node bin/report-mcp.js` repeatedly and times spawn → initialize response and
 * spawn → tools/list response, side by side with a bare `node -e` that echoes one line.
 * Target: initialize under 1.5 × bare Node start + 150 ms.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
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

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
};
const initialized = { jsonrpc: "2.0", method: "notifications/initialized" };
const listTools = { jsonrpc: "2.0", id: 2, method: "tools/list" };

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
        if (id === 1 && input.length > 1) child.stdin.write(input.slice(1).map((message) => `${JSON.stringify(message)}\n`).join(""));
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

const bare = [];
const toInitialize = [];
const toToolsList = [];
// One warm-up of each so the file system cache does not favour the second.
await timeChild(["-e", "process.stdin.once('data', (line) => process.stdout.write(line))"], [{ ping: true }], ["echo"]);
await timeChild([bin], [initialize, initialized, listTools], [1, 2]);
for (let run = 0; run < runs; run += 1) {
  const [echo] = await timeChild(["-e", "process.stdin.once('data', (line) => process.stdout.write(line))"], [{ ping: true }], ["echo"]);
  bare.push(echo);
  const [init, list] = await timeChild([bin], [initialize, initialized, listTools], [1, 2]);
  toInitialize.push(init);
  toToolsList.push(list);
}
rmSync(home, { recursive: true, force: true });

const bareMedian = median(bare);
const initMedian = median(toInitialize);
const listMedian = median(toToolsList);
const target = 1.5 * bareMedian + 150;
const row = (label, value) => `${label.padEnd(34)}${value.toFixed(1).padStart(9)} ms${(value / bareMedian).toFixed(2).padStart(8)}×`;
console.log(`report-mcp stdio startup, median of ${runs} runs (Node ${process.version})`);
console.log(row("bare `node -e` echo", bareMedian));
console.log(row("report-mcp → initialize response", initMedian));
console.log(row("report-mcp → tools/list response", listMedian));
console.log(`target (1.5 × bare + 150 ms): ${target.toFixed(1)} ms → initialize ${initMedian <= target ? "MEETS" : "MISSES"} it, tools/list ${listMedian <= target ? "MEETS" : "MISSES"} it`);
