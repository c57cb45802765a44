/**
 * Two more boundaries under arbitrary input: command-line flags (an exit code of 0, 1 or 2 and
 * a one-line reason, never a throw) and corpus files (`parseDocument`: a parsed document or a
 * SkipFileError/ExcludedFileError, never another error, and fast on hostile Markdown).
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import type { ReportRuntime } from "../../src/core/runtime.js";
import { ExcludedFileError, parseDocument, SkipFileError } from "../../src/providers/corpus/parse-document.js";
import { createTestCli } from "../helpers/cli-context.js";
import { HOSTILE_SIZE, RUNS, TIME_LIMIT_MS, withinTimeAsync } from "./budget.js";

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-fuzz-"));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Every run fails at once with a typed error: flags are what is under test, not the pipeline. */
const failingRuntime: ReportRuntime = {
  runReport: async () => {
    throw new ReportError("no_search_source", "No search source in this test.");
  },
  search: async () => ({ results: [], providers: [], warnings: [] }),
  describe: () => ({ engine: "extractive", modelProvider: null, modelName: null, searchProviders: [] }),
};

const FLAGS = [
  "--type",
  "--days",
  "--quality-threshold",
  "--max-iterations",
  "--no-auto-confirm",
  "--corpus",
  "--language",
  "--provider",
  "--model",
  "--base-url",
  "--timeout",
  "--out",
  "--json",
  "--help",
  "-h",
  "--version",
  "-v",
  "--bogus",
  "--",
  "-",
];
const VALUES = [
  "7",
  "0",
  "-1",
  "3650",
  "3651",
  "1e3",
  "0x10",
  "7.5",
  "NaN",
  "",
  " ",
  "auto",
  "news_report",
  "zh",
  "x.md",
  "x.txt",
  "openai",
  "custom",
  "http://127.0.0.1:9",
  "中文",
  "1".repeat(5000),
];
const argvTail = fc.array(
  fc.oneof(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES), fc.string({ maxLength: 12 })),
  { maxLength: 8 },
);
const argv = fc.oneof(
  argvTail.map((tail) => ["run", "State of batteries", ...tail]),
  argvTail.map((tail) => ["run", ...tail]),
  argvTail.map((tail) => ["config", ...tail]),
  argvTail.map((tail) => ["index", ...tail]),
  argvTail.map((tail) => ["help", ...tail]),
);

describe("command-line flags", () => {
  it("any flags end with exit 0, 1 or 2 and, on error, one line saying what was wrong", async () => {
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        // Nothing may hang: a stray run or index of the whole disk would.
        if (args[0] === "index" && args.slice(1).some((arg) => arg === "/" || arg === "..")) return;
        const cli = createTestCli({
          env: { REPORT_MCP_HOME: path.join(dir, "home") },
          cwd: dir,
          createRuntime: () => failingRuntime,
        });
        const code = await withinTimeAsync(`report-mcp ${args.join(" ")}`, () => cli.run(args), TIME_LIMIT_MS * 5);
        expect([0, 1, 2]).toContain(code);
        const stderr = cli.stderr.text();
        if (code === 2 && !stderr.startsWith("Usage:")) {
          const lines = stderr.trimEnd().split("\n");
          expect(lines.at(-1)).toMatch(/^report-mcp: \S/);
        }
        if (code === 1) expect(stderr).toMatch(/report-mcp: error \[[a-z_]+\] \S/);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

describe("corpus files", () => {
  const extension = fc.constantFrom(".md", ".markdown", ".txt", ".html", ".htm", ".pdf");
  const markdownish = fc
    .array(
      fc.constantFrom(
        "# ",
        "---\n",
        "title: x\n",
        "date: 2026-11-20\n",
        "index: false\n",
        "[a](b)",
        "![i](j)",
        "<b>",
        "<!--",
        "```",
        "**",
        "&amp;",
        "&#x4e2d;",
        "\n",
        " ",
        "text",
        "中文",
        "\u0000",
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(""));
  const content = fc.oneof(
    markdownish.map((text) => new TextEncoder().encode(text)),
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ maxLength: 200 }).map((text) => new TextEncoder().encode(text)),
  );

  it("any file parses to a document with text, or is skipped or excluded with a reason", async () => {
    await fc.assert(
      fc.asyncProperty(extension, content, async (ext, bytes) => {
        try {
          const parsed = await parseDocument({ filePath: path.join(dir, `note${ext}`), bytes });
          expect(typeof parsed.title).toBe("string");
          expect(parsed.text.replace(/\s/g, "").length).toBeGreaterThanOrEqual(10);
          expect(parsed.date === null || /^\d{4}-\d{2}-\d{2}/.test(parsed.date)).toBe(true);
        } catch (error) {
          expect(error instanceof SkipFileError || error instanceof ExcludedFileError).toBe(true);
          expect((error as Error).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("parses hostile Markdown and text (200 KB; 1 MB and timed in the battery) to a document or a skip", async () => {
    const size = HOSTILE_SIZE;
    const files: Array<[string, string]> = [
      ["unclosed.md", `# Title\n\n${"[a](".repeat(size / 4)}`],
      ["brackets.md", `# Title\n\n${"[".repeat(size)}`],
      ["tags.md", `# Title\n\n${"<".repeat(size)}`],
      ["bold.md", `# Title\n\n${"**a ".repeat(size / 4)}`],
      ["heading.md", `# ${" #".repeat(size / 2)}x\n\nBody text for the index.`],
      ["sentences.txt", "A. ".repeat(size / 3)],
    ];
    // HTML goes through linkedom (a library, roughly linear but ~50 µs per element): not timed here.
    for (const [name, text] of files) {
      await withinTimeAsync(
        name,
        () =>
          parseDocument({ filePath: path.join(dir, name), bytes: new TextEncoder().encode(text) }).catch(
            (error: unknown) => {
              if (!(error instanceof SkipFileError)) throw error;
            },
          ),
        TIME_LIMIT_MS * 2,
      );
    }
  }, 120_000);
});
