/**
 * The stdio server reads the first lines itself (to answer initialize and tools/list early), then
 * hands the stream to the SDK. Whatever way the bytes arrive, the SDK must get exactly the lines
 * not answered early, in order, followed by everything after them.
 */
import { PassThrough, type Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type LineVerdict, readPrefix } from "../../src/mcp/stdio-prefix.js";

async function drain(stream: Readable): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/** Lines starting with "answer" are answered early (not replayed); "stop" ends the prefix. */
function decideBy(seen: string[]): (line: string) => LineVerdict {
  return (line) => {
    seen.push(line);
    if (line.startsWith("answer")) return { replay: false, more: !line.includes("last") };
    return { replay: true, more: !line.startsWith("stop") };
  };
}

describe("reading the first stdio lines", () => {
  it("replays what was not answered, then the rest of the chunk and everything after", async () => {
    const input = new PassThrough();
    const seen: string[] = [];
    const prefix = readPrefix(input, decideBy(seen));
    input.write("keep 1\nanswer 2\nstop 3\nafter 4\n");
    input.end("after 5\n");
    const { replay, sawInput } = await prefix.done;
    expect(sawInput).toBe(true);
    expect(seen).toEqual(["keep 1", "answer 2", "stop 3"]);
    expect(await drain(replay)).toBe("keep 1\nstop 3\nafter 4\nafter 5\n");
  });

  it("joins lines split across chunks, strips CR for the decision, and keeps the bytes as sent", async () => {
    const input = new PassThrough();
    const seen: string[] = [];
    const prefix = readPrefix(input, decideBy(seen));
    for (const chunk of ["ke", "ep 中", "文\r", "\nans", "wer last\r\ntail"]) input.write(Buffer.from(chunk));
    input.end();
    const { replay } = await prefix.done;
    expect(seen).toEqual(["keep 中文", "answer last"]);
    expect(await drain(replay)).toBe("keep 中文\r\ntail");
  });

  it("splits a multi-byte character across chunks without damage", async () => {
    const input = new PassThrough();
    const seen: string[] = [];
    const prefix = readPrefix(input, decideBy(seen));
    const bytes = Buffer.from("keep 报告\nstop\n");
    input.write(bytes.subarray(0, 7));
    input.write(bytes.subarray(7));
    const { replay } = await prefix.done;
    input.end();
    expect(seen).toEqual(["keep 报告", "stop"]);
    expect(await drain(replay)).toBe("keep 报告\nstop\n");
  });

  it("hands over a half-read line when told to start now", async () => {
    const input = new PassThrough();
    const seen: string[] = [];
    const prefix = readPrefix(input, decideBy(seen));
    input.write("keep 1\nhalf a li");
    await new Promise((resolve) => setImmediate(resolve));
    prefix.startNow();
    const { replay } = await prefix.done;
    input.end("ne\nlater\n");
    expect(seen).toEqual(["keep 1"]);
    expect(await drain(replay)).toBe("keep 1\nhalf a line\nlater\n");
  });

  it("ends the replay when the input ends, with a last line that has no newline", async () => {
    const input = new PassThrough();
    const prefix = readPrefix(input, decideBy([]));
    input.end("keep 1\nno newline");
    const { replay, sawInput } = await prefix.done;
    expect(sawInput).toBe(true);
    expect(await drain(replay)).toBe("keep 1\nno newline");
  });

  it("says when the input ended without a byte", async () => {
    const input = new PassThrough();
    const prefix = readPrefix(input, decideBy([]));
    input.end();
    const { replay, sawInput } = await prefix.done;
    expect(sawInput).toBe(false);
    expect(await drain(replay)).toBe("");
  });
});
