import { lookup as dnsLookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

const RANGE_LABELS: Record<string, string> = {
  loopback: "loopback address",
  private: "private address",
  linkLocal: "link-local address",
  uniqueLocal: "unique-local address",
  unspecified: "unspecified address",
  multicast: "multicast address",
  broadcast: "broadcast address",
  carrierGradeNat: "carrier-grade NAT address",
  reserved: "reserved address",
  deprecatedSiteLocal: "site-local address",
  benchmarking: "benchmarking address",
  discard: "discard-only address",
  teredo: "Teredo tunnel address",
  "6to4": "6to4 tunnel address",
  rfc6052: "NAT64 address",
  rfc6145: "IPv4-translated address",
};

/** IPv4 ranges that are public anycast services, not internal networks. */
const PUBLIC_IPV4_RANGES = new Set(["unicast", "as112", "amt"]);

/** IPv6 forms that carry an IPv4 address, and where: each is judged as the IPv4 address it carries. */
type EmbeddedIpv4 = {
  form: string;
  ipv4: ipaddr.IPv4;
  /** Why the form is refused even when it carries a public address; null when a public one may be reached. */
  refused: string | null;
};

/**
 * The IPv4 address an IPv6 address carries, if it is one of the forms that do:
 * IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d` (deprecated; `http://[::127.0.0.1]/`
 * is normalised by URL to `[::7f00:1]`), IPv4-translated `::ffff:0:a.b.c.d`, NAT64
 * `64:ff9b::a.b.c.d` and the local-use NAT64 prefix `64:ff9b:1::/48`, 6to4 `2002:aabb:ccdd::/48`,
 * Teredo `2001:0::/32` (server address in bits 32–63, client address inverted in the last 32),
 * and ISATAP interface identifiers `…:0:5efe:a.b.c.d` / `…:200:5efe:a.b.c.d` under any prefix.
 * Mapped, NAT64 and ISATAP addresses may reach a public IPv4 address; the deprecated, local and
 * tunnelling forms are refused whatever they carry.
 */
function embeddedIpv4(ipv6: ipaddr.IPv6): EmbeddedIpv4 | null {
  const bytes = ipv6.toByteArray();
  const at = (offset: number): ipaddr.IPv4 => new ipaddr.IPv4(bytes.slice(offset, offset + 4));
  const zero = (from: number, to: number): boolean => bytes.slice(from, to).every((byte) => byte === 0);
  const [b0, b1, b2, b3, b4, b5] = bytes;
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff)
    return { form: "IPv4-mapped", ipv4: at(12), refused: null };
  if (zero(0, 12) && !zero(12, 15))
    return { form: "IPv4-compatible", ipv4: at(12), refused: "IPv4-compatible address (deprecated)" };
  if (zero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(10, 12))
    return { form: "IPv4-translated", ipv4: at(12), refused: "IPv4-translated address" };
  if (b0 === 0x00 && b1 === 0x64 && b2 === 0xff && b3 === 0x9b) {
    // 64:ff9b::/96 is the well-known NAT64 prefix (public IPv4 only, RFC 6052); 64:ff9b:1::/48 is for local networks.
    if (zero(4, 12)) return { form: "NAT64", ipv4: at(12), refused: null };
    if (b4 === 0x00 && b5 === 0x01)
      return { form: "local-use NAT64", ipv4: at(12), refused: "local-use NAT64 address" };
  }
  if (b0 === 0x20 && b1 === 0x02) return { form: "6to4", ipv4: at(2), refused: "6to4 tunnel address" };
  if (b0 === 0x20 && b1 === 0x01 && b2 === 0x00 && b3 === 0x00) {
    const client = new ipaddr.IPv4(bytes.slice(12, 16).map((byte) => byte ^ 0xff));
    const server = at(4);
    return { form: "Teredo", ipv4: isForbiddenIpv4(client) ? client : server, refused: "Teredo tunnel address" };
  }
  if (((bytes[8] ?? 0) & 0xfd) === 0 && bytes[9] === 0 && bytes[10] === 0x5e && bytes[11] === 0xfe) {
    return { form: "ISATAP", ipv4: at(12), refused: null };
  }
  return null;
}

function isForbiddenIpv4(ipv4: ipaddr.IPv4): boolean {
  return !PUBLIC_IPV4_RANGES.has(ipv4.range());
}

/**
 * Why fetching from `address` is refused ("loopback address", "private address", …), or null
 * when it is a public unicast address. An IPv6 address that carries an IPv4 address (mapped,
 * compatible, translated, NAT64, 6to4, Teredo, ISATAP: see embeddedIpv4) is judged by the IPv4
 * address it carries (`::ffff:127.0.0.1` → "IPv4-mapped loopback address"); the deprecated and
 * tunnelling forms are refused even when they carry a public one. Anything that isn't an IP
 * address is refused.
 */
export function isForbiddenAddress(address: string): string | null {
  const text = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(text)) return "not an IP address";
  const parsed = ipaddr.parse(text.includes(":") ? canonicalIpv6(text) : text);
  if (parsed.kind() === "ipv6") {
    const ipv6 = parsed as ipaddr.IPv6;
    const range = ipv6.range();
    // `::` and `::1` have all-zero prefixes too: they are what they are, not IPv4 carriers.
    if (range === "unspecified" || range === "loopback") return RANGE_LABELS[range] ?? range;
    const embedded = embeddedIpv4(ipv6);
    if (embedded) {
      if (isForbiddenIpv4(embedded.ipv4)) {
        const label = RANGE_LABELS[embedded.ipv4.range()] ?? `${embedded.ipv4.range()} address (not public)`;
        return `${embedded.form} ${label}`;
      }
      if (embedded.refused) return embedded.refused;
      if (embedded.form === "IPv4-mapped" || embedded.form === "NAT64") return null;
    }
    return range === "unicast" ? null : (RANGE_LABELS[range] ?? `${range} address (not public)`);
  }
  const range = parsed.range();
  if (PUBLIC_IPV4_RANGES.has(range)) return null;
  return RANGE_LABELS[range] ?? `${range} address (not public)`;
}

/**
 * An IPv6 literal as WHATWG URL writes it (`::127.0.0.1` → `::7f00:1`): ipaddr.js reads a
 * dotted tail after `::` as IPv4-mapped, which it is not.
 */
function canonicalIpv6(text: string): string {
  try {
    return new URL(`http://[${text}]/`).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return text;
  }
}

export type ResolvedAddress = { address: string; family: 4 | 6 };

/** Resolves a hostname to all of its addresses (injectable for tests). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver (`dns.lookup`, every address). */
export const systemLookup: HostLookup = async (hostname) => {
  const entries = await dnsLookup(hostname, { all: true, verbatim: true });
  return entries.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

/** An IP literal from a URL hostname (`[::1]` → `::1`), or null for a name. */
export function ipLiteral(hostname: string): ResolvedAddress | null {
  const text = hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return { address: text, family: 4 };
  if (text.includes(":") && ipaddr.IPv6.isValid(text)) return { address: text, family: 6 };
  return null;
}
