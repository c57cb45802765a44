const THINK_BLOCK = /<(think|thinking)>[\s\S]*?<\/\1>/gi;
const CLOSING_TAG = /<\/(think|thinking)>/gi;
const LEADING_OPEN_TAG = /^\s*<(think|thinking)>/i;

/**
 * Removes reasoning text that models put into their answer:
 * - every `<think>…</think>` block (also `<thinking>`);
 * - a leading block whose opening tag was part of the chat template (`…</think>answer`);
 * - an unterminated leading `<think>` block (the model ran out of tokens while reasoning).
 * Returns the trimmed answer text.
 */
export function stripThinking(text: string): string {
  let answer = text.replace(THINK_BLOCK, "");
  let lastClose = -1;
  for (const match of answer.matchAll(CLOSING_TAG)) lastClose = match.index + match[0].length;
  if (lastClose >= 0) answer = answer.slice(lastClose);
  if (LEADING_OPEN_TAG.test(answer)) answer = "";
  return answer.trim();
}
