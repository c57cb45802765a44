import type { NumberedSource } from "../author.js";
import { collectCitations, rewriteCitations } from "./citations.js";

/**
 * The one numbering a reader sees (issue 8, item 6). Sources are numbered once, at their first
 * citation, as sections finish (then the summary): every `generating_sections` event already
 * carries the numbers of the final report, and assembly renumbers nothing. Texts keep run-wide
 * source ids inside the pipeline; `assign` / `display` turn them into reader numbers.
 */
export class CitationNumbering {
  private readonly numbers = new Map<number, number>();
  private readonly order: number[] = [];

  /** Numbers the sources `text` cites that have no number yet (in order of appearance) and returns the text in reader numbers. */
  assign(text: string): string {
    for (const id of collectCitations(text)) {
      if (this.numbers.has(id)) continue;
      this.order.push(id);
      this.numbers.set(id, this.order.length);
    }
    return this.display(text);
  }

  /** The text in reader numbers; a citation of a source without a number is removed (assign first). */
  display(text: string): string {
    return rewriteCitations(text, (id) => this.numbers.get(id) ?? null);
  }

  /** The reader number of a run-wide source id, if it has one. */
  numberOf(id: number): number | undefined {
    return this.numbers.get(id);
  }

  /** The cited sources in reader order, each with its reader number. */
  sources(lookup: (id: number) => NumberedSource | undefined): Array<{ number: number; source: NumberedSource }> {
    return this.order.flatMap((id, index) => {
      const source = lookup(id);
      return source ? [{ number: index + 1, source }] : [];
    });
  }

  get size(): number {
    return this.order.length;
  }
}
