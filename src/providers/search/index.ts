export { createTavilySearch, classifyTavilyError, type TavilySearchOptions } from "./tavily.js";
export { createBraveSearch, braveFreshness, BRAVE_DEFAULT_BASE_URL, type BraveSearchOptions } from "./brave.js";
export { createGoogleSearch, GOOGLE_DEFAULT_BASE_URL, type GoogleSearchOptions } from "./google.js";
export { toIsoDate } from "./dates.js";
