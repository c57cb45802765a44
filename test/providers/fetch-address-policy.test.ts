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
    ["not-an-ip", "not an IP address"],
  ])("refuses %s (%s)", (address, reason) => {
    expect(isForbiddenAddress(address)).toBe(reason);
  });

  it.each(["8.8.8.8", "93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows public %s", (address) => {
    expect(isForbiddenAddress(address)).toBeNull();
  });
});
