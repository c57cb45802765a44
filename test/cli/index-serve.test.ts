import http from "node:http";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestCli } from "../helpers/cli-context.js";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-index-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function writeCorpus(folder: string, count: number): Promise<void> {
  await fs.mkdir(folder, { recursive: true });
  for (let index = 0; index < count; index += 1) {
    await fs.writeFile(
      path.join(folder, `note-${index}.md`),
      `---\ntitle: Note ${index}\ndate: 2026-11-${String(10 + (index % 15)).padStart(2, "0")}\n---\n\nSolid-state battery note ${index}: pilot lines and energy density figures.\n`,
    );
  }
  await fs.writeFile(path.join(folder, "broken.pdf"), "%PDF-1.4 this is not a real pdf");
}

function cli(options: { tty?: boolean } = {}) {
  return createTestCli({ env: { REPORT_MCP_HOME: path.join(dir, "home") }, cwd: dir, ...options });
}

describe("report-mcp index", () => {
  it("builds the index, prints progress lines on stderr and the statistics on stdout; a re-run finds nothing changed", async () => {
    await writeCorpus(path.join(dir, "corpus"), 12);
    const first = cli();
    expect(await first.run(["index", "corpus"])).toBe(0);
    expect(first.stderr.text()).toMatch(/^\[indexing\] \d+\/\d+ files \(\d+%\)$/m);
    expect(first.stderr.text()).toMatch(/\(100%\)/);
    const stats = first.stdout.text();
    expect(stats).toContain(`Indexed ${path.join(dir, "corpus")}`);
    expect(stats).toMatch(/files: 12 {2}chunks: \d+/);
    expect(stats).toMatch(/added: 12 {2}updated: 0 {2}removed: 0 {2}unchanged: 0/);
    expect(stats).toMatch(/skipped: 1\n {4}.*broken\.pdf: .+/);

    const second = cli();
    expect(await second.run(["index", path.join(dir, "corpus")])).toBe(0);
    expect(second.stdout.text()).toMatch(/added: 0 {2}updated: 0 {2}removed: 0 {2}unchanged: 1[23]\n/);
  });

  it("prints counts that add up: files = added + updated + unchanged, excluded and skipped files apart", async () => {
    await writeCorpus(path.join(dir, "corpus"), 5);
    await fs.writeFile(
      path.join(dir, "corpus", "README.md"),
      "---\nindex: false\n---\n\nHow this folder is organised.\n",
    );
    const counts = (text: string) => {
      const number = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(text)?.[1]);
      return {
        files: number("files"),
        added: number("added"),
        updated: number("updated"),
        unchanged: number("unchanged"),
        skipped: number("skipped"),
      };
    };
    const first = cli();
    expect(await first.run(["index", "corpus"])).toBe(0);
    expect(counts(first.stdout.text())).toEqual({ files: 5, added: 5, updated: 0, unchanged: 0, skipped: 1 });
    await fs.writeFile(
      path.join(dir, "corpus", "note-0.md"),
      "---\ntitle: Note 0\n---\n\nRewritten: sodium-ion cells.\n",
    );
    const second = cli();
    expect(await second.run(["index", "corpus"])).toBe(0);
    expect(counts(second.stdout.text())).toEqual({ files: 5, added: 0, updated: 1, unchanged: 4, skipped: 1 });
    const third = cli();
    expect(await third.run(["index", "corpus"])).toBe(0);
    expect(counts(third.stdout.text())).toEqual({ files: 5, added: 0, updated: 0, unchanged: 5, skipped: 1 });
  });

  it("draws a bar on a terminal", async () => {
    await writeCorpus(path.join(dir, "corpus"), 3);
    const test = cli({ tty: true });
    expect(await test.run(["index", "corpus"])).toBe(0);
    expect(test.stderr.text()).toMatch(/\rIndexing \[█+\] 100% \d+\/\d+ files/);
  });

  it("a missing folder is a usage error", async () => {
    const test = cli();
    expect(await test.run(["index", "nowhere"])).toBe(2);
    expect(test.stderr.text()).toBe(`report-mcp: ${path.join(dir, "nowhere")} is not a folder\n`);
  });
});

describe("report-mcp serve", () => {
  it("serves until Ctrl-C, then closes and exits 0", async () => {
    const test = cli();
    const running = test.run(["serve", "--sse", "--port", "0"]);
    await test.stderr.until(/serving on (http:\/\/\S+)/);
    const url = /serving on (http:\/\/\S+)/.exec(test.stderr.text())?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    test.interrupt();
    expect(await running).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it("accepts the Host names given with --allowed-host (a reverse proxy) and still refuses others", async () => {
    const test = cli();
    const running = test.run(["serve", "--port", "0", "--allowed-host", "reports.example.test"]);
    await test.stderr.until(/serving on (http:\/\/\S+)/);
    const url = new URL(/serving on (http:\/\/\S+)/.exec(test.stderr.text())?.[1] ?? "");
    const status = (hostHeader: string) =>
      new Promise<number>((resolve, reject) => {
        const request = http.request(
          { host: "127.0.0.1", port: url.port, path: "/health", headers: { host: hostHeader } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on("error", reject);
        request.end();
      });
    expect(await status("reports.example.test")).toBe(200);
    expect(await status("evil.example.test")).toBe(403);
    test.interrupt();
    expect(await running).toBe(0);
  });

  it("refuses a bad port and, through the server, a public address without a token", async () => {
    const port = cli();
    expect(await port.run(["serve", "--port", "99999"])).toBe(2);
    expect(port.stderr.text()).toContain("--port must be a whole number from 0 to 65535");
    const host = cli();
    expect(await host.run(["serve", "--allowed-host", "http://x/"])).toBe(2);
    expect(host.stderr.text()).toContain("--allowed-host must be a host name");
    const cap = cli();
    expect(await cap.run(["serve", "--max-concurrent", "0"])).toBe(2);
    expect(cap.stderr.text()).toContain("--max-concurrent must be a whole number from 1 to 1000");
    const open = cli();
    const code = await open.run(["serve", "--host", "0.0.0.0", "--port", "0"]);
    expect(code).not.toBe(0);
    expect(open.stderr.text()).toMatch(/token/i);
  });
});
