/**
 * `text` on one line (whitespace runs collapsed) and at most `maxChars` characters (code points),
 * cut with "…" when longer. For echoing user input (a task) inside a status line.
 */
export function truncateText(text: string, maxChars = 80): string {
  const line = text.replace(/\s+/gu, " ").trim();
  const characters = Array.from(line);
  if (characters.length <= maxChars) return line;
  return `${characters
    .slice(0, Math.max(1, maxChars - 1))
    .join("")
    .trimEnd()}…`;
}
