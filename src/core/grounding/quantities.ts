/**
 * Figures in English and Chinese text, normalised so that a claim and its source can be
 * compared: "2 GWh" = "2GWh" = "2,000 MWh", "$110" = "US$110" = "110 dollars", "1,200" = "1200",
 * "12 亿元" = "12亿元" = "1.2 billion yuan", "40%" = "40 per cent", "29 November 2026" = "2026年11月29日".
 */

export type QuantityKind = "money" | "percent" | "measure" | "number" | "year" | "date";

export type Quantity = {
  kind: QuantityKind;
  /** Value in the base unit (money in units of its currency; dates as yyyymmdd or yyyymm; years as yyyy). */
  value: number;
  /** Currency code, base unit ("wh", "w", "t" …), "pp" for percentage points, "day"/"month" for dates; null when none. */
  unit: string | null;
  /** How far a source's value may lie from this one when this one is a rounding of it (written precision). */
  tolerance: number;
  /** Spelled as a word ("two"): a mismatch is doubtful, not disqualifying. */
  soft: boolean;
  /** The figure as written. */
  text: string;
};

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
const MONTH_NAME =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

const DATE_PATTERNS: Array<{ pattern: RegExp; read: (match: RegExpExecArray) => [number, number, number] }> = [
  { pattern: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, read: (m) => [Number(m[1]), Number(m[2]), Number(m[3])] },
  {
    pattern: /(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?/g,
    read: (m) => [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)],
  },
  { pattern: /(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/g, read: (m) => [0, Number(m[1]), Number(m[2])] },
  {
    pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH_NAME})\\.?(?:,?\\s+(\\d{4}))?\\b`, "gi"),
    read: (m) => [Number(m[3] ?? 0), MONTHS[(m[2] ?? "").toLowerCase()] ?? 0, Number(m[1])],
  },
  {
    pattern: new RegExp(
      `\\b(${MONTH_NAME})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b(?!\\s*(?:%|per))`,
      "gi",
    ),
    read: (m) => [Number(m[3] ?? 0), MONTHS[(m[1] ?? "").toLowerCase()] ?? 0, Number(m[2])],
  },
  {
    pattern: new RegExp(`\\b(${MONTH_NAME})\\.?,?\\s+(\\d{4})\\b`, "gi"),
    read: (m) => [Number(m[2]), MONTHS[(m[1] ?? "").toLowerCase()] ?? 0, 0],
  },
];

const SCALES: Record<string, number> = {
  thousand: 1e3,
  million: 1e6,
  mn: 1e6,
  billion: 1e9,
  bn: 1e9,
  trillion: 1e12,
  tn: 1e12,
  千: 1e3,
  万: 1e4,
  十万: 1e5,
  百万: 1e6,
  千万: 1e7,
  亿: 1e8,
  十亿: 1e9,
  百亿: 1e10,
  千亿: 1e11,
  万亿: 1e12,
};
/** Scales that only count after a currency ("$2m", "$5k"); elsewhere "m" is metres. */
const CURRENCY_ONLY_SCALES: Record<string, number> = { m: 1e6, k: 1e3, b: 1e9 };

const CURRENCY_BEFORE: Array<[RegExp, string]> = [
  [/(?:US\$|USD\s?|\$)$/i, "USD"],
  [/(?:HK\$|HKD\s?)$/i, "HKD"],
  [/(?:€|EUR\s?)$/i, "EUR"],
  [/(?:£|GBP\s?)$/i, "GBP"],
  [/(?:RMB\s?|CNY\s?|¥|￥)$/i, "CNY"],
  [/(?:JPY\s?)$/i, "JPY"],
];
const CURRENCY_AFTER: Array<[RegExp, string]> = [
  [/^(?:us\s)?(?:dollars?|usd)\b|^美元|^美金/i, "USD"],
  [/^(?:yuan|rmb|cny|renminbi)\b|^元|^人民币|^块/i, "CNY"],
  [/^(?:euros?|eur)\b|^欧元/i, "EUR"],
  [/^(?:hk\s?dollars?|hkd)\b|^港元|^港币/i, "HKD"],
  [/^(?:yen|jpy)\b|^日元/i, "JPY"],
  [/^(?:pounds sterling|gbp)\b|^英镑/i, "GBP"],
];

/** Units with their base and factor. */
const UNITS: Array<[RegExp, string, number]> = [
  [/^(?:twh|terawatt[- ]hours?)\b/i, "wh", 1e12],
  [/^(?:gwh|gigawatt[- ]hours?)\b|^吉瓦时|^GWh/i, "wh", 1e9],
  [/^(?:mwh|megawatt[- ]hours?)\b|^兆瓦时/i, "wh", 1e6],
  [/^(?:kwh|kilowatt[- ]hours?)\b|^千瓦时|^度电/i, "wh", 1e3],
  [/^wh\/kg\b|^瓦时\/公斤/i, "wh/kg", 1],
  [/^(?:wh|watt[- ]hours?)\b/i, "wh", 1],
  [/^(?:gw|gigawatts?)\b|^吉瓦/i, "w", 1e9],
  [/^(?:mw|megawatts?)\b|^兆瓦/i, "w", 1e6],
  [/^(?:kw|kilowatts?)\b|^千瓦/i, "w", 1e3],
  [/^(?:mah)\b/i, "mah", 1],
  [/^(?:tonnes?|tons?|t)\b|^吨/i, "t", 1],
  [/^(?:kg|kilograms?)\b|^公斤|^千克/i, "t", 1e-3],
  [/^(?:km|kilometres?|kilometers?)\b|^公里|^千米/i, "m", 1e3],
  [/^(?:miles?)\b/i, "m", 1609.344],
  [/^(?:nm|nanometres?|nanometers?)\b|^纳米/i, "nm", 1],
  [/^(?:tb|terabytes?)\b/i, "byte", 1e12],
  [/^(?:gb|gigabytes?)\b/i, "byte", 1e9],
  [/^(?:kv)\b/i, "v", 1e3],
  [/^(?:volts?|v)\b/i, "v", 1],
];

const NUMBER_WORDS: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  hundred: 100,
  dozen: 12,
};

/** A digit run not glued to a letter or a hyphenated name ("Q3", "GPT-4", "A320" are names, not figures). */
const NUMBER = /(?<![\p{Script=Latin}\d_.]|\p{Script=Latin}[-‐])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d])/gu;

function decimals(fraction: string | undefined): number {
  return fraction ? fraction.length : 0;
}

/** Finds the dates in a text and returns them with the spans they cover. */
function readDates(text: string): { quantities: Quantity[]; spans: Array<[number, number]> } {
  const quantities: Quantity[] = [];
  const spans: Array<[number, number]> = [];
  for (const { pattern, read } of DATE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (spans.some(([from, to]) => start < to && end > from)) continue;
      const [year, month, day] = read(match as RegExpExecArray);
      if (month < 1 || month > 12 || day > 31 || (year !== 0 && (year < 1900 || year > 2100))) continue;
      spans.push([start, end]);
      const byDay = day > 0;
      quantities.push({
        kind: "date",
        value: byDay ? year * 10000 + month * 100 + day : year * 100 + month,
        unit: byDay ? "day" : "month",
        tolerance: 0,
        soft: false,
        text: match[0],
      });
      if (year !== 0)
        quantities.push({ kind: "year", value: year, unit: null, tolerance: 0, soft: false, text: String(year) });
    }
  }
  return { quantities, spans };
}

/** Every figure in a text: dates, years, money, percentages, measures and plain numbers. */
export function extractQuantities(input: string): Quantity[] {
  const text = input.normalize("NFKC");
  const { quantities, spans } = readDates(text);
  const found: Quantity[] = [...quantities];
  const factors = new Map<Quantity, number>();
  for (const match of text.matchAll(NUMBER)) {
    const start = match.index ?? 0;
    if (spans.some(([from, to]) => start >= from && start < to)) continue;
    const digits = (match[1] ?? "").replace(/,/g, "");
    const hasComma = (match[1] ?? "").includes(",");
    let value = Number(`${digits}${match[2] ? `.${match[2]}` : ""}`);
    const before = text.slice(Math.max(0, start - 5), start);
    let rest = text.slice(start + match[0].length);
    let currency = CURRENCY_BEFORE.find(([pattern]) => pattern.test(before))?.[1] ?? null;
    let scale = 1;
    let scaled = false;
    const scaleMatch =
      /^\s?(thousand|million|mn|billion|bn|trillion|tn|万亿|十亿|百亿|千亿|十万|百万|千万|亿|万|千)(?![a-z])/i.exec(
        rest,
      );
    if (scaleMatch) {
      scale = SCALES[(scaleMatch[1] ?? "").toLowerCase()] ?? 1;
      scaled = true;
      rest = rest.slice(scaleMatch[0].length);
    } else if (currency) {
      const short = /^\s?(m|k|b)(?![a-z])/i.exec(rest);
      if (short) {
        scale = CURRENCY_ONLY_SCALES[(short[1] ?? "").toLowerCase()] ?? 1;
        scaled = true;
        rest = rest.slice(short[0].length);
      }
    }
    const after = rest.replace(/^\s+/, "");
    let kind: QuantityKind = "number";
    let unit: string | null = null;
    let factor = 1;
    if (/^(?:%|per\s?cent\b|percent\b|％)/i.test(after)) {
      kind = "percent";
    } else if (/^(?:percentage points?|个百分点|pp\b)/i.test(after)) {
      kind = "percent";
      unit = "pp";
    } else {
      currency ??= CURRENCY_AFTER.find(([pattern]) => pattern.test(after))?.[1] ?? null;
      if (currency) {
        kind = "money";
        unit = currency;
      } else {
        const measure = UNITS.find(([pattern]) => pattern.test(after));
        if (measure) {
          kind = "measure";
          unit = measure[1];
          factor = measure[2];
        }
      }
    }
    const year =
      !hasComma &&
      !match[2] &&
      !scaled &&
      kind === "number" &&
      /^\d{4}$/.test(digits) &&
      value >= 1900 &&
      value <= 2100;
    if (year) {
      found.push({ kind: "year", value, unit: null, tolerance: 0, soft: false, text: match[0] });
      continue;
    }
    value *= scale * factor;
    const tolerance = 0.5 * 10 ** -decimals(match[2]) * scale * factor * (1 + 1e-9);
    const quantity: Quantity = { kind, value, unit, tolerance, soft: false, text: match[0] };
    factors.set(quantity, scale * factor);
    found.push(quantity);
  }
  for (const match of text.matchAll(
    /\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|dozen)\b/gi,
  )) {
    const value = NUMBER_WORDS[(match[1] ?? "").toLowerCase()] ?? 0;
    found.push({ kind: "number", value, unit: null, tolerance: 0, soft: true, text: match[0] });
  }
  return inheritRangeUnits(text, found, factors);
}

/** "10-15%", "2 to 3 GWh", "$2-3 billion": the first figure of a range takes the unit and scale of the second. */
function inheritRangeUnits(text: string, found: Quantity[], factors: Map<Quantity, number>): Quantity[] {
  for (let index = 0; index + 1 < found.length; index += 1) {
    const first = found[index];
    const second = found[index + 1];
    if (
      !first ||
      !second ||
      first.kind !== "number" ||
      first.soft ||
      second.kind === "number" ||
      second.kind === "year" ||
      second.kind === "date"
    )
      continue;
    const between = new RegExp(`${escape(first.text)}\\s*(?:-|–|—|~|to|至|到)\\s*${escape(second.text)}`);
    if (!between.test(text)) continue;
    first.kind = second.kind;
    first.unit = second.unit;
    if ((factors.get(first) ?? 1) === 1) {
      const factor = factors.get(second) ?? 1;
      first.value *= factor;
      first.tolerance *= factor;
    }
  }
  return found;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether `source` states the figure `claim` (same kind and unit, value within the claim's rounding). */
export function quantityMatches(claim: Quantity, source: Quantity): boolean {
  if (claim.kind === "year") return source.kind === "year" && source.value === claim.value;
  if (claim.kind === "date") {
    if (source.kind !== "date") return false;
    const claimYear = claim.unit === "day" ? Math.floor(claim.value / 10000) : Math.floor(claim.value / 100);
    const sourceYear = source.unit === "day" ? Math.floor(source.value / 10000) : Math.floor(source.value / 100);
    const claimMonth = claim.unit === "day" ? Math.floor(claim.value / 100) % 100 : claim.value % 100;
    const sourceMonth = source.unit === "day" ? Math.floor(source.value / 100) % 100 : source.value % 100;
    const yearsAgree = claimYear === sourceYear || claimYear === 0 || sourceYear === 0;
    if (!yearsAgree || claimMonth !== sourceMonth) return false;
    if (claim.unit === "month") return true;
    return source.unit === "day" && claim.value % 100 === source.value % 100;
  }
  if (claim.kind === "percent" || source.kind === "percent") {
    if (claim.kind !== source.kind || claim.unit !== source.unit) return false;
  } else if (claim.unit && source.unit && claim.unit !== source.unit) {
    return false;
  } else if (claim.kind === "money" && source.kind === "measure") {
    return false;
  }
  if (source.kind === "year" || source.kind === "date") return false;
  return Math.abs(claim.value - source.value) <= Math.max(claim.tolerance, Math.abs(claim.value) * 1e-9);
}

/**
 * A "specific figure": money, a percentage, a measure, a full date, or a plain number of 10 or
 * more that is not a year. Years alone ("in 2026") and small counts are not.
 */
export function isSpecificFigure(quantity: Quantity): boolean {
  if (quantity.soft) return false;
  if (quantity.kind === "year") return false;
  if (quantity.kind === "date") return quantity.unit === "day";
  if (quantity.kind === "number") return quantity.value >= 10;
  return true;
}
