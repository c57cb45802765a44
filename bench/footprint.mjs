#!/usr/bin/env node
/**
 * What `npx -y report-mcp` puts on a user's disk, measured on the packed tarball.
 *
 *   npm run bench:footprint                 (builds, packs, installs with --omit=dev from the npm cache)
 *   node bench/footprint.mjs --cold         (also times `npx -y` with an empty cache, registry reachable)
 *   node bench/footprint.mjs --no-compare   (skips tavily-mcp)
 *
 * Packs the package (`npm pack`), installs the tarball into an empty folder as a user would
 * (`--omit=dev`), and prints the installed node_modules (disk use and bytes), its package count,
 * each runtime dependency's own weight (what only it brings) and the largest packages. The same
 * install of tavily-mcp (from the registry) is printed beside it, with the ratio the issue sets
 * (target ≤ 2×); offline, that comparison is skipped with a message.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const flags = new Set(process.argv.slice(2));
const compare = !flags.has("--no-compare");
const cold = flags.has("--cold");
const RIVAL = "tavily-mcp";
const TARGET_RATIO = 2;

if (!existsSync(path.join(root, "dist", "cli.js"))) {
  console.error("dist/ is missing: run `npm run build` (or `npm run bench:footprint`) first.");
  process.exit(1);
}
const work = mkdtempSync(path.join(os.tmpdir(), "report-mcp-footprint-"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Runs npm quietly; returns stdout, or throws with npm's stderr. */
function runNpm(args, cwd) {
  const result = spawnSync(npm, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  if (result.status !== 0)
    throw new Error(`npm ${args.join(" ")} failed:\n${result.stderr.trim().split("\n").slice(-5).join("\n")}`);
  return result.stdout;
}

/** Disk use (allocated blocks, folders included, as `du` counts) and bytes of a folder, without following links. */
function measure(folder, skipNested = false) {
  let disk = lstatSync(folder).blocks * 512;
  let bytes = 0;
  let files = 0;
  const walk = (current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (skipNested && entry.name === "node_modules") continue;
        disk += lstatSync(full).blocks * 512;
        walk(full);
      } else {
        const stat = lstatSync(full);
        disk += stat.blocks * 512;
        bytes += stat.size;
        files += 1;
      }
    }
  };
  walk(folder);
  return { disk, bytes, files };
}

/**
 * Installs `spec` into an empty folder with --omit=dev and returns its node_modules figures:
 * total, package count, every package's own size, and each direct dependency's exclusive weight.
 */
function installAndMeasure(spec, name) {
  const folder = path.join(work, `install-${name}`);
  mkdirSync(folder);
  writeFileSync(path.join(folder, "package.json"), JSON.stringify({ name: `footprint-${name}`, private: true }));
  const started = performance.now();
  runNpm(["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", spec], folder);
  const installMs = performance.now() - started;
  const modules = path.join(folder, "node_modules");
  const lock = JSON.parse(readFileSync(path.join(modules, ".package-lock.json"), "utf8")).packages;
  const packages = Object.keys(lock).filter((key) => key !== "");
  const own = new Map(packages.map((key) => [key, measure(path.join(folder, key), true).disk]));
  const resolve = (from, dependency) => {
    for (let base = from; ;) {
      const candidate = `${base ? `${base}/` : ""}node_modules/${dependency}`;
      if (lock[candidate]) return candidate;
      if (!base) return null;
      const cut = base.lastIndexOf("/node_modules/");
      base = cut < 0 ? "" : base.slice(0, cut);
    }
  };
  const dependenciesOf = (key) =>
    Object.keys({ ...lock[key]?.dependencies, ...lock[key]?.optionalDependencies })
      .map((dependency) => resolve(key, dependency))
      .filter(Boolean);
  const closure = (start, without) => {
    const seen = new Set();
    const stack = [start];
    while (stack.length > 0) {
      const key = stack.pop();
      if (seen.has(key) || key === without) continue;
      seen.add(key);
      stack.push(...dependenciesOf(key));
    }
    return seen;
  };
  const top = `node_modules/${name}`;
  const everything = closure(top);
  const direct = dependenciesOf(top).map((key) => {
    const remaining = closure(top, key);
    const only = [...everything].filter((other) => !remaining.has(other));
    return {
      name: key.replace(/^node_modules\//, ""),
      disk: only.reduce((sum, other) => sum + (own.get(other) ?? 0), 0),
      packages: only.length,
    };
  });
  return { total: measure(modules), packages: packages.length, own, direct, installMs };
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// 1. Pack (the build already ran: skip prepack).
const packed = JSON.parse(runNpm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], root))[0];
const tarball = path.join(work, packed.filename);
const maps = packed.files.filter((file) => file.path.endsWith(".map"));
console.log(
  `report-mcp ${packed.version} tarball: ${mb(packed.size)} packed, ${mb(packed.unpackedSize)} unpacked, ${packed.entryCount} files, ${maps.length} source maps`,
);
if (maps.length > 0) console.log(`  source maps in the tarball: ${maps.map((file) => file.path).join(", ")}`);

// 2. Install it as a user would, and measure.
const ours = installAndMeasure(tarball, "report-mcp");
console.log(
  `\ninstalled node_modules: ${mb(ours.total.disk)} on disk (${mb(ours.total.bytes)} of files), ${ours.packages} packages`,
);
console.log("\nweight of each runtime dependency (what only it brings):");
for (const entry of ours.direct.sort((left, right) => right.disk - left.disk)) {
  console.log(`  ${mb(entry.disk).padStart(9)}  ${String(entry.packages).padStart(3)} pkg  ${entry.name}`);
}
console.log("\nlargest packages:");
for (const [key, disk] of [...ours.own].sort((left, right) => right[1] - left[1]).slice(0, 12)) {
  console.log(`  ${mb(disk).padStart(9)}  ${key.replace(/node_modules\//g, "").replace(/\//g, " › ")}`);
}

// 3. tavily-mcp, installed the same way.
if (compare) {
  let rival = null;
  try {
    rival = installAndMeasure(RIVAL, RIVAL);
  } catch (error) {
    console.log(
      `\n${RIVAL}: skipped, it could not be installed from the registry (offline?): ${error.message.split("\n")[0]}`,
    );
  }
  if (rival) {
    const ratio = ours.total.disk / rival.total.disk;
    console.log(`\n${RIVAL}: ${mb(rival.total.disk)} on disk, ${rival.packages} packages`);
    console.log(
      `report-mcp / ${RIVAL}: ${ratio.toFixed(2)}× on disk (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? "MEETS" : "MISSES"} it), ${(ours.packages / rival.packages).toFixed(2)}× packages`,
    );
  }
}

// 4. Cold `npx -y`: an empty npm cache, everything from the registry.
if (cold) {
  const timeNpx = (spec, label) => {
    const cache = mkdtempSync(path.join(work, "cache-"));
    const started = performance.now();
    const result = spawnSync(npm, ["exec", "--yes", "--cache", cache, "--package", spec, "--", "node", "-e", "0"], {
      cwd: work,
      encoding: "utf8",
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 0) {
      console.log(`  ${label}: failed (${result.stderr.trim().split("\n").pop()})`);
      return null;
    }
    console.log(`  ${label.padEnd(12)} ${seconds.toFixed(1).padStart(6)} s`);
    return seconds;
  };
  console.log("\ncold `npx -y` (empty cache, packages from the registry):");
  const oursSeconds = timeNpx(tarball, "report-mcp");
  const rivalSeconds = compare ? timeNpx(RIVAL, RIVAL) : null;
  if (oursSeconds && rivalSeconds) console.log(`  report-mcp / ${RIVAL}: ${(oursSeconds / rivalSeconds).toFixed(2)}×`);
}

rmSync(work, { recursive: true, force: true });
