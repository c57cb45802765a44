import { z } from "zod";
import { estimateChatTokens, estimateTokens } from "../../core/text/tokens.js";
import type { ChatMessage, ModelUsage } from "../../core/types.js";

const apiUsageSchema = z.object({
  prompt_tokens: z.number().nonnegative().nullish(),
  completion_tokens: z.number().nonnegative().nullish(),
});

/** Reads an API `usage` object leniently; null when it is missing or lacks either count. */
export function readApiUsage(raw: unknown): ModelUsage | null {
  const parsed = apiUsageSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { prompt_tokens: input, completion_tokens: output } = parsed.data;
  if (input == null || output == null) return null;
  return { input_tokens: Math.round(input), output_tokens: Math.round(output), estimated: false };
}

/**
 * Estimates the usage of a call locally (`estimateTokens`, the same count the evidence budget
 * uses) for APIs that return none; marked `estimated`. `output` should include reasoning text the
 * model streamed, since it is billed too.
 */
export function estimateUsage(options: { messages: ChatMessage[]; output: string }): ModelUsage {
  return {
    input_tokens: estimateChatTokens({ messages: options.messages }),
    output_tokens: estimateTokens(options.output),
    estimated: true,
  };
}
