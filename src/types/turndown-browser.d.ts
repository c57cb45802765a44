/** turndown's browser build: the same API as the package's main entry (typed by @types/turndown). */
declare module "turndown/lib/turndown.browser.es.js" {
  import TurndownService from "turndown";
  export default TurndownService;
}
