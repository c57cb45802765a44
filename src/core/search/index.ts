export { runSearches, type SearchRunOptions, type SearchRunResult } from "./run-searches.js";
export { normalizeUrl, dedupeHits, shingles, jaccard, containment, type DedupeOptions } from "./dedupe.js";
