/**
 * Turndown (HTML → Markdown) from its browser build. The Node build differs only in how it parses
 * an HTML *string*: it loads `@mixmark-io/domino` for that (8.6 MB installed, ~0.2 s to import).
 * report-mcp always hands turndown a DOM node that linkedom already parsed, so the parser is never
 * needed; the build is bundled into dist, and domino is never installed. Do not pass strings.
 */
import TurndownService from "turndown/lib/turndown.browser.es.js";

export { TurndownService };
