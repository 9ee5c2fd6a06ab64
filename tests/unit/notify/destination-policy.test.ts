import { describe, expect, it } from "vitest";
import { destinationProblem, isPublicAddress } from "@/lib/notify/destination-policy";

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.10",
    "169.254.169.254", // cloud metadata
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1", // the same, in hex
    "::ffff:a9fe:a9fe", // 169.254.169.254
    "64:ff9b::10.0.0.1",
    "not an address",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8"])("allows %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("destinationProblem", () => {
  it("names the private address an IP-literal URL points to", async () => {
    expect(await destinationProblem("http://169.254.169.254/latest/meta-data")).toMatch(/169\.254\.169\.254 is a private or reserved address/);
    expect(await destinationProblem("http://[::1]:8080/hook")).toMatch(/::1 is a private/);
  });

  it("resolves a host name and refuses one that points at this machine", async () => {
    expect(await destinationProblem("http://localhost:9000/hook")).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a private or reserved address/);
  });

  it("says so when a name does not resolve", async () => {
    expect(await destinationProblem("https://no-such-host.invalid/hook")).toMatch(/does not resolve/);
  });

  it("accepts a public address", async () => {
    expect(await destinationProblem("https://93.184.215.14/hook")).toBeNull();
  });
});
