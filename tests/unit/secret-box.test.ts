import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyRing, decrypt, encrypt, keyVersionOf, SecretBoxError } from "@/lib/crypto/secret-box";

const key = () => randomBytes(32).toString("base64");

describe("secret box (AES-256-GCM)", () => {
  const ring = createKeyRing({ version: 1, key: key() });

  it("round-trips a secret and never stores the plaintext", () => {
    const envelope = encrypt(ring, "s3cr3t-api-secret", "ExchangeBinding.secret");
    expect(envelope).not.toContain("s3cr3t");
    expect(envelope.startsWith("v1.")).toBe(true);
    expect(decrypt(ring, envelope, "ExchangeBinding.secret")).toBe("s3cr3t-api-secret");
  });

  it("uses a fresh IV each time", () => {
    expect(encrypt(ring, "same", "ctx")).not.toBe(encrypt(ring, "same", "ctx"));
  });

  it("fails loudly when any part of the ciphertext is tampered with", () => {
    const envelope = encrypt(ring, "secret", "ctx");
    const parts = envelope.split(".");
    for (const index of [1, 2, 3]) {
      const bytes = Buffer.from(parts[index]!, "base64url");
      bytes[0]! ^= 0x01;
      const tampered = parts.map((p, i) => (i === index ? bytes.toString("base64url") : p)).join(".");
      expect(() => decrypt(ring, tampered, "ctx")).toThrow(SecretBoxError);
    }
  });

  it("refuses a ciphertext moved to another column (context is authenticated)", () => {
    const envelope = encrypt(ring, "secret", "ExchangeBinding.secret");
    expect(() => decrypt(ring, envelope, "ExchangeBinding.apiKey")).toThrow(/tampered|belongs elsewhere/);
  });

  it("opens old ciphertexts with a previous key after rotation, and seals with the new one", () => {
    const oldKey = key();
    const before = createKeyRing({ version: 1, key: oldKey });
    const envelope = encrypt(before, "secret", "ctx");
    const after = createKeyRing({ version: 2, key: key() }, new Map([[1, oldKey]]));
    expect(decrypt(after, envelope, "ctx")).toBe("secret");
    expect(keyVersionOf(encrypt(after, "secret", "ctx"))).toBe(2);
  });

  it("names an unknown key version instead of failing obscurely", () => {
    const other = createKeyRing({ version: 7, key: key() });
    const envelope = encrypt(other, "secret", "ctx");
    expect(() => decrypt(ring, envelope, "ctx")).toThrow("no encryption key with version 7 is configured");
  });

  it("refuses the wrong key with the same version", () => {
    const envelope = encrypt(createKeyRing({ version: 1, key: key() }), "secret", "ctx");
    expect(() => decrypt(ring, envelope, "ctx")).toThrow(SecretBoxError);
  });

  it("rejects malformed envelopes and keys of the wrong size", () => {
    expect(() => decrypt(ring, "not-an-envelope", "ctx")).toThrow("not a secret envelope");
    expect(() => decrypt(ring, "v1.AAAA.BBBB.CCCC", "ctx")).toThrow("malformed");
    expect(() => createKeyRing({ version: 1, key: randomBytes(16).toString("base64") })).toThrow("32 bytes");
  });
});
