const DAY_MS = 86_400_000;

const RELATIVE_UNITS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 30 * DAY_MS,
  year: 365 * DAY_MS,
};

/**
 * A provider's date text as ISO 8601, or null when it can't be read. Accepts ISO and RFC
 * dates ("2026-05-01T10:00:00", "May 1, 2026") and English relative ages ("3 days ago").
 */
export function toIsoDate(value: string | null | undefined, now: number = Date.now()): string | null {
  if (!value) return null;
  const text = value.trim();
  const relative = /^(\d+)\s+(minute|hour|day|week|month|year)s?\s+ago$/i.exec(text);
  if (relative) {
    const unit = RELATIVE_UNITS[(relative[2] ?? "").toLowerCase()];
    return unit === undefined ? null : new Date(now - Number(relative[1]) * unit).toISOString();
  }
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) return null;
  const date = new Date(parsed);
  const year = date.getUTCFullYear();
  return year < 1990 || year > 2200 ? null : date.toISOString();
}

/** `YYYY-MM-DD` (UTC) of the day `days` before `now`. */
export function dateDaysAgo(days: number, now: number = Date.now()): string {
  return new Date(now - days * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` (UTC) of `now`. */
export function today(now: number = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}
