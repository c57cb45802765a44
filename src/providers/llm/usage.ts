import { z } from "zod";
import type { ChatMessage, ModelUsage } from "../../core/types.js";

const apiUsageSchema = z.object({
  prompt_tokens: z.number().nonnegative().nullish(),
  completion_tokens: z.number().nonnegative().nullish(),
});

/** Tokens added per chat message and per reply by the chat format (OpenAI's published figures). */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_REPLY = 3;

/** Reads an API `usage` object leniently; null when it is missing or lacks either count. */
export function readApiUsage(raw: unknown): ModelUsage | null {
  const parsed = apiUsageSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { prompt_tokens: input, completion_tokens: output } = parsed.data;
  if (input == null || output == null) return null;
  return { input_tokens: Math.round(input), output_tokens: Math.round(output), estimated: false };
}

/**
 * Counts the tokens of a call locally (`gpt-tokenizer`, o200k) for APIs that return no usage.
 * `output` should include reasoning text the model streamed, since it is billed too.
 */
export async function estimateUsage(options: { messages: ChatMessage[]; output: string }): Promise<ModelUsage> {
  const { encode } = await import("gpt-tokenizer");
  let input = TOKENS_PER_REPLY;
  for (const message of options.messages) input += TOKENS_PER_MESSAGE + encode(message.content).length;
  return { input_tokens: input, output_tokens: encode(options.output).length, estimated: true };
}
