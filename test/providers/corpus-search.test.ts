import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { buildCorpusIndex, createCorpusSearch } from "../../src/providers/corpus/index.js";
import { makePdf } from "./corpus-fixtures.js";

const NOW = new Date("2026-11-25T12:00:00Z");
const signal = new AbortController().signal;

let root: string;
let folder: string;
let home: string;

async function write(relativePath: string, content: string | Uint8Array): Promise<void> {
  const target = path.join(folder, relativePath);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, content);
}

const EN_DATED = `---
title: Harbor Robotics launches a warehouse agent
date: 2026-11-20
---

Harbor Robotics launched a warehouse agent that plans picking routes for human workers. The zephyrine scheduler inside it replans every few seconds.
`;
const EN_OLD = `---
title: Old note about quokka batteries
date: 2026-10-01
---

The quokka battery prototype stored energy in a ceramic layer. It was shown at a trade fair in October.
`;
const ZH_DATED = `---
title: 固态电池中试线投产
published: 2026-11-22
---

青峰能源宣布固态电池中试线正式投产，首批电芯供应无人机客户。

新电芯的能量密度达到每公斤四百瓦时。
`;
const HTML = `<!doctype html><html><head><title>Marmoset pricing changes</title>
<meta property="article:published_time" content="2026-11-21T08:00:00Z"></head>
<body><nav>menu</nav><article><h1>Marmoset pricing changes</h1><p>The marmoset platform now charges per completed task.</p><p>Customers pay nothing when a task fails.</p></article>
<script>var hidden = "scriptword";</script></body></html>`;
const UNDATED =
  "Notes on ocelot electrolytes\n\nOcelot electrolytes conduct ions without any liquid. They are brittle.\n";
const DUPLICATE = "Lemur logistics report\n\nThe lemur fleet delivered parcels with electric vans across the valley.\n";

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-corpus-"));
  folder = path.join(root, "My Corpus");
  home = path.join(root, "home");
  await write("news/2026-11-20-harbor.md", EN_DATED);
  await write("news/old-quokka.md", EN_OLD);
  await write("zh/固态电池.md", ZH_DATED);
  await write("web/marmoset.html", HTML);
  await write("notes/ocelot.txt", UNDATED);
  await write("dup/a.txt", DUPLICATE);
  await write("dup/b.txt", DUPLICATE);
  await write(
    "papers/tapir.pdf",
    makePdf({
      lines: ["The tapir study measured cell swelling during charging."],
      title: "Tapir study",
      creationDate: "D:20261118090000Z",
    }),
  );
  await write("broken/binary.txt", Buffer.from([0x54, 0x65, 0x00, 0x01, 0x02, 0x73, 0x74]));
  await write(
    "broken/latin1.md",
    Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72, 0xff, 0xfe, 0x0a]),
  );
  await write("broken/huge.txt", `Huge file about narwhals. ${"narwhal ".repeat(2000)}`);
  await write("broken/fake.pdf", "%PDF-1.4 this is not really a PDF");
  await write(".hidden/secret.md", "# Hidden\n\nThe hiddenword should never be indexed here.\n");
  await write("node_modules/pkg/readme.md", "# Package\n\nThe modulesword should never be indexed here.\n");
  await write("image.png", Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await fs.writeFile(path.join(root, "outside.md"), "# Outside\n\nThe outsideword lives outside the corpus folder.\n");
  await fs.symlink(path.join(root, "outside.md"), path.join(folder, "link-outside.md"));
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function corpus(warnings: string[] = []) {
  return createCorpusSearch({
    folders: [folder],
    home,
    now: () => NOW,
    maxFileBytes: 4000,
    onWarning: (message) => warnings.push(message),
  });
}

describe("corpus search over a mixed-language folder", () => {
  it("indexes Markdown, text, HTML and PDF and skips broken files with reasons, once per refresh", async () => {
    const warnings: string[] = [];
    const search = corpus(warnings);
    const stats = await search.refresh();
    expect(stats.files).toBe(8);
    const reasons = Object.fromEntries(stats.skipped.map((item) => [path.basename(item.path), item.reason]));
    expect(reasons["binary.txt"]).toMatch(/binary/);
    expect(reasons["latin1.md"]).toMatch(/UTF-8/);
    expect(reasons["huge.txt"]).toMatch(/larger than/);
    expect(reasons["fake.pdf"]).toMatch(/PDF/);
    expect(reasons["link-outside.md"]).toMatch(/outside the corpus folder/);
    expect(Object.keys(reasons)).toHaveLength(5);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/skipped 5 files/);
    expect(warnings[0]).toContain("binary.txt");
    await search.refresh();
    expect(warnings).toHaveLength(2);
  });

  it("finds Chinese passages for Chinese queries", async () => {
    const hits = await corpus().search({ query: "固态电池 能量密度", signal });
    expect(hits[0]?.title).toBe("固态电池中试线投产");
    expect(hits[0]?.content).toContain("能量密度达到每公斤四百瓦时");
    expect(hits[0]?.published_at).toBe("2026-11-22");
    expect(hits[0]?.provider).toBe("corpus");
  });

  it("matches English words across inflections and prefixes", async () => {
    const search = corpus();
    expect((await search.search({ query: "launching warehouse agents", signal }))[0]?.title).toBe(
      "Harbor Robotics launches a warehouse agent",
    );
    expect((await search.search({ query: "zephyr", signal }))[0]?.title).toBe(
      "Harbor Robotics launches a warehouse agent",
    );
  });

  it("reads titles and dates from HTML meta and PDF metadata, and keeps undated documents undated", async () => {
    const search = corpus();
    const [html] = await search.search({ query: "marmoset", signal });
    expect(html).toMatchObject({ title: "Marmoset pricing changes", published_at: "2026-11-21T08:00:00.000Z" });
    expect(html?.content).toContain("charges per completed task");
    expect(html?.content).not.toContain("scriptword");
    const [pdf] = await search.search({ query: "tapir swelling", signal });
    expect(pdf).toMatchObject({ title: "Tapir study", published_at: "2026-11-18T09:00:00.000Z" });
    expect(pdf?.content).toContain("measured cell swelling during charging");
    const [undated] = await search.search({ query: "ocelot", signal });
    expect(undated).toMatchObject({ title: "Notes on ocelot electrolytes", published_at: null });
  });

  it("cites documents by their absolute file:/// URL (a real location) and shows the path inside the corpus", async () => {
    const hits = await corpus().search({ query: "固态电池", signal });
    expect(hits[0]?.url).toBe(pathToFileURL(path.join(folder, "zh", "固态电池.md")).href);
    expect(hits[0]?.url).toMatch(/^file:\/\/\/.*\/My%20Corpus\/zh\/%E5%9B%BA/);
    expect(fileURLToPath(hits[0]?.url ?? "")).toBe(path.join(folder, "zh", "固态电池.md"));
    expect(hits[0]?.location).toBe("My Corpus/zh/固态电池.md");
    const all = await corpus().search({ query: "marmoset ocelot tapir harbor lemur", signal, maxResults: 20 });
    expect(new Set(all.map((hit) => hit.url)).size).toBe(all.length);
    for (const hit of all) expect(existsSync(fileURLToPath(hit.url)), hit.url).toBe(true);
  });

  it("answers a repeated search from memory until the folder changes", async () => {
    const search = corpus();
    const first = await search.search({ query: "marmoset", signal });
    expect(await search.search({ query: "marmoset", signal })).toEqual(first);
    await write(
      "late-marmoset.md",
      "---\ntitle: Late marmoset\ndate: 2026-11-24\n---\n\nA marmoset sanctuary opened a second enclosure this week.\n",
    );
    await search.refresh(signal);
    const after = await search.search({ query: "marmoset", signal });
    expect(after.map((hit) => hit.title)).toContain("Late marmoset");
    await fs.rm(path.join(folder, "late-marmoset.md"));
    await search.refresh(signal);
  });

  it("returns a duplicated document once", async () => {
    const hits = await corpus().search({ query: "lemur parcels", signal });
    expect(hits).toHaveLength(1);
  });

  it("skips hidden folders, node_modules and symlinks leaving the folder", async () => {
    const search = corpus();
    for (const word of ["hiddenword", "modulesword", "outsideword", "narwhal"]) {
      expect(await search.search({ query: word, signal })).toEqual([]);
    }
  });

  it("filters by days relative to the injected clock, keeping undated documents", async () => {
    const search = corpus();
    const recent = await search.search({ query: "quokka harbor ocelot", days: 7, signal });
    expect(recent.map((hit) => hit.title).sort()).toEqual([
      "Harbor Robotics launches a warehouse agent",
      "Notes on ocelot electrolytes",
    ]);
    const wide = await search.search({ query: "quokka harbor ocelot", days: 90, signal });
    expect(wide.map((hit) => hit.title)).toContain("Old note about quokka batteries");
  });

  it("judges an undated document by its modification time, and leaves its hit undated", async () => {
    const notes = path.join(root, "notes");
    await fs.mkdir(notes, { recursive: true });
    await fs.writeFile(path.join(notes, "fresh.md"), "Axolotl batteries were discussed in a fresh note this week.\n");
    await fs.writeFile(path.join(notes, "stale.md"), "Axolotl batteries were discussed in a stale note long ago.\n");
    const twoYearsAgo = new Date(NOW.getTime() - 730 * 86_400_000);
    await fs.utimes(path.join(notes, "stale.md"), twoYearsAgo, twoYearsAgo);
    const search = createCorpusSearch({ folders: [notes], home, now: () => NOW });
    const recent = await search.search({ query: "axolotl batteries", days: 7, signal });
    expect(recent.map((hit) => hit.url)).toEqual([expect.stringContaining("fresh.md")]);
    expect(recent[0]?.published_at).toBeNull();
    const all = await search.search({ query: "axolotl batteries", signal });
    expect(all).toHaveLength(2);
  });

  it("fails clearly for a missing folder and honours an aborted signal", async () => {
    const missing = createCorpusSearch({ folders: [path.join(root, "nope")], home });
    await expect(missing.search({ query: "x", signal })).rejects.toMatchObject({ type: "no_search_source" });
    const controller = new AbortController();
    controller.abort();
    const error = await corpus()
      .search({ query: "harbor", signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportError);
    expect(error).toMatchObject({ type: "cancelled" });
  });
});

describe("incremental index", () => {
  it("re-reads nothing when the folder is unchanged, even in a new process", async () => {
    const first = await buildCorpusIndex({ folder, home, maxFileBytes: 4000 });
    expect(first.added).toBe(8);
    expect(await fs.readdir(path.join(home, "indexes"))).toHaveLength(1);
    const progress: Array<[number, number]> = [];
    const again = await buildCorpusIndex({
      folder,
      home,
      maxFileBytes: 4000,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(again).toMatchObject({ read: 0, added: 0, updated: 0, removed: 0, unchanged: 8, files: 8 });
    expect(progress.at(-1)).toEqual([12, 12]);
    const fresh = corpus();
    expect((await fresh.refresh()).read).toBe(0);
    expect((await fresh.search({ query: "marmoset", signal }))[0]?.title).toBe("Marmoset pricing changes");
  });

  it("re-reads only changed files and reflects edits, additions and deletions", async () => {
    const search = corpus();
    await search.refresh();
    await write("news/2026-11-20-harbor.md", EN_DATED.replace("zephyrine", "xylophone"));
    await write(
      "new/capybara.md",
      "---\ntitle: Capybara note\ndate: 2026-11-24\n---\n\nThe capybara index was added later.\n",
    );
    await fs.rm(path.join(folder, "web/marmoset.html"));
    const touched = path.join(folder, "notes/ocelot.txt");
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(touched, later, later);
    const stats = await search.refresh();
    expect(stats).toMatchObject({ read: 3, added: 1, updated: 1, removed: 1, files: 8 });
    expect(stats.unchanged).toBe(6);
    expect(await search.search({ query: "zephyrine", signal })).toEqual([]);
    expect((await search.search({ query: "xylophone", signal }))[0]?.title).toBe(
      "Harbor Robotics launches a warehouse agent",
    );
    expect((await search.search({ query: "capybara", signal }))[0]?.published_at).toBe("2026-11-24");
    expect(await search.search({ query: "marmoset", signal })).toEqual([]);
    const reopened = corpus();
    expect((await reopened.refresh()).read).toBe(0);
    expect((await reopened.search({ query: "xylophone", signal }))[0]?.title).toBe(
      "Harbor Robotics launches a warehouse agent",
    );
  });
});

describe("damaged index files", () => {
  it("rebuilds from scratch when the manifest or the index is corrupt", async () => {
    await buildCorpusIndex({ folder, home, maxFileBytes: 4000 });
    const [key] = await fs.readdir(path.join(home, "indexes"));
    const directory = path.join(home, "indexes", key ?? "");
    await fs.writeFile(path.join(directory, "manifest.json"), "{not json");
    const afterManifest = await buildCorpusIndex({ folder, home, maxFileBytes: 4000 });
    expect(afterManifest).toMatchObject({ added: 8, files: 8 });
    await fs.writeFile(path.join(directory, "index.json"), "garbage");
    const search = corpus();
    expect((await search.search({ query: "marmoset", signal }))[0]?.title).toBe("Marmoset pricing changes");
    const reopened = corpus();
    expect((await reopened.refresh()).read).toBe(0);
    expect((await reopened.search({ query: "marmoset", signal }))[0]?.title).toBe("Marmoset pricing changes");
  });
});
