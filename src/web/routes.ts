import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Hono } from "hono";
import { pageScript } from "./page-script.js";
import { PAGE_HTML } from "./page-html.js";
import { PAGE_STYLE } from "./page-style.js";

const require = createRequire(import.meta.url);

/** Content-Security-Policy of the page: everything from this server, nothing inline or remote. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * `GET /` and its assets. The page is HTML + CSS shipped as string modules and a script bundled
 * from src/web/client/ by the build (no CDN); Markdown is rendered in the browser by markdown-it's own browser build, read
 * from the installed package at runtime, with `html: false`.
 */
export function registerWebRoutes(app: Hono): void {
  let markdownIt: Promise<string> | null = null;
  const immutable = { "Cache-Control": "no-cache", "Content-Security-Policy": PAGE_CSP };

  app.get("/", (c) => c.html(PAGE_HTML, 200, immutable));
  app.get("/assets/app.js", (c) =>
    c.body(pageScript(), 200, { ...immutable, "Content-Type": "text/javascript; charset=utf-8" }),
  );
  app.get("/assets/app.css", (c) =>
    c.body(PAGE_STYLE, 200, { ...immutable, "Content-Type": "text/css; charset=utf-8" }),
  );
  app.get("/assets/markdown-it.min.js", async (c) => {
    markdownIt ??= readFile(require.resolve("markdown-it/dist/markdown-it.min.js"), "utf8").catch((error: unknown) => {
      markdownIt = null;
      throw error;
    });
    return c.body(await markdownIt, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "max-age=3600",
    });
  });
}
