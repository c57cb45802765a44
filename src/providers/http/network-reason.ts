/** The short cause of a failed network call: the system error code (ECONNREFUSED, ENOTFOUND…) or the message. */
export function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) return "code" in cause && typeof cause.code === "string" ? cause.code : cause.message;
  return String(cause);
}
