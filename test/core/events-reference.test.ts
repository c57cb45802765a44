/**
 * docs/events.md documents the event contract; its status table is generated from the details
 * schemas (src/core/events/details.ts). This fails when the two disagree;
 * `REPORT_MCP_UPDATE_DOCS=1 npx vitest run test/core/events-reference.test.ts` rewrites the table.
 */
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { withEventsTable } from "../../src/core/events/reference.js";

const DOC = new URL("../../docs/events.md", import.meta.url);

describe("docs/events.md", () => {
  it("carries the status table generated from the details schemas", async () => {
    const current = await readFile(DOC, "utf8");
    const generated = withEventsTable(current);
    if (process.env.REPORT_MCP_UPDATE_DOCS === "1") await writeFile(DOC, generated);
    else
      expect(
        current,
        "docs/events.md is stale: run REPORT_MCP_UPDATE_DOCS=1 npx vitest run test/core/events-reference.test.ts",
      ).toBe(generated);
  });
});
