/**
 * In-process fakes of the provider contracts, for pipeline tests that need no sockets.
 * The model answers through the same research responder the loopback fake uses.
 */
import type {
  GenerateObjectRequest,
  GenerateTextRequest,
  LanguageModel,
  SearchHit,
  SearchProvider,
  SearchRequest,
} from "../../src/core/types.js";
import { ReportError, cancelledError } from "../../src/core/errors.js";
import { Notifier } from "../helpers/notifier.js";
import type { FakeResponder } from "./openai-server.js";

export class FakeModel implements LanguageModel {
  readonly provider = "custom";
  readonly model = "fake-model";
  readonly calls: Array<{ system: string }> = [];
  readonly #arrivals = new Notifier();

  constructor(
    private readonly responder: FakeResponder,
    private readonly options: { latencyMs?: number } = {},
  ) {}

  private async call(request: GenerateTextRequest): Promise<string> {
    if (request.signal.aborted) throw cancelledError(request.signal.reason);
    this.calls.push({ system: request.messages[0]?.content ?? "" });
    this.#arrivals.notify();
    const reply = await this.responder(
      { body: { messages: request.messages }, headers: {}, path: "/v1/chat/completions" },
      this.calls.length - 1,
    );
    if (this.options.latencyMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.options.latencyMs);
        request.signal.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            reject(cancelledError(request.signal.reason));
          },
          { once: true },
        );
      });
    }
    if (reply.status && reply.status >= 400)
      throw new ReportError("model_call_failed", `fake model failed with HTTP ${reply.status}`);
    const content = reply.content ?? "";
    await request.onUsage({ input_tokens: 100, output_tokens: Math.ceil(content.length / 4), estimated: false });
    return content;
  }

  /** Resolves once `count` calls have been made. */
  received(count: number): Promise<void> {
    return this.#arrivals.until(() => this.calls.length >= count);
  }

  generateText(request: GenerateTextRequest): Promise<string> {
    return this.call(request);
  }

  async generateObject<T>(request: GenerateObjectRequest<T>): Promise<T> {
    const text = await this.call(request);
    const parsed = request.schema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new ReportError("model_output_invalid", parsed.error.message);
    return parsed.data;
  }
}

/** Answers every query with `perQuery` hits on example.com, dated yesterday. */
export class FakeSearch implements SearchProvider {
  readonly calls: Array<{ query: string }> = [];
  readonly #arrivals = new Notifier();

  constructor(
    readonly name: string,
    private readonly options: {
      perQuery?: number;
      empty?: (query: string) => boolean;
      fail?: boolean;
      now?: Date;
    } = {},
  ) {}

  /** Resolves once `count` searches have been made. */
  received(count: number): Promise<void> {
    return this.#arrivals.until(() => this.calls.length >= count);
  }

  async search(request: SearchRequest): Promise<SearchHit[]> {
    if (request.signal.aborted) throw cancelledError(request.signal.reason);
    this.calls.push({ query: request.query });
    this.#arrivals.notify();
    if (this.options.fail)
      throw new ReportError("search_failed", `${this.name} is down (HTTP 500)`, { retryable: true, status: 500 });
    if (this.options.empty?.(request.query)) return [];
    const published = new Date((this.options.now ?? new Date()).getTime() - 86_400_000).toISOString();
    const slug = encodeURIComponent(request.query.replace(/\s+/g, "-"));
    return Array.from({ length: this.options.perQuery ?? 3 }, (_, index) => ({
      title: `${request.query} (${index + 1})`,
      url: `https://example.com/${this.name}/${slug}/${index + 1}`,
      content: `Evidence ${index + 1} for ${request.query}. It states a fact worth citing.`,
      published_at: published,
      provider: this.name,
    }));
  }
}
