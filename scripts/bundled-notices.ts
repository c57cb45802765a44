import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "esbuild";

/**
 * An esbuild plugin (used by tsup.config.ts) that writes `THIRD-PARTY-NOTICES.md` into the output
 * folder: the name, version, license and license text of every npm package whose code the build
 * bundled into dist (devDependencies such as linkedom, turndown, markdown-it and their own
 * dependencies). Their licenses (MIT, BSD, ISC) ask that the notice travel with the code.
 */
export const NOTICES_FILE = "THIRD-PARTY-NOTICES.md";

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;

type BundledPackage = { name: string; version: string; license: string; texts: string[] };

/** The package folder (…/node_modules/name or …/node_modules/@scope/name) of a bundled input path. */
function packageFolder(input: string): string | null {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replaceAll("\\", "/"));
  return match?.[1] ?? null;
}

function describePackage(folder: string): BundledPackage {
  const manifest = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as {
    name: string;
    version: string;
    license?: string | { type?: string };
    author?: string | { name?: string };
  };
  const license = typeof manifest.license === "string" ? manifest.license : (manifest.license?.type ?? "UNKNOWN");
  const texts = readdirSync(folder)
    .filter((file) => LICENSE_FILE.test(file))
    .sort()
    .map((file) => readFileSync(path.join(folder, file), "utf8").trim());
  if (texts.length === 0) {
    const author = typeof manifest.author === "string" ? manifest.author : manifest.author?.name;
    texts.push(`(The package ships no license file. License: ${license}${author ? `, by ${author}` : ""}.)`);
  }
  return { name: manifest.name, version: manifest.version, license, texts };
}

export function bundledNotices(): Plugin {
  return {
    name: "bundled-notices",
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length > 0 || !result.metafile) return;
        const outdir = build.initialOptions.outdir;
        if (!outdir) throw new Error("bundled-notices: the build has no outdir");
        const folders = new Set<string>();
        for (const input of Object.keys(result.metafile.inputs)) {
          const folder = packageFolder(input);
          if (folder) folders.add(path.resolve(folder));
        }
        const unique = new Map<string, BundledPackage>();
        for (const folder of folders) {
          if (!existsSync(path.join(folder, "package.json"))) continue;
          const entry = describePackage(folder);
          unique.set(`${entry.name}@${entry.version}`, entry);
        }
        const packages = [...unique.values()];
        packages.sort((left, right) => left.name.localeCompare(right.name));
        const sections = packages.map(
          (entry) =>
            `## ${entry.name} ${entry.version} (${entry.license})\n\n${entry.texts.map((text) => `\`\`\`\n${text}\n\`\`\``).join("\n\n")}`,
        );
        const header = [
          "# Third-party notices",
          "",
          "dist/ bundles the code of these npm packages (so `npx report-mcp` need not install them).",
          "Their licenses follow.",
        ].join("\n");
        // tsup writes the bundles after this hook: the folder may not exist yet.
        mkdirSync(outdir, { recursive: true });
        writeFileSync(path.join(outdir, NOTICES_FILE), `${header}\n\n${sections.join("\n\n")}\n`);
      });
    },
  };
}
