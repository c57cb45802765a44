/**
 * Size caps on reads from the network: a server (or something posing as one) can send a body of
 * any size, so every body is read through one of these.
 */

/** A body was larger than its cap. */
export class BodyTooLargeError extends Error {
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super(`the answer was larger than ${formatBytes(maxBytes)}`);
    this.name = "BodyTooLargeError";
    this.maxBytes = maxBytes;
  }
}

/**
 * Reads a byte stream to its end, or null as soon as it passes `maxBytes` (the rest is not
 * read: the stream is cancelled, which closes the download).
 */
export async function readAllCapped(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array | null> {
  if (!stream) return new Uint8Array();
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Passes at most `maxBytes` through. Past it, `"error"` fails the stream with BodyTooLargeError
 * (the reader sees the error); `"truncate"` ends it quietly after `maxBytes` (for error pages,
 * of which only the first words are shown anyway). Either way the source is cancelled.
 */
export function capStream(maxBytes: number, overflow: "error" | "truncate"): TransformStream<Uint8Array, Uint8Array> {
  let size = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const room = maxBytes - size;
      size += chunk.byteLength;
      if (chunk.byteLength <= room) {
        controller.enqueue(chunk);
        return;
      }
      if (overflow === "error") {
        controller.error(new BodyTooLargeError(maxBytes));
        return;
      }
      if (room > 0) controller.enqueue(chunk.subarray(0, room));
      controller.terminate();
    },
  });
}

/** "64 KiB", "8 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
