import type { LanguageModel, ModelCallGate, ModelUsage } from "../types.js";
import { judgeMessages, judgeReplySchema, type JudgeItem } from "./judge-prompt.js";

export type { JudgeItem } from "./judge-prompt.js";

export type JudgeRequest = {
  items: JudgeItem[];
  signal: AbortSignal;
  onUsage: (usage: ModelUsage) => void | Promise<void>;
  gate?: ModelCallGate | undefined;
};

/**
 * Decides grey-zone claims that the lexical check cannot: one call for a batch of claims.
 * Returns a verdict per item id; ids it leaves out stay undecided (the lexical fallback applies).
 */
export type ClaimJudge = {
  judge(request: JudgeRequest): Promise<Map<number, boolean>>;
};

/** Output tokens allowed per judged claim (a verdict is about a dozen tokens of JSON). */
const OUTPUT_TOKENS_PER_ITEM = 24;

/** The model judge: one small structured call (`citation_verdicts`) per batch. */
export function createModelJudge(options: { model: LanguageModel }): ClaimJudge {
  const { model } = options;
  return {
    async judge({ items, signal, onUsage, gate }) {
      if (items.length === 0) return new Map();
      const reply = await model.generateObject({
        messages: judgeMessages(items),
        schema: judgeReplySchema,
        schemaName: "citation_verdicts",
        signal,
        onUsage,
        gate,
        maxOutputTokens: 60 + OUTPUT_TOKENS_PER_ITEM * items.length,
        temperature: 0,
      });
      const known = new Set(items.map((item) => item.id));
      return new Map(
        reply.verdicts.filter((verdict) => known.has(verdict.id)).map((verdict) => [verdict.id, verdict.supported]),
      );
    },
  };
}
