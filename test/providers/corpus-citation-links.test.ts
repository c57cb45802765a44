/**
 * Local sources a reader can open: corpus citations are absolute file:/// URLs
 * that resolve to the cited files in `--out x.html`; the server's read-only document route serves
 * a cited document's text and nothing outside the configured corpus folders; the web page links
 * corpus citations to that route.
 */
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/app/settings.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { ensureBuilt } from "../helpers/build.js";
import { cleanEnv, runBinary } from "../helpers/run-binary.js";

const FIXTURE = path.resolve("test/fixtures/extractive-corpus");
const CHROMIUM = "/usr/bin/chromium";
let dir: string;
let corpus: string;
let server: HttpServerHandle;

beforeAll(async () => {
  await ensureBuilt();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-citations-"));
  // A copy of the test corpus with a space in its path, a hidden file, a non-document, and a symlink leaving it.
  corpus = path.join(dir, "My Corpus");
  await fs.cp(FIXTURE, corpus, { recursive: true });
  await fs.writeFile(
    path.join(dir, "secret.md"),
    "---\ntitle: Secret\n---\n\nThe secret lives outside the corpus folder.\n",
  );
  await fs.mkdir(path.join(corpus, ".private"));
  await fs.writeFile(path.join(corpus, ".private", "hidden.md"), "# Hidden\n\nNot for the web page.\n");
  await fs.writeFile(path.join(corpus, "settings.json"), "{}\n");
  await fs.symlink(path.join(dir, "secret.md"), path.join(corpus, "link-to-secret.md"));
  server = await serveHttp({
    settings: settingsSchema.parse({ corpus: [corpus], home: path.join(dir, "home") }),
    port: 0,
  });
}, 180_000);
afterAll(async () => {
  await server?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const documentUrl = (fileUrl: string) => `${server.url}/corpus/document?url=${encodeURIComponent(fileUrl)}`;

describe("corpus citations in --out x.html", () => {
  it("link every cited document by an absolute file:/// URL that resolves to the file, and show its path in the corpus", async () => {
    const out = path.join(dir, "out", "report.html");
    const env = cleanEnv({ HOME: dir, REPORT_MCP_HOME: path.join(dir, "cli-home") });
    const result = await runBinary(
      [
        "run",
        "Solid-state battery industry analysis: market size, key players and costs",
        "--corpus",
        corpus,
        "--out",
        out,
      ],
      { env, cwd: dir },
    );
    expect(result.code).toBe(0);
    const html = await fs.readFile(out, "utf8");
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]?.replace(/&amp;/g, "&") ?? "");
    const files = links.filter((link) => link.startsWith("file:"));
    expect(files.length).toBeGreaterThan(2);
    for (const link of files) {
      expect(link).toMatch(/^file:\/\/\//);
      const file = fileURLToPath(link);
      expect(existsSync(file), file).toBe(true);
      expect(file.startsWith(`${corpus}${path.sep}`)).toBe(true);
    }
    // The path inside the corpus is shown next to each link.
    expect(html).toMatch(/<code>My Corpus\/batteries-en\/[^<]+\.(?:md|html)<\/code>/);
  }, 60_000);
});

describe("GET /corpus/document", () => {
  it("serves a cited document's text, title, date and location as plain text", async () => {
    const file = path.join(corpus, "batteries-en", "2026-11-12-lithium-sulfide-supply.html");
    const response = await fetch(documentUrl(pathToFileURL(file).href));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; charset=utf-8/);
    expect(response.headers.get("content-security-policy")).toContain("sandbox");
    const text = await response.text();
    expect(text).toMatch(
      /^Lithium sulfide shortage slows solid-state lines\nDate: 2026-11-12\nLocation: My Corpus\/batteries-en\/2026-11-12-lithium-sulfide-supply\.html\n/,
    );
    expect(text).toContain("High-purity lithium sulfide");
    expect(text).not.toMatch(/<script|<p>|cookie-banner/);
  });

  it("refuses traversal, symlinks and files outside the configured folders, hidden files and non-documents", async () => {
    const root = pathToFileURL(corpus).href;
    const cases: Array<[string, number]> = [
      [`${root}/../secret.md`, 403],
      [`${root}/%2e%2e/secret.md`, 403],
      [`${root}/agents-en/..%2F..%2Fsecret.md`, 400],
      [pathToFileURL(path.join(dir, "secret.md")).href, 403],
      [pathToFileURL(path.join(corpus, "link-to-secret.md")).href, 403],
      [pathToFileURL(path.join(corpus, ".private", "hidden.md")).href, 403],
      ["file:///etc/passwd", 403],
      [pathToFileURL(path.join(corpus, "settings.json")).href, 415],
      [pathToFileURL(path.join(corpus, "missing.md")).href, 404],
      [pathToFileURL(path.join(corpus, "README.md")).href, 403],
      ["https://example.com/a.md", 400],
      ["not a url", 400],
    ];
    for (const [url, status] of cases) {
      const response = await fetch(documentUrl(url));
      const body = (await response.json()) as { error?: { data?: { message?: string } } };
      expect(response.status, url).toBe(status);
      expect(body.error?.data?.message, url).toBeTruthy();
      expect(JSON.stringify(body)).not.toContain("The secret lives");
    }
    expect((await fetch(`${server.url}/corpus/document`)).status).toBe(400);
  });
});

describe("corpus citations on the web page (headless Chromium)", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("links each corpus source, in the list and in the references, to the document route, which opens its text", async () => {
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${server.url}/`);
    await page.fill("#task", "Research report on the stability of perovskite solar cells");
    await page.fill("#max_iterations", "1");
    await page.click("#start");
    await page.waitForSelector("#report-panel:not([hidden])", { timeout: 30_000 });
    const listed = await page.$$eval("#sources li a", (nodes) =>
      nodes.map((node) => (node as HTMLAnchorElement).getAttribute("href") ?? ""),
    );
    expect(listed.length).toBeGreaterThan(0);
    for (const href of listed) expect(href).toMatch(/^\/corpus\/document\?url=file%3A%2F%2F%2F/);
    const inReport = await page.$$eval("#report a", (nodes) =>
      nodes.map((node) => (node as HTMLAnchorElement).getAttribute("href") ?? ""),
    );
    expect(inReport.filter((href) => href.startsWith("/corpus/document?url=")).length).toBe(listed.length);
    const opened = await page.request.get(`${server.url}${listed[0]}`);
    expect(opened.status()).toBe(200);
    expect(await opened.text()).toMatch(/^.+\nDate: 2026-\d\d-\d\d\nLocation: My Corpus\/perovskite\//);
    expect(errors).toEqual([]);
  }, 60_000);
});
