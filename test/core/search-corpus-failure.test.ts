import { describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { runSearches } from "../../src/core/search/index.js";
import type { SearchProvider } from "../../src/core/types.js";

describe("runSearches when only a local corpus is configured and it fails", () => {
  it("says which folder to check, without advice about API keys or configuring a corpus", async () => {
    const corpus: SearchProvider = {
      name: "corpus",
      search: async () => {
        throw new ReportError(
          "no_search_source",
          "Cannot index the corpus folder /gone: it does not exist. Check that the folder exists and is readable, or take it out of the corpus folders.",
        );
      },
    };
    const error = await runSearches({
      providers: [corpus],
      queries: ["x"],
      signal: new AbortController().signal,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).type).toBe("search_failed");
    expect((error as ReportError).message).toBe(
      "Every search provider failed: Cannot index the corpus folder /gone: it does not exist. Check that the folder exists and is readable, or take it out of the corpus folders.",
    );
  });
});
