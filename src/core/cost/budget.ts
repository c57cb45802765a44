import { ReportError } from "../errors.js";
import { estimateChatTokens } from "../text/tokens.js";
import type { ChatMessage, ModelCallTicket, ModelUsage } from "../types.js";
import { costOf, formatCost, type Cost, type ModelPrice } from "./prices.js";

/** Token cap of a run when nobody set `max_tokens` (prompt + completion, all calls). */
export const DEFAULT_MAX_TOKENS = 1_000_000;

/** Per-run bounds against runaway work, whatever the budget (settings; docs/cost.md). */
export type RunGuards = {
  /** Model calls, retries included. */
  maxModelCalls: number;
  /** Search requests (one query to one provider). */
  maxSearchCalls: number;
  /** Page fetches. */
  maxPageFetches: number;
  /** Estimated input tokens of any one prompt. */
  maxPromptTokens: number;
};

export const DEFAULT_GUARDS: RunGuards = {
  maxModelCalls: 300,
  maxSearchCalls: 400,
  maxPageFetches: 200,
  maxPromptTokens: 60_000,
};

/**
 * Local estimates of a prompt can be below the provider's count (other tokenizers); a call is
 * admitted only when its input with this margin fits.
 */
const INPUT_MARGIN = 1.15;
/** A call is not started when it could answer with fewer tokens than this. */
const MIN_OUTPUT_TOKENS = 64;
/** Output reserved for a call that names no limit. */
const DEFAULT_OUTPUT_TOKENS = 2000;

export type BudgetLimits = {
  maxTokens: number;
  /** Money cap in `price.currency`; null = none. */
  maxCost: number | null;
  price: ModelPrice | null;
  guards: RunGuards;
};

export type BudgetSnapshot = {
  max_tokens: number;
  max_cost: number | null;
  spent_tokens: number;
  spent_cost: Cost | null;
  model_calls: number;
  search_calls: number;
  page_fetches: number;
  /** True when the budget or a guard cut work short (fewer rounds, sections, or a stop). */
  limited: boolean;
};

/**
 * The money and token budget of one run, shared by all its model calls (sections run in
 * parallel): each call reserves its prompt plus its output limit before it starts and settles
 * with the real usage afterwards, so calls in flight can never together pass the cap.
 */
export class RunBudget {
  private spentInput = 0;
  private spentOutput = 0;
  private reservedTokens = 0;
  private reservedCost = 0;
  private modelCalls = 0;
  private searchCalls = 0;
  private pageFetches = 0;
  limited = false;

  constructor(readonly limits: BudgetLimits) {}

  get spentTokens(): number {
    return this.spentInput + this.spentOutput;
  }

  get spentCost(): Cost | null {
    return this.limits.price
      ? costOf({ input_tokens: this.spentInput, output_tokens: this.spentOutput }, this.limits.price)
      : null;
  }

  /**
   * Tokens still free for planning: the token cap and, with a money cap, what the remaining money
   * buys at the dearer of the two prices.
   */
  remainingTokens(): number {
    let remaining = this.limits.maxTokens - this.spentTokens - this.reservedTokens;
    const { maxCost, price } = this.limits;
    if (maxCost !== null && price) {
      const dearest = Math.max(price.input, price.output);
      if (dearest > 0)
        remaining = Math.min(
          remaining,
          Math.floor(((maxCost - (this.spentCost?.amount ?? 0) - this.reservedCost) * 1_000_000) / dearest),
        );
    }
    return Math.max(0, remaining);
  }

  /**
   * Admits one model call (an attempt: retries are calls too) or throws `budget_exceeded`. Returns
   * the output limit the call may use (lowered to fit) and a settle function for its usage.
   */
  admit(call: { messages: ChatMessage[]; maxOutputTokens: number | undefined }): ModelCallTicket {
    const { guards, maxTokens, maxCost, price } = this.limits;
    if (this.modelCalls >= guards.maxModelCalls) {
      throw this.stop(
        `the run reached its limit of ${guards.maxModelCalls} model calls (retries included)`,
        "max_model_calls",
        guards.maxModelCalls,
      );
    }
    const input = estimateChatTokens({ messages: call.messages });
    if (input > guards.maxPromptTokens) {
      throw this.stop(
        `one prompt would be ~${input} tokens, over the limit of ${guards.maxPromptTokens} per prompt`,
        "max_prompt_tokens",
        guards.maxPromptTokens,
      );
    }
    const inputReserve = Math.ceil(input * INPUT_MARGIN);
    const wanted = call.maxOutputTokens ?? DEFAULT_OUTPUT_TOKENS;
    let room = maxTokens - this.spentTokens - this.reservedTokens - inputReserve;
    if (maxCost !== null && price && price.output > 0) {
      const moneyLeft =
        maxCost - (this.spentCost?.amount ?? 0) - this.reservedCost - (inputReserve * price.input) / 1_000_000;
      room = Math.min(room, Math.floor((moneyLeft * 1_000_000) / price.output));
    }
    if (room < Math.min(MIN_OUTPUT_TOKENS, wanted)) {
      throw this.stop(this.describeBudget(inputReserve), "budget");
    }
    const output = Math.min(wanted, room);
    if (output < wanted) this.limited = true;
    const reservation = inputReserve + output;
    const reservedMoney = price ? (inputReserve * price.input + output * price.output) / 1_000_000 : 0;
    this.modelCalls += 1;
    this.reservedTokens += reservation;
    this.reservedCost += reservedMoney;
    let settled = false;
    return {
      maxOutputTokens: output,
      settle: (usage: ModelUsage | null) => {
        if (settled) return;
        settled = true;
        this.reservedTokens -= reservation;
        this.reservedCost -= reservedMoney;
        if (usage) {
          this.spentInput += usage.input_tokens;
          this.spentOutput += usage.output_tokens;
        }
      },
    };
  }

  /**
   * Grants search requests for `queries` queries sent to `providers` providers each; returns how
   * many queries may run (past the guard, queries are dropped, not fatal).
   */
  takeSearches(queries: number, providers: number): number {
    const perQuery = Math.max(1, providers);
    const allowed = Math.max(
      0,
      Math.min(queries, Math.floor((this.limits.guards.maxSearchCalls - this.searchCalls) / perQuery)),
    );
    this.searchCalls += allowed * perQuery;
    if (allowed < queries) this.limited = true;
    return allowed;
  }

  /** Counts a search request made outside the planned batches (the time-window probe): counted, never refused. */
  noteSearch(): void {
    this.searchCalls += 1;
  }

  /** Whether another page may be fetched (past the guard, pages are skipped, not fatal). */
  tryFetch(): boolean {
    if (this.pageFetches >= this.limits.guards.maxPageFetches) {
      this.limited = true;
      return false;
    }
    this.pageFetches += 1;
    return true;
  }

  snapshot(): BudgetSnapshot {
    return {
      max_tokens: this.limits.maxTokens,
      max_cost: this.limits.maxCost,
      spent_tokens: this.spentTokens,
      spent_cost: this.spentCost,
      model_calls: this.modelCalls,
      search_calls: this.searchCalls,
      page_fetches: this.pageFetches,
      limited: this.limited,
    };
  }

  private describeBudget(inputReserve: number): string {
    const { maxTokens, maxCost, price } = this.limits;
    const spent = this.spentCost;
    const money =
      maxCost !== null && price
        ? `, ${spent ? formatCost(spent) : "0"} of ${formatCost({ amount: maxCost, currency: price.currency })}`
        : "";
    return `the next model call (~${inputReserve} prompt tokens) does not fit the budget: ${this.spentTokens} of ${maxTokens} tokens spent${money}`;
  }

  /** The `budget_exceeded` error; the hint names the limit reached (each face says how to raise it). */
  private stop(
    reason: string,
    setting: "budget" | "max_model_calls" | "max_prompt_tokens",
    value?: number,
  ): ReportError {
    this.limited = true;
    return new ReportError("budget_exceeded", `The run's budget stopped work: ${reason}.`, {
      hint: { kind: "raise_setting", setting, ...(value === undefined ? {} : { value }) },
    });
  }
}

/** True for the error the budget or a guard stops work with. */
export function isBudgetStop(error: unknown): error is ReportError {
  return error instanceof ReportError && error.type === "budget_exceeded";
}
