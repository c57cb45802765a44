import { capStream } from "../http/read-capped.js";

/** Largest streamed reply read from the model API (SSE framing included): far above any real reply. */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;
/** Largest error body read (a proxy's HTML page, a JSON error): only its first words are shown. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Statuses whose responses have no body (a Response with one cannot be built). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` for the `openai` client with a size cap on every body it reads: a reply past
 * `maxReplyBytes` fails with BodyTooLargeError (not retried), an error body is cut after
 * `maxErrorBytes`. The client reads both with no limit of its own.
 */
export function createCappedFetch(options: { maxReplyBytes?: number; maxErrorBytes?: number } = {}): typeof fetch {
  const { maxReplyBytes = MAX_REPLY_BYTES, maxErrorBytes = MAX_ERROR_BODY_BYTES } = options;
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body || NULL_BODY_STATUSES.has(response.status)) return response;
    const body = response.ok
      ? response.body.pipeThrough(capStream(maxReplyBytes, "error"))
      : response.body.pipeThrough(capStream(maxErrorBytes, "truncate"));
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
