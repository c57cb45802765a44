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

/**
 * Why fetching from `address` is refused ("loopback address", "private address", …), or null
 * when it is a public unicast address. IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is judged as
 * the IPv4 address it carries; anything that isn't an IP address is refused.
 */
export function isForbiddenAddress(address: string): string | null {
  const text = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(text)) return "not an IP address";
  let parsed = ipaddr.parse(text);
  let prefix = "";
  if (parsed.kind() === "ipv6") {
    const ipv6 = parsed as ipaddr.IPv6;
    if (ipv6.isIPv4MappedAddress()) {
      parsed = ipv6.toIPv4Address();
      prefix = "IPv4-mapped ";
    }
  }
  const range = parsed.range();
  if (parsed.kind() === "ipv4" ? PUBLIC_IPV4_RANGES.has(range) : range === "unicast") return null;
  const label = RANGE_LABELS[range] ?? `${range} address (not public)`;
  return `${prefix}${label}`;
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
