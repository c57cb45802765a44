/**
 * The linear-time Markdown cleanup of the corpus parser gives exactly what the regexes it
 * replaced gave (they are the oracles here, on small random texts), and stays linear on the
 * inputs that made those regexes quadratic.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import {
  autolinksToUrl,
  dropComments,
  dropFootnoteMarkers,
  dropTags,
  firstHeading,
  headingsToText,
  imagesToAlt,
  inlineLinksToText,
  referenceLinksToText,
  unwrapBold,
  unwrapFences,
} from "../../src/providers/corpus/linear-markdown.js";
import { HOSTILE_SIZE, RUNS, withinTime } from "./budget.js";

const ORACLES: Array<[string, (text: string) => string, (text: string) => string]> = [
  ["fences", unwrapFences, (text) => text.replace(/```[^\n]*\n([\s\S]*?)```/g, "$1")],
  ["comments", dropComments, (text) => text.replace(/<!--[\s\S]*?-->/g, "")],
  ["footnote markers", dropFootnoteMarkers, (text) => text.replace(/\[\^[^\]\s]+\]/g, "")],
  ["images", imagesToAlt, (text) => text.replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")],
  ["inline links", inlineLinksToText, (text) => text.replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")],
  ["reference links", referenceLinksToText, (text) => text.replace(/\[([^\]\n]+)\]\[[^\]\n]*\]/g, "$1")],
  ["autolinks", autolinksToUrl, (text) => text.replace(/<((?:https?|mailto):[^>\s]+)>/g, "$1")],
  ["tags", dropTags, (text) => text.replace(/<[^>\n]+>/g, "")],
  ["headings", headingsToText, (text) => text.replace(/^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$/gm, "$1\n")],
  [
    "first heading",
    (text) => String(firstHeading(text)),
    (text) => String(/^[ \t]{0,3}#[ \t]+(.+?)[ \t#]*$/m.exec(text)?.[1]),
  ],
  ["bold", unwrapBold, (text) => text.replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, "$2")],
];

/** Texts made of the characters these constructs are built from, plus any string at all. */
const markdownish = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        "`",
        "```",
        "\n",
        " ",
        "\t",
        "a",
        "b",
        "[",
        "]",
        "(",
        ")",
        "!",
        "^",
        "<",
        ">",
        "!--",
        "-->",
        "#",
        "*",
        "**",
        "_",
        "__",
        "http:",
        "https:",
        "mailto:",
        "\r",
        "\u00a0",
        "\u2028",
        "中",
      ),
      { maxLength: 80 },
    )
    .map((parts) => parts.join("")),
  fc.string({ maxLength: 60 }),
);

describe("linear Markdown cleanup", () => {
  for (const [name, linear, oracle] of ORACLES) {
    it(`${name}: same result as the regex it replaced`, () => {
      fc.assert(
        fc.property(markdownish, (text) => linear(text) === oracle(text)),
        { numRuns: RUNS * 4 },
      );
    });
  }

  it("stays linear on 200 KB (1 MB in the battery) of unclosed openers, where the regexes took seconds to minutes", () => {
    const size = HOSTILE_SIZE;
    const hostile = [
      "`".repeat(size),
      "<!--".repeat(size / 4),
      "[^".repeat(size / 2),
      "![".repeat(size / 2),
      "[a](".repeat(size / 4),
      "[".repeat(size),
      "[a][".repeat(size / 4),
      "<http:".repeat(size / 6),
      "<".repeat(size),
      `# ${" #".repeat(size / 2)}x`,
      "**a ".repeat(size / 4),
      "__a ".repeat(size / 4),
    ];
    for (const text of hostile) {
      for (const [name, linear] of ORACLES)
        withinTime(`${name} on ${JSON.stringify(text.slice(0, 12))}…`, () => linear(text));
    }
  });
});
