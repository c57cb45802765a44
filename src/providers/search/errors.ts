import { ReportError } from "../../core/errors.js";

/** A 2xx response whose body isn't the provider's documented shape (not retried). */
export function invalidResponseError(label: string): ReportError {
  return new ReportError(
    "search_failed",
    `${label} returned a response in an unexpected format; check that its base URL points at the real API.`,
  );
}
