/**
 * Token counts as report-mcp estimates them locally: one estimator, with no vocabulary to load,
 * for everything counted on this side of the API (evidence blocks, prompts, and a call's usage
 * when the API returns none). It mimics the pre-tokenizer of OpenAI's o200k encoding (words,
 * CJK runs, digit groups, punctuation, line breaks) and prices each piece by what o200k spends on
 * such pieces on average. Measured against o200k by `bench/token-estimate.mjs` on news prose and
 * docs: total within ±3 % in English and Chinese, median error per paragraph 5–7 %. Other
 * providers' tokenizers (DeepSeek, Qwen, Doubao) differ from o200k by more than that, so an exact
 * o200k count would be no truer for them.
 */

/** One piece per match: a Han run, a kana/hangul run, a word, a digit run, whitespace, punctuation. */
const PIECE =
  /(\p{Script=Han}+)|([\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+)|(\p{Lu}?[\p{L}\p{M}]+)|(\p{N}+)|(\s+)|([^\s\p{L}\p{N}]+)/gu;
const CAPITALISED = /^\p{Lu}/u;
/** Full-width CJK punctuation: o200k usually merges one such mark into the Han run after it. */
const CJK_PUNCTUATION = /^[\u3000-\u303f\uff00-\uffef]$/;

/** Tokens the chat format adds per message and per reply (OpenAI's published figures). */
export const TOKENS_PER_MESSAGE = 4;
export const TOKENS_PER_REPLY = 3;

function pieceTokens(match: RegExpMatchArray): number {
  const piece = match[0];
  const length = piece.length;
  if (match[1] !== undefined) return 0.2 + length * 0.72;
  if (match[2] !== undefined) return length;
  if (match[3] !== undefined) {
    // Common lower-case words are one token; long and capitalised ones (names) split more often.
    return CAPITALISED.test(piece) ? 1.1 + Math.max(0, length - 5) * 0.17 : 1 + Math.max(0, length - 6) * 0.09;
  }
  if (match[4] !== undefined) return Math.ceil(length / 3);
  if (match[5] !== undefined) return piece.includes("\n") || length > 1 ? 1 : 0;
  if (length === 1 && CJK_PUNCTUATION.test(piece)) return 0.6;
  return length <= 3 ? 1 : length / 2.2;
}

/** Estimated tokens of `text` (o200k-like; see the module comment for its accuracy). Linear time. */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let tokens = 0;
  for (const match of text.matchAll(PIECE)) tokens += pieceTokens(match);
  return Math.ceil(tokens);
}

/** Estimated input tokens of a chat call: each message's content plus the chat format's overhead. */
export function estimateChatTokens(options: { messages: ReadonlyArray<{ content: string }> }): number {
  let tokens = TOKENS_PER_REPLY;
  for (const message of options.messages) tokens += TOKENS_PER_MESSAGE + estimateTokens(message.content);
  return tokens;
}
