import { describe, expect, it } from "vitest";
import { chunkText, normalizeDate, parseDocument } from "../../src/providers/corpus/index.js";
import { makePdf } from "./corpus-fixtures.js";

const encode = (text: string) => new TextEncoder().encode(text);

describe("corpus document parsing", () => {
  it("reads Markdown front matter and reduces Markdown to text", async () => {
    const parsed = await parseDocument({
      filePath: "/c/2026-01-02-x.md",
      bytes: encode(
        '---\ntitle: "Front title"\npublished: 2026-11-20T10:00:00+08:00\n---\n# Heading\n\nSee [the **spec**](https://example.com) and `code`.\n',
      ),
    });
    expect(parsed).toEqual({
      title: "Front title",
      date: "2026-11-20T02:00:00.000Z",
      text: "Heading\n\nSee the spec and code.",
    });
  });

  it("falls back to the first heading, the file name's date, and null", async () => {
    const withName = await parseDocument({
      filePath: "/c/2026-03-04-note.md",
      bytes: encode("# Note heading\n\nSome text that is long enough.\n"),
    });
    expect(withName).toMatchObject({ title: "Note heading", date: "2026-03-04" });
    const undated = await parseDocument({
      filePath: "/c/loose-notes.txt",
      bytes: encode("Loose notes\n\nNothing dated in here at all.\n"),
    });
    expect(undated).toMatchObject({ title: "Loose notes", date: null });
  });

  it("opts documents out with index: false", async () => {
    await expect(
      parseDocument({
        filePath: "/c/README.md",
        bytes: encode("---\nindex: false\n---\n# About\n\nNot indexed at all, really.\n"),
      }),
    ).rejects.toMatchObject({ name: "ExcludedFileError" });
  });

  it("reads PDF text, title and creation date", async () => {
    const bytes = makePdf({
      lines: ["First line of the PDF.", "Second line."],
      title: "A PDF",
      creationDate: "D:20260915100000Z",
    });
    const parsed = await parseDocument({ filePath: "/c/file.pdf", bytes });
    expect(parsed).toMatchObject({ title: "A PDF", date: "2026-09-15T10:00:00.000Z" });
    expect(parsed.text).toContain("First line of the PDF.");
  });

  it("normalizes the date forms documents use", () => {
    expect(normalizeDate("2026-11-20")).toBe("2026-11-20");
    expect(normalizeDate("2026/1/5")).toBe("2026-01-05");
    expect(normalizeDate("2026年11月20日")).toBe("2026-11-20");
    expect(normalizeDate("D:20261120")).toBe("2026-11-20");
    expect(normalizeDate("not a date")).toBeNull();
    expect(normalizeDate(undefined)).toBeNull();
  });
});

describe("chunking", () => {
  it("makes passage-sized chunks on paragraph boundaries without losing text", () => {
    const paragraphs = Array.from(
      { length: 30 },
      (_, index) => `Paragraph ${index} says something useful about batteries and agents in a full sentence.`,
    );
    const text = paragraphs.join("\n\n");
    const chunks = chunkText(text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(600);
      expect(chunk.length).toBeLessThanOrEqual(1200);
    }
    expect(chunks.join("\n\n")).toBe(text);
  });

  it("splits a long paragraph on sentence boundaries", () => {
    const sentence = "这是一个关于固态电池的较长句子，用来测试分块是否在句子边界处切分。";
    const chunks = chunkText(sentence.repeat(60));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(1200);
      expect(chunk.endsWith("。")).toBe(true);
    }
  });
});
