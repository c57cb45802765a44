import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { buildCorpusIndex, createCorpusSearch } from "../../src/providers/corpus/index.js";

const NOW = new Date("2026-11-25T12:00:00Z");
const signal = new AbortController().signal;

let root: string;
let folder: string;
let home: string;

async function write(relativePath: string, content: string): Promise<void> {
  const target = path.join(folder, relativePath);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, content);
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-corpus-robust-"));
  folder = path.join(root, "docs");
  home = path.join(root, "home");
  await write(
    "widgets.md",
    "---\ntitle: Widget sales\ndate: 2026-11-20\n---\n\nThe zorbulite widget line sold out within a week of its launch in November.\n",
  );
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("corpus folders with unusual entries", () => {
  it("lists a FIFO named like a document as skipped instead of hanging on it, and walks folders named x.md", async () => {
    execFileSync("mkfifo", [path.join(folder, "pipe.md")]);
    await fs.symlink("pipe.md", path.join(folder, "pipe-link.md"));
    await fs.symlink("..", path.join(folder, "loop"));
    await fs.symlink(".", path.join(folder, "loop.md"));
    await write("notes.md/inner.md", "The zorbulite widget also ships in a blue edition for schools this winter.\n");
    const stats = await buildCorpusIndex({ folder, home });
    expect(stats.files).toBe(2);
    const reasons = Object.fromEntries(stats.skipped.map((item) => [item.path, item.reason]));
    expect(reasons["pipe.md"]).toMatch(/not a regular file/);
    expect(reasons["pipe-link.md"]).toMatch(/not a regular file/);
    expect(reasons["loop.md"]).toMatch(/symlink to a folder/);
    const search = createCorpusSearch({ folders: [folder], home, now: () => NOW });
    const hits = await search.search({ query: "zorbulite widget", days: 30, signal });
    expect(hits.map((hit) => hit.location).sort()).toEqual(["docs/notes.md/inner.md", "docs/widgets.md"]);
  });

  it("says whether the corpus path is missing or is a file", async () => {
    const file = path.join(folder, "widgets.md");
    const error = await buildCorpusIndex({ folder: file, home }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).message).toMatch(/is a file, not a folder/);
    const missing = await buildCorpusIndex({ folder: path.join(root, "nowhere"), home }).catch(
      (caught: unknown) => caught,
    );
    expect((missing as ReportError).message).toMatch(/does not exist/);
    expect((missing as ReportError).message).not.toMatch(/not a folder/);
  });
});

describe("one folder named twice", () => {
  it("indexes and searches it once, without racing on its index files", async () => {
    await write(
      "more.md",
      "---\ntitle: More widgets\ndate: 2026-11-21\n---\n\nA second zorbulite widget factory opened near the harbour this month.\n",
    );
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const freshHome = path.join(root, `home-${attempt}`);
      const search = createCorpusSearch({
        folders: [folder, `${folder}${path.sep}`, path.relative(process.cwd(), folder)],
        home: freshHome,
        now: () => NOW,
      });
      const stats = await search.refresh(signal);
      expect(stats.files).toBe(2);
      const hits = await search.search({ query: "zorbulite widget", days: 30, signal });
      expect(hits.map((hit) => hit.location).sort()).toEqual(["docs/more.md", "docs/widgets.md"]);
    }
  });
});
