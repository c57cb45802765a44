import { z } from "zod";
import type { ChatMessage } from "../types.js";

/** One claim for the judge, with the passage of the source it would cite. */
export type JudgeItem = {
  id: number;
  claim: string;
  title: string;
  published_at: string | null;
  passage: string;
};

export const judgeReplySchema = z.object({
  verdicts: z
    .array(
      z.object({
        id: z.number().int().describe("The claim's number"),
        supported: z.boolean().describe("true only if the passage itself states everything the claim says"),
      }),
    )
    .describe("One verdict per claim"),
});
export type JudgeReply = z.infer<typeof judgeReplySchema>;

/** The batched citation check: every grey-zone claim of a section in one short prompt. */
export function judgeMessages(items: JudgeItem[]): ChatMessage[] {
  const body = items
    .map((item) => {
      const date = item.published_at ? `, ${item.published_at.slice(0, 10)}` : "";
      return `#${item.id} Claim: ${item.claim}\nSource "${item.title}"${date}: ${item.passage}`;
    })
    .join("\n\n");
  return [
    {
      role: "system",
      content:
        "You are report-mcp's citation checker. For each numbered claim, decide whether the source passage given with it supports the claim: " +
        "every figure, name, date and statement in the claim must be stated in the passage (paraphrase and translation are fine; a claim that " +
        "adds, changes or generalises anything is not supported). Bylines, share buttons, reader comments and links to other stories support nothing. " +
        "Answer with JSON only.",
    },
    { role: "user", content: body },
  ];
}
