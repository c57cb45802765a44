export { createPageFetcher, type PageFetcherOptions } from "./page-fetcher.js";
export {
  isForbiddenAddress,
  ipLiteral,
  systemLookup,
  type HostLookup,
  type ResolvedAddress,
} from "./address-policy.js";
export { extractMainText, capText, type ExtractedText } from "./extract.js";
