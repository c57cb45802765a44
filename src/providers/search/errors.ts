import { ReportError } from "../../core/errors.js";

/** A 2xx response whose body isn't the provider's documented shape (not retried). */
export function invalidResponseError(label: string): ReportError {
  return new ReportError(
    "search_failed",
    `${label} returned a response in an unexpected format; check that its base URL points at the real API.`,
  );
}

/** Whether a result URL is a web page we can cite and fetch (http or https); others are dropped. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
