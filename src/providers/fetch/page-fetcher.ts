import type { LookupAddress, LookupOptions } from "node:dns";
import { Client, fetch as undiciFetch, type Response } from "undici";
import { ReportError, cancelledError, isRetryableStatus, throwIfAborted } from "../../core/errors.js";
import type { FetchedPage, PageFetcher } from "../../core/types.js";
import { VERSION } from "../../version.js";
import { raceAbort } from "../http/race-abort.js";
import { formatSeconds } from "../http/request-json.js";
import {
  ipLiteral,
  isForbiddenAddress,
  systemLookup,
  type HostLookup,
  type ResolvedAddress,
} from "./address-policy.js";
import { decodeBody, readCapped } from "./read-body.js";
import { extractMainText } from "./extract.js";
import { networkReason } from "../http/network-reason.js";

export type PageFetcherOptions = {
  /** Lifts the address check (loopback/private allowed). Tests only; default false. */
  allowPrivate?: boolean;
  /** Whole fetch (all redirects and the body); default 10 s. */
  timeoutMs?: number;
  /** Bytes read at most; the rest is not downloaded. Default 2 MB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  userAgent?: string;
  /** Characters of main text returned at most; default 20 000. */
  maxTextChars?: number;
  /** Host name resolver; default the system's (`dns.lookup`, all addresses). */
  lookup?: HostLookup;
  /**
   * Address policy seam: whether `address` (resolved from `hostname`) may be contacted.
   * Default: public unicast only (`isForbiddenAddress`). Ignored with `allowPrivate`.
   */
  isAddressAllowed?: (address: string, hostname: string) => boolean;
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TEXT_TYPES = new Set(["text/html", "application/xhtml+xml", "text/plain"]);

/**
 * An SSRF-guarded page fetcher. Only http(s); every hop's host is resolved and refused when
 * any address is loopback, private, link-local, reserved, … (IP literals in any form the
 * URL parser accepts included); the connection is pinned to the checked address so DNS
 * rebinding can't swap it; redirects are followed by hand and re-checked; size and time are
 * capped; only HTML and plain text are read. Returns the page's article as Markdown (chrome
 * removed) with the metadata its markup states (see extract.ts).
 * Refusals and failures are ReportErrors of type `search_failed`; abort → `cancelled`.
 */
export function createPageFetcher(options: PageFetcherOptions = {}): PageFetcher {
  const {
    allowPrivate = false,
    timeoutMs = 10_000,
    maxBytes = 2 * 1024 * 1024,
    maxRedirects = 5,
    userAgent = `Mozilla/5.0 (compatible; report-mcp/${VERSION}; +https://www.npmjs.com/package/report-mcp)`,
    maxTextChars = 20_000,
    lookup = systemLookup,
    isAddressAllowed,
  } = options;

  async function checkTarget(
    url: URL,
    redirectedFrom: string | undefined,
    signal: AbortSignal,
  ): Promise<ResolvedAddress> {
    const where = redirectedFrom ? `${url.href} (redirected from ${redirectedFrom})` : url.href;
    const refuse = (reason: string): ReportError =>
      new ReportError("search_failed", `refused to fetch ${where}: ${reason}`);
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw refuse(`only http and https URLs are fetched, not ${url.protocol}`);
    const hostname = url.hostname.replace(/^\[|\]$/g, "");
    const literal = ipLiteral(url.hostname);
    let addresses: ResolvedAddress[];
    if (literal) addresses = [literal];
    else if (hostname === "localhost" || hostname.endsWith(".localhost"))
      addresses = [{ address: "127.0.0.1", family: 4 }];
    else {
      try {
        addresses = await raceAbort(lookup(hostname), signal);
      } catch (error) {
        if (signal.aborted) throw error;
        const code =
          error instanceof Error && "code" in error && typeof error.code === "string" ? ` (${error.code})` : "";
        throw new ReportError("search_failed", `could not fetch ${where}: the host name does not resolve${code}.`, {
          cause: error,
        });
      }
      if (addresses.length === 0)
        throw new ReportError("search_failed", `could not fetch ${where}: the host name does not resolve.`);
    }
    if (!allowPrivate) {
      for (const entry of addresses) {
        const allowed = isAddressAllowed
          ? isAddressAllowed(entry.address, hostname)
          : isForbiddenAddress(entry.address) === null;
        if (allowed) continue;
        const reason = isForbiddenAddress(entry.address) ?? "address not allowed";
        throw refuse(literal ? reason : `${hostname} resolves to ${entry.address}, a ${reason}`);
      }
    }
    const first = addresses[0];
    if (!first) throw refuse("no address");
    return first;
  }

  async function fetchPage(url: string, fetchOptions: { signal: AbortSignal }): Promise<FetchedPage> {
    const { signal } = fetchOptions;
    throwIfAborted(signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      throw new ReportError("search_failed", `refused to fetch ${url}: not a valid URL`);
    }
    let redirectedFrom: string | undefined;
    try {
      for (let hop = 0; ; hop += 1) {
        const pinned = await checkTarget(current, redirectedFrom, combined);
        const client = pinnedClient(current, pinned);
        try {
          const response = await undiciFetch(current.href, {
            redirect: "manual",
            signal: combined,
            dispatcher: client,
            headers: {
              "user-agent": userAgent,
              accept: "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
              "accept-language": "en,zh;q=0.9,*;q=0.5",
            },
          });
          const location = response.headers.get("location");
          if (REDIRECT_STATUSES.has(response.status) && location) {
            await response.body?.cancel();
            if (hop >= maxRedirects) {
              throw new ReportError("search_failed", `could not fetch ${url}: more than ${maxRedirects} redirects.`);
            }
            redirectedFrom = current.href;
            current = new URL(location, current);
            continue;
          }
          return await readPage(response, current.href, combined);
        } finally {
          await client.destroy();
        }
      }
    } catch (error) {
      if (signal.aborted) throw cancelledError(signal.reason);
      if (timeout.aborted) {
        throw new ReportError(
          "search_failed",
          `could not fetch ${url}: no complete answer within ${formatSeconds(timeoutMs)}.`,
          {
            retryable: true,
            cause: error,
          },
        );
      }
      if (error instanceof ReportError) throw error;
      throw new ReportError("search_failed", `could not fetch ${current.href}: ${networkReason(error)}.`, {
        retryable: true,
        cause: error,
      });
    }
  }

  async function readPage(response: Response, finalUrl: string, signal: AbortSignal): Promise<FetchedPage> {
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel();
      throw new ReportError("search_failed", `could not fetch ${finalUrl}: HTTP ${response.status}.`, {
        status: response.status,
        retryable: isRetryableStatus(response.status),
      });
    }
    const contentType = response.headers.get("content-type") ?? "";
    const mediaType = (contentType.split(";")[0] ?? "").trim().toLowerCase() || "text/html";
    if (!TEXT_TYPES.has(mediaType)) {
      await response.body?.cancel();
      throw new ReportError(
        "search_failed",
        `refused to fetch ${finalUrl}: unsupported content type ${mediaType} (only HTML and plain text pages are read).`,
      );
    }
    throwIfAborted(signal);
    const bytes = await readCapped(response.body, maxBytes);
    const body = decodeBody(bytes, contentType);
    const extracted = extractMainText({ body, contentType: mediaType, url: finalUrl, maxChars: maxTextChars });
    return { url: finalUrl, ...extracted };
  }

  return { fetchPage };
}

/**
 * An undici Client for `url`'s origin whose every connection goes to `pinned`, whatever the host
 * name. One hop makes one request, so a Client will do: an Agent would add a Pool per origin
 * (with a 2,048-slot request queue) for every page fetched.
 */
function pinnedClient(url: URL, pinned: ResolvedAddress): Client {
  return new Client(url.origin, {
    connect: {
      lookup: (
        _hostname: string,
        options: LookupOptions,
        callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
      ) => {
        if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
        else callback(null, pinned.address, pinned.family);
      },
    },
  });
}
