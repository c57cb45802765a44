import { PassThrough, type Readable } from "node:stream";

/** What to do with one line read before the SDK runs: replay it to the SDK or not, and read on or not. */
export type LineVerdict = { replay: boolean; more: boolean };

/**
 * Reads stdin line by line, handing each line to `decide`, until it says `more: false`, stdin
 * ends, or `startNow` is called. Resolves with a stream that replays every line to replay, then
 * the rest of what was read and everything after; `sawInput` is false when stdin ended empty.
 * Each chunk is searched once for newlines and each line joined once (linear time).
 */
export function readPrefix(
  stdin: Readable,
  decide: (line: string) => LineVerdict,
): { done: Promise<{ replay: PassThrough; sawInput: boolean }>; startNow: () => void } {
  const replayed: Buffer[] = [];
  let pending: Buffer[] = [];
  let sawInput = false;
  let resolveDone: (value: { replay: PassThrough; sawInput: boolean }) => void = () => undefined;
  const done = new Promise<{ replay: PassThrough; sawInput: boolean }>((resolve) => (resolveDone = resolve));
  let finished = false;
  const finish = (rest: Buffer[], ended: boolean): void => {
    if (finished) return;
    finished = true;
    stdin.off("data", onData);
    stdin.off("end", onEnd);
    stdin.pause();
    const replay = new PassThrough();
    for (const chunk of [...replayed, ...rest]) replay.write(chunk);
    if (ended) replay.end();
    else stdin.pipe(replay);
    resolveDone({ replay, sawInput });
  };
  function onData(data: Buffer | string): void {
    const chunk = typeof data === "string" ? Buffer.from(data) : data;
    sawInput ||= chunk.length > 0;
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
      const bytes = Buffer.concat([...pending, chunk.subarray(start, newline + 1)]);
      pending = [];
      start = newline + 1;
      const verdict = decide(bytes.subarray(0, -1).toString("utf8").replace(/\r$/, ""));
      if (verdict.replay) replayed.push(bytes);
      if (!verdict.more) {
        finish([chunk.subarray(start)], false);
        return;
      }
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  function onEnd(): void {
    finish(pending, true);
  }
  stdin.on("data", onData);
  stdin.on("end", onEnd);
  return { done, startNow: () => finish(pending, false) };
}
