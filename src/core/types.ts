import type { z } from "zod";

/* ---------- search ---------- */

/** One result from a search provider, before numbering. */
export type SearchHit = {
  title: string;
  url: string;
  /** Snippet or passage text. */
  content: string;
  /** ISO 8601 date when known. */
  published_at?: string | null;
  /** Provider relevance score when given (higher is better). */
  score?: number | null;
  /** Provider name: "tavily", "brave", "google", "corpus". */
  provider: string;
  /** Where a reader finds it when the URL alone does not say: for corpus documents, the folder's name and the path inside it. */
  location?: string | null;
};

export type SearchRequest = {
  query: string;
  /** Time window in days; providers map it to their own freshness filter. */
  days?: number;
  maxResults?: number;
  signal: AbortSignal;
  /**
   * Tells the run about a degraded-but-continuing condition (e.g. corpus files skipped), so it
   * lands in the run's warnings. May be called on every search; the run reports each message once.
   */
  onNotice?: (message: string) => void | Promise<void>;
};

/** A web or corpus search backend. Implementations retry their own transient failures. */
export interface SearchProvider {
  readonly name: string;
  search(request: SearchRequest): Promise<SearchHit[]>;
}

/* ---------- page fetching ---------- */

export type FetchedPage = {
  /** Final URL after redirects. */
  url: string;
  title?: string | null;
  /** The article's text only (no bylines, share bars, ads, related lists, comments), as Markdown. */
  text: string;
  /** ISO 8601 publication date (JSON-LD `datePublished`, `article:published_time`, `<time datetime>` …). */
  published_at?: string | null;
  /** ISO 8601 date of the last modification, when the page states one. */
  modified_at?: string | null;
  /**
   * The URL the page names as its original (`<link rel="canonical">`, else `og:url`), absolute;
   * a syndicated copy points at the outlet that first published the story.
   */
  canonical_url?: string | null;
  /** Author(s) as the page's metadata names them. */
  author?: string | null;
  /** Publication name (`og:site_name`, JSON-LD publisher). */
  site_name?: string | null;
  /** BCP 47 language of the page (`<html lang>`, else detected), when known. */
  language?: string | null;
};

/** Fetches a page and reduces it to its main text. SSRF-guarded in production. */
export interface PageFetcher {
  fetchPage(url: string, options: { signal: AbortSignal }): Promise<FetchedPage>;
}

/* ---------- language model ---------- */

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** Token usage of one model call. */
export type ModelUsage = {
  input_tokens: number;
  output_tokens: number;
  /** True when counted locally because the API returned no usage. */
  estimated: boolean;
};

/** An admitted model call: the output limit it may use and where its usage is settled. */
export type ModelCallTicket = {
  maxOutputTokens: number | undefined;
  /** Called once after the attempt: its usage, or null when it produced no reply. */
  settle(usage: ModelUsage | null): void;
};

/**
 * Admits each model call attempt (retries included) against the run's budget before any request
 * is sent; throws ReportError `budget_exceeded` when it does not fit.
 */
export type ModelCallGate = (call: { messages: ChatMessage[]; maxOutputTokens: number | undefined }) => ModelCallTicket;

export type GenerateTextRequest = {
  messages: ChatMessage[];
  signal: AbortSignal;
  maxOutputTokens?: number;
  temperature?: number;
  /** Called once per HTTP call made (a repair attempt is a second call). */
  onUsage: (usage: ModelUsage) => void | Promise<void>;
  /** The run's budget; absent = no budget. */
  gate?: ModelCallGate | undefined;
};

export type GenerateObjectRequest<T> = GenerateTextRequest & {
  schema: z.ZodType<T>;
  /** Short identifier used as the JSON schema name, e.g. "outline". */
  schemaName: string;
};

/** An OpenAI-compatible chat model. Errors are ReportErrors (`model_call_failed`, `model_output_invalid`, `cancelled`). */
export interface LanguageModel {
  /** Preset name reported as `model_provider`: openai, doubao, deepseek, ollama, custom. */
  readonly provider: string;
  readonly model: string;
  /** Plain text, with `<think>…</think>` removed. */
  generateText(request: GenerateTextRequest): Promise<string>;
  /** JSON output validated against `schema`, with one repair attempt. */
  generateObject<T>(request: GenerateObjectRequest<T>): Promise<T>;
}
