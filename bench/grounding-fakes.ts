// The test fakes bench/grounding.mjs needs, bundled by it with esbuild (the benches run plain Node
// on the built package; the fixture site and the fake model are TypeScript test code).
export { NEWS_PAGES } from "../test/fixtures/news-site/manifest.js";
export { scoreExtraction } from "../test/fixtures/news-site/score.js";
export { startNewsSite, newsSearchResponder } from "../test/fakes/news-site.js";
export { judgeCitedSentences, duplicateSources, staleOnlyFacts, NEWS_OUTLINES } from "../test/fakes/news-grounding.js";
export { createResearchResponder, stepOf, WRONG_CITING_WRITER } from "../test/fakes/research-responder.js";
export { startFakeOpenAI } from "../test/fakes/openai-server.js";
export { startFakeSearch } from "../test/fakes/search-servers.js";
