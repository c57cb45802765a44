import { z } from "zod";

/** A model's price: money per million input and output tokens. */
export type ModelPrice = {
  /** Per 1,000,000 input (prompt) tokens. */
  input: number;
  /** Per 1,000,000 output (completion) tokens. */
  output: number;
  /** ISO 4217 code, e.g. "USD", "CNY". */
  currency: string;
};

/** Money spent or estimated. */
export type Cost = { amount: number; currency: string };

/**
 * Date the built-in prices were read off the providers' public pricing pages. Prices change:
 * re-check them against those pages (docs/cost.md lists them) and update this table and date.
 */
export const PRICES_AS_OF = "2025-10-01";

/**
 * List prices (standard tier, no cache discounts) of the model presets' default models, keyed
 * `provider/model`. `ollama/*` covers any local model: running it costs no money per token.
 */
export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  "openai/gpt-4.1-mini": { input: 0.4, output: 1.6, currency: "USD" },
  "doubao/doubao-1-5-pro-32k-250115": { input: 0.8, output: 2, currency: "CNY" },
  "deepseek/deepseek-chat": { input: 0.28, output: 0.42, currency: "USD" },
  "ollama/*": { input: 0, output: 0, currency: "USD" },
};

const priceSchema = z
  .object({
    input: z
      .number({ error: "input must be a number (money per 1M input tokens)" })
      .nonnegative("input must be 0 or more"),
    output: z
      .number({ error: "output must be a number (money per 1M output tokens)" })
      .nonnegative("output must be 0 or more"),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, "currency must be a three-letter code such as USD or CNY")
      .transform((code) => code.toUpperCase())
      .default("USD"),
  })
  .strict();

/** Price overrides: `{"<model or provider/model>": {input, output, currency?}}`. */
export const priceOverridesSchema = z.record(z.string().trim().min(1, "a model name must not be empty"), priceSchema);
export type PriceOverrides = z.infer<typeof priceOverridesSchema>;

/**
 * Parses the JSON of `REPORT_MCP_PRICES` / `config set prices`. Returns the overrides or a
 * message saying what is wrong and showing the expected shape.
 */
export function parsePriceOverrides(
  text: string,
): { ok: true; value: PriceOverrides } | { ok: false; problem: string } {
  const example = `expected JSON like {"gpt-4.1-mini": {"input": 0.4, "output": 1.6, "currency": "USD"}} (money per 1M tokens)`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problem: `not valid JSON; ${example}` };
  }
  const parsed = priceOverridesSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `"${issue.path.map(String).join(".")}": ` : "";
  return { ok: false, problem: `${where}${issue?.message ?? "invalid"}; ${example}` };
}

/**
 * The price of a model: an override for `provider/model`, else for `model`, else the built-in
 * table (`provider/model`, then `provider/*`); null when unknown.
 */
export function findPrice(options: {
  provider: string | null;
  model: string | null;
  overrides?: PriceOverrides | null;
}): ModelPrice | null {
  const { provider, model, overrides } = options;
  if (!model) return null;
  const full = provider ? `${provider}/${model}` : model;
  return (
    overrides?.[full] ??
    overrides?.[model] ??
    PRICE_TABLE[full] ??
    (provider ? PRICE_TABLE[`${provider}/*`] : undefined) ??
    null
  );
}

/** Money for a number of tokens at a price, rounded to 1/1,000,000 of the currency unit. */
export function costOf(usage: { input_tokens: number; output_tokens: number }, price: ModelPrice): Cost {
  const amount = (usage.input_tokens * price.input + usage.output_tokens * price.output) / 1_000_000;
  return { amount: Math.round(amount * 1e6) / 1e6, currency: price.currency };
}

/** "0.0123 USD": a cost for people. */
export function formatCost(cost: Cost): string {
  const digits = cost.amount === 0 ? 2 : cost.amount < 0.01 ? 4 : 2;
  return `${cost.amount.toFixed(digits)} ${cost.currency}`;
}
