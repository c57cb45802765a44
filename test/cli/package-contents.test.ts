import { execFile } from "node:child_process";
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, REPO_ROOT } from "../helpers/build.js";

/**
 * What `npx report-mcp` installs: the built dist/ may import only Node built-ins and the
 * package's `dependencies` (a devDependency it imported would be missing for every user); what
 * the build bundled instead carries its license in dist/THIRD-PARTY-NOTICES.md; the tarball
 * ships no source maps.
 */
const run = promisify(execFile);
const DIST = path.join(REPO_ROOT, "dist");
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

/** Optional peers (bullmq, ioredis): imported only by `serve --redis` and `worker`, which say how to install them. */
const optionalPeers = new Set(
  Object.keys(manifest.peerDependenciesMeta ?? {}).filter(
    (name) =>
      manifest.peerDependenciesMeta?.[name]?.optional === true && manifest.peerDependencies?.[name] !== undefined,
  ),
);

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

function bareImports(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of fs.readdirSync(DIST).filter((name) => name.endsWith(".js"))) {
    const code = fs.readFileSync(path.join(DIST, file), "utf8");
    const statics = code.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)";?$|^import\s*"([^"]+)";?$/gm);
    const dynamics = code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g);
    for (const match of [...statics, ...dynamics]) {
      const specifier = match[1] ?? match[2] ?? "";
      if (specifier.startsWith(".")) continue;
      found.set(specifier, [...(found.get(specifier) ?? []), file]);
    }
  }
  return found;
}

describe("the published package", () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 180_000);

  it("imports only Node built-ins and its runtime dependencies", () => {
    const builtins = new Set(builtinModules);
    const imports = bareImports();
    expect(imports.size).toBeGreaterThan(5);
    const missing = [...imports]
      .filter(([specifier]) => !specifier.startsWith("node:") && !builtins.has(specifier))
      .filter(
        ([specifier]) =>
          manifest.dependencies[packageOf(specifier)] === undefined && !optionalPeers.has(packageOf(specifier)),
      )
      .map(([specifier, files]) => `${specifier} (in ${files.join(", ")})`);
    expect(missing).toEqual([]);
  });

  it("imports its optional peers only from the chunk that load-scale loads on demand", () => {
    const imports = bareImports();
    expect(optionalPeers.size).toBeGreaterThan(0);
    for (const peer of optionalPeers) {
      const files = [...imports].filter(([specifier]) => packageOf(specifier) === peer).flatMap(([, where]) => where);
      for (const file of files)
        expect(file, `${peer} is imported by ${file}, which is not the on-demand scale chunk`).toMatch(
          /^scale-[\w-]+\.js$/,
        );
    }
  });

  it("carries the license of every package it bundled, and bundles what it no longer installs", () => {
    const notices = fs.readFileSync(path.join(DIST, "THIRD-PARTY-NOTICES.md"), "utf8");
    const bundled = [...notices.matchAll(/^## (\S+) (\S+) \(([^)]+)\)$/gm)].map((match) => ({
      name: match[1] ?? "",
      license: match[3] ?? "",
    }));
    const names = bundled.map((entry) => entry.name);
    for (const name of ["linkedom", "htmlparser2", "turndown", "markdown-it"]) expect(names).toContain(name);
    // turndown's browser build is bundled: its Node-only HTML parser (domino) is not.
    expect(names).not.toContain("@mixmark-io/domino");
    for (const entry of bundled) {
      expect(
        manifest.dependencies[entry.name],
        `${entry.name} is bundled and also a runtime dependency`,
      ).toBeUndefined();
      expect(entry.license).not.toBe("UNKNOWN");
    }
    // Each section quotes a license text, not just a name.
    expect(
      notices.match(/Permission is hereby granted|Redistribution and use|Permission to use, copy|Apache License/g)
        ?.length ?? 0,
    ).toBeGreaterThanOrEqual(bundled.length);
  });

  it("packs dist with its notices and without source maps", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: REPO_ROOT,
      maxBuffer: 8 * 1024 * 1024,
    });
    const files =
      (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((file) => file.path) ?? [];
    expect(files).toContain("dist/cli.js");
    expect(files).toContain("dist/THIRD-PARTY-NOTICES.md");
    expect(files.filter((file) => file.endsWith(".map"))).toEqual([]);
  }, 60_000);
});
