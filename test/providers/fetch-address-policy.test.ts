import { describe, expect, it } from "vitest";
import { isForbiddenAddress } from "../../src/providers/fetch/index.js";

describe("isForbiddenAddress", () => {
  it.each([
    ["127.0.0.1", "loopback address"],
    ["127.255.0.9", "loopback address"],
    ["10.0.0.1", "private address"],
    ["172.16.5.4", "private address"],
    ["192.168.1.1", "private address"],
    ["169.254.169.254", "link-local address"],
    ["100.64.0.1", "carrier-grade NAT address"],
    ["0.0.0.0", "unspecified address"],
    ["224.0.0.1", "multicast address"],
    ["255.255.255.255", "broadcast address"],
    ["198.18.0.1", "reserved address"],
    ["240.0.0.1", "reserved address"],
    ["::1", "loopback address"],
    ["[::1]", "loopback address"],
    ["::", "unspecified address"],
    ["fe80::1", "link-local address"],
    ["fd00::1", "unique-local address"],
    ["ff02::1", "multicast address"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback address"],
    ["::ffff:7f00:1", "IPv4-mapped loopback address"],
    ["::ffff:10.0.0.1", "IPv4-mapped private address"],
    ["::ffff:169.254.169.254", "IPv4-mapped link-local address"],
    ["2001:db8::1", "reserved address"],
    // IPv6 forms that carry an IPv4 address are judged by the address they carry.
    ["::7f00:1", "IPv4-compatible loopback address"], // http://[::127.0.0.1]/ as URL normalises it
    ["::127.0.0.1", "IPv4-compatible loopback address"],
    ["[::127.0.0.1]", "IPv4-compatible loopback address"],
    ["0:0:0:0:0:0:10.1.2.3", "IPv4-compatible private address"],
    ["::a9fe:a9fe", "IPv4-compatible link-local address"],
    ["::8.8.8.8", "IPv4-compatible address (deprecated)"],
    ["0:0:0:0:0:ffff:127.0.0.1", "IPv4-mapped loopback address"],
    ["::ffff:0:127.0.0.1", "IPv4-translated loopback address"],
    ["::ffff:0:192.168.0.1", "IPv4-translated private address"],
    ["::ffff:0:8.8.8.8", "IPv4-translated address"],
    ["64:ff9b::127.0.0.1", "NAT64 loopback address"],
    ["64:ff9b::a9fe:a9fe", "NAT64 link-local address"],
    ["64:ff9b::10.0.0.1", "NAT64 private address"],
    ["64:ff9b:1::7f00:1", "local-use NAT64 loopback address"],
    ["64:ff9b:1::808:808", "local-use NAT64 address"],
    ["2002:7f00:1::", "6to4 loopback address"],
    ["2002:c0a8:101::1", "6to4 private address"],
    ["2002:808:808::1", "6to4 tunnel address"],
    ["2001:0:7f00:1::f7f7:f7f7", "Teredo loopback address"], // server 127.0.0.1, client 8.8.8.8
    ["2001:0:4136:e378:8000:63bf:f5ff:fffe", "Teredo private address"], // client 10.0.0.1 (inverted)
    ["2001:0:4136:e378:8000:63bf:f7f7:fbfb", "Teredo tunnel address"], // server 65.54.227.120, client 8.8.4.4
    ["2600::5efe:7f00:1", "ISATAP loopback address"],
    ["2600:1f18::200:5efe:a9fe:a9fe", "ISATAP link-local address"],
    ["fe80::5efe:808:808", "link-local address"],
    ["not-an-ip", "not an IP address"],
  ])("refuses %s (%s)", (address, reason) => {
    expect(isForbiddenAddress(address)).toBe(reason);
  });

  it.each([
    "8.8.8.8",
    "93.184.216.34",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::8.8.8.8",
    "2600::5efe:808:808",
  ])("allows public %s", (address) => {
    expect(isForbiddenAddress(address)).toBeNull();
  });

  it("refuses http://[::127.0.0.1]/ however the URL spells the address", () => {
    for (const url of [
      "http://[::127.0.0.1]/",
      "http://[0:0::127.0.0.1]:8080/x",
      "http://[::7f00:1]/",
      "http://[64:ff9b::127.0.0.1]/",
      "http://[::ffff:0:127.0.0.1]/",
    ]) {
      const hostname = new URL(url).hostname;
      expect(isForbiddenAddress(hostname), url).toMatch(/loopback address$/);
    }
  });
});
