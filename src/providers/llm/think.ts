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
  let answer = removeThinkBlocks(text);
  let lastClose = -1;
  for (const match of answer.matchAll(CLOSING_TAG)) lastClose = match.index + match[0].length;
  if (lastClose >= 0) answer = answer.slice(lastClose);
  if (LEADING_OPEN_TAG.test(answer)) answer = "";
  return answer.trim();
}

/**
 * Removes every `<think>…</think>` (and `<thinking>…</thinking>`) block, pairing each opening tag
 * with the next closing tag of its name, as `/<(think|thinking)>[\s\S]*?<\/\1>/gi` would, in
 * linear time: that regex rescanned the rest of the reply from every unclosed opening tag.
 */
function removeThinkBlocks(text: string): string {
  const closings = new Map<string, number[]>();
  for (const match of text.matchAll(CLOSING_TAG)) {
    const name = (match[1] ?? "").toLowerCase();
    const list = closings.get(name) ?? [];
    list.push(match.index);
    closings.set(name, list);
  }
  if (closings.size === 0) return text;
  const opening = /<(think|thinking)>/gi;
  const cursor = new Map<string, number>();
  const kept: string[] = [];
  let copied = 0;
  for (let match = opening.exec(text); match; match = opening.exec(text)) {
    const name = (match[1] ?? "").toLowerCase();
    const list = closings.get(name) ?? [];
    const bodyStart = match.index + match[0].length;
    let next = cursor.get(name) ?? 0;
    while (next < list.length && (list[next] ?? 0) < bodyStart) next += 1;
    cursor.set(name, next);
    const close = list[next];
    if (close === undefined) {
      opening.lastIndex = match.index + 1;
      continue;
    }
    kept.push(text.slice(copied, match.index));
    copied = close + name.length + 3;
    opening.lastIndex = copied;
  }
  kept.push(text.slice(copied));
  return kept.join("");
}
