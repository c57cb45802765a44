import { afterEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { createPageFetcher, isForbiddenAddress, type HostLookup } from "../../src/providers/fetch/index.js";
import { startFakeWebsite, type FakePage, type FakeWebsite } from "../fakes/search-servers.js";

let site: FakeWebsite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

async function serve(pages: Record<string, FakePage>): Promise<FakeWebsite> {
  site = await startFakeWebsite(pages);
  return site;
}

const signal = (): AbortSignal => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<ReportError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ReportError);
  return error as ReportError;
}

/** Resolves the fake public names to loopback (where the fake website is), nothing else. */
const fakeDns: HostLookup = async (hostname) => {
  if (hostname.endsWith(".example.test")) return [{ address: "127.0.0.1", family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
};

/** Treats the fake "public" names as public; everything else is judged by the real policy. */
const treatFakePublicAsPublic = (address: string, hostname: string): boolean =>
  hostname.startsWith("public") || isForbiddenAddress(address) === null;

const ARTICLE = `<!doctype html>
<html lang="en"><head>
  <meta charset="utf-8">
  <title>Toyota sets 2027 date for solid-state batteries | Example News</title>
  <meta property="article:published_time" content="2026-11-20T08:30:00Z">
  <script>window.tracking = "TRACKING-SCRIPT";</script>
</head><body>
  <header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/tech">Tech</a> MENU-NAVIGATION</nav></header>
  <main><article>
    <h1>Toyota sets 2027 date for solid-state batteries</h1>
    <p class="byline">By A. Reporter</p>
    <p>Toyota said on Tuesday it will begin mass production of solid-state batteries in 2027. The company
    expects the cells to give electric cars a range of about 1,000 kilometres and to recharge in ten minutes.</p>
    <img src="/images/cell.jpg" alt="A battery cell">
    <p>According to <a href="../docs/filing.html">the full filing</a>, the plant will be built in Aichi and
    will employ about 2,000 people once it reaches full output, the company said in a statement.</p>
    <h2>Partners</h2>
    <p>Idemitsu Kosan will supply the sulfide electrolyte; the two firms have worked together since 2023,
    and analysts say the partnership gives Toyota a head start over rivals in Korea and China.</p>
  </article></main>
  <aside>Related: <a href="/other">Other story</a></aside>
  <footer>Copyright Example News. FOOTER-TEXT</footer>
</body></html>`;

describe("page fetcher: SSRF guard", () => {
  it.each([
    ["http://127.0.0.1:{port}/", "loopback address"],
    ["http://localhost:{port}/", "localhost resolves to 127.0.0.1, a loopback address"],
    ["http://10.0.0.1/", "private address"],
    ["http://169.254.169.254/latest/meta-data/", "link-local address"],
    ["http://[::1]:{port}/", "loopback address"],
    ["http://0x7f000001:{port}/", "loopback address"],
    ["http://2130706433:{port}/", "loopback address"],
    ["http://127.1:{port}/", "loopback address"],
    ["http://[::ffff:127.0.0.1]:{port}/", "IPv4-mapped loopback address"],
    ["http://0.0.0.0:{port}/", "unspecified address"],
  ])("refuses %s before connecting", async (template, reason) => {
    const website = await serve({ "/": { body: "<p>secret admin page</p>" } });
    const url = template.replace("{port}", String(website.port));
    const error = await failure(createPageFetcher().fetchPage(url, { signal: signal() }));
    expect(error.type).toBe("search_failed");
    expect(error.message).toMatch(/^refused to fetch http/);
    expect(error.message).toContain(reason);
    expect(website.requests).toEqual([]);
  });

  it("refuses a host name that resolves to a private address", async () => {
    const fetcher = createPageFetcher({ lookup: async () => [{ address: "10.1.2.3", family: 4 }] });
    const error = await failure(fetcher.fetchPage("http://intranet.corp.test/wiki", { signal: signal() }));
    expect(error.message).toBe(
      "refused to fetch http://intranet.corp.test/wiki: intranet.corp.test resolves to 10.1.2.3, a private address",
    );
  });

  it("refuses non-http schemes", async () => {
    const error = await failure(createPageFetcher().fetchPage("file:///etc/passwd", { signal: signal() }));
    expect(error.message).toContain("only http and https");
  });

  it.each(["http://127.0.0.1:{port}/secret", "http://localhost:{port}/secret"])(
    "re-checks every redirect hop: a public-looking host redirecting to %s is refused",
    async (target) => {
      const pages: Record<string, FakePage> = { "/secret": { body: "<p>internal</p>" } };
      const website = await serve(pages);
      const location = target.replace("{port}", String(website.port));
      pages["/start"] = { status: 302, headers: { location }, body: "" };
      const fetcher = createPageFetcher({ lookup: fakeDns, isAddressAllowed: treatFakePublicAsPublic });
      const start = `http://public.example.test:${website.port}/start`;
      const error = await failure(fetcher.fetchPage(start, { signal: signal() }));
      expect(error.message).toMatch(
        new RegExp(`^refused to fetch ${escape(location)} \\(redirected from ${escape(start)}\\): .*loopback address$`),
      );
      expect(website.requests).toEqual(["/start"]);
    },
  );

  it("connects to the address it checked (pinned), not to a fresh DNS answer", async () => {
    const website = await serve({ "/page": { headers: { "content-type": "text/plain" }, body: "pinned ok" } });
    const fetcher = createPageFetcher({ lookup: fakeDns, isAddressAllowed: treatFakePublicAsPublic });
    // "public.example.test" does not exist in real DNS: the request can only work through the pinned address.
    const page = await fetcher.fetchPage(`http://public.example.test:${website.port}/page`, { signal: signal() });
    expect(page.text).toBe("pinned ok");
    expect(website.requests).toEqual(["/page"]);
  });
});

describe("page fetcher: limits", () => {
  it("stops reading at maxBytes", async () => {
    const body = `BEGIN ${"x".repeat(3 * 1024 * 1024)} END`;
    const website = await serve({ "/big": { headers: { "content-type": "text/plain" }, body } });
    const page = await createPageFetcher({ allowPrivate: true, maxBytes: 1000, maxTextChars: 100_000 }).fetchPage(
      `${website.url}/big`,
      {
        signal: signal(),
      },
    );
    expect(page.text.startsWith("BEGIN x")).toBe(true);
    expect(page.text.length).toBeLessThanOrEqual(1000);
    expect(page.text).not.toContain("END");
  });

  it("gives up after timeoutMs with a retryable error", async () => {
    const website = await serve({ "/slow": { delayMs: 3000, body: "<p>late</p>" } });
    const error = await failure(
      createPageFetcher({ allowPrivate: true, timeoutMs: 200 }).fetchPage(`${website.url}/slow`, { signal: signal() }),
    );
    expect(error.message).toBe(`could not fetch ${website.url}/slow: no complete answer within 0.2 s.`);
    expect(error.isRetryable).toBe(true);
  });

  it("ends with cancelled when the caller aborts", async () => {
    // The page never answers within the test's timeout: only the abort can end the fetch.
    const website = await serve({ "/slow": { delayMs: 3_600_000, body: "<p>late</p>" } });
    const controller = new AbortController();
    const pending = failure(
      createPageFetcher({ allowPrivate: true }).fetchPage(`${website.url}/slow`, { signal: controller.signal }),
    );
    await website.received(1);
    controller.abort();
    const error = await pending;
    expect(error.type).toBe("cancelled");
  });

  it("refuses non-text content and too many redirects", async () => {
    const website = await serve({
      "/file.pdf": { headers: { "content-type": "application/pdf" }, body: "%PDF-1.7" },
      "/loop": { status: 301, headers: { location: "/loop" }, body: "" },
    });
    const fetcher = createPageFetcher({ allowPrivate: true, maxRedirects: 3 });
    expect((await failure(fetcher.fetchPage(`${website.url}/file.pdf`, { signal: signal() }))).message).toContain(
      "unsupported content type application/pdf",
    );
    expect((await failure(fetcher.fetchPage(`${website.url}/loop`, { signal: signal() }))).message).toContain(
      "more than 3 redirects",
    );
    expect(website.requests.filter((path) => path === "/loop")).toHaveLength(4);
  });

  it("reports HTTP errors with their status", async () => {
    const website = await serve({ "/gone": { status: 404, body: "nope" }, "/down": { status: 503, body: "busy" } });
    const fetcher = createPageFetcher({ allowPrivate: true });
    const notFound = await failure(fetcher.fetchPage(`${website.url}/gone`, { signal: signal() }));
    expect(notFound).toMatchObject({ status: 404, isRetryable: false });
    const unavailable = await failure(fetcher.fetchPage(`${website.url}/down`, { signal: signal() }));
    expect(unavailable).toMatchObject({ status: 503, isRetryable: true });
  });
});

describe("page fetcher: main text", () => {
  it("extracts a realistic article as Markdown with absolute links, after a redirect", async () => {
    const website = await serve({
      "/old-url": { status: 301, headers: { location: "/news/2026/toyota" }, body: "" },
      "/news/2026/toyota": { body: ARTICLE },
    });
    const page = await createPageFetcher({ allowPrivate: true }).fetchPage(`${website.url}/old-url`, {
      signal: signal(),
    });
    expect(page.url).toBe(`${website.url}/news/2026/toyota`);
    expect(page.title).toContain("Toyota sets 2027 date for solid-state batteries");
    expect(page.published_at).toBe("2026-11-20T08:30:00.000Z");
    expect(page.text).toContain("mass production of solid-state batteries in 2027");
    expect(page.text).toContain(`[the full filing](${website.url}/news/docs/filing.html)`);
    expect(page.text).toContain("## Partners");
    for (const noise of ["MENU-NAVIGATION", "FOOTER-TEXT", "TRACKING-SCRIPT", "cell.jpg", "!["])
      expect(page.text).not.toContain(noise);
  });

  it("falls back to the body text when there is no article, and decodes a GBK page", async () => {
    const gbkTitle = Buffer.from([0xd6, 0xd0, 0xce, 0xc4]); // 中文 in GBK
    const website = await serve({
      "/short": {
        body: "<html><body><div>Just one short line, <b>bold</b>.</div><script>SCRIPT</script></body></html>",
      },
      "/gbk": {
        headers: { "content-type": "text/html" },
        body: Buffer.concat([
          Buffer.from('<html><head><meta charset="gbk"><title>'),
          gbkTitle,
          Buffer.from("</title></head><body><p>x</p></body></html>"),
        ]),
      },
      "/plain.txt": {
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: "Line one.\r\nLine two: 固态电池。",
      },
    });
    const fetcher = createPageFetcher({ allowPrivate: true });
    const short = await fetcher.fetchPage(`${website.url}/short`, { signal: signal() });
    expect(short.text).toBe("Just one short line, **bold**.");
    const gbk = await fetcher.fetchPage(`${website.url}/gbk`, { signal: signal() });
    expect(gbk.title).toBe("中文");
    const plain = await fetcher.fetchPage(`${website.url}/plain.txt`, { signal: signal() });
    expect(plain.text).toBe("Line one.\nLine two: 固态电池。");
  });

  it("caps the returned text", async () => {
    const paragraphs = Array.from(
      { length: 200 },
      (_, index) => `<p>Paragraph ${index} of a very long article about batteries and cars, with enough words.</p>`,
    ).join("");
    const website = await serve({
      "/long": { body: `<html><head><title>Long</title></head><body><article>${paragraphs}</article></body></html>` },
    });
    const page = await createPageFetcher({ allowPrivate: true, maxTextChars: 2000 }).fetchPage(`${website.url}/long`, {
      signal: signal(),
    });
    expect(page.text.length).toBeLessThanOrEqual(2001);
    expect(page.text.endsWith("…")).toBe(true);
    expect(page.text).toContain("Paragraph 0 ");
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
