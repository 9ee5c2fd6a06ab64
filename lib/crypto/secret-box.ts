import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// AES-256-GCM envelopes for API secrets at rest. The envelope carries the key version so keys
// can rotate (old ciphertexts still open with the previous key); the context string is bound
// as associated data, so a ciphertext copied into another column or row type will not open.
// Format: v<version>.<iv>.<tag>.<ciphertext>, each part base64url.

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;

export interface KeyRing {
  current: { version: number; key: Buffer };
  previous: Map<number, Buffer>;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

export function createKeyRing(current: { version: number; key: string }, previous = new Map<number, string>()): KeyRing {
  const decode = (key: string) => {
    const bytes = Buffer.from(key, "base64");
    if (bytes.length !== 32) throw new SecretBoxError("encryption keys must be 32 bytes");
    return bytes;
  };
  return {
    current: { version: current.version, key: decode(current.key) },
    previous: new Map([...previous].map(([version, key]) => [version, decode(key)])),
  };
}

export function encrypt(ring: KeyRing, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, ring.current.key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [`v${ring.current.version}`, iv, tag, ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function decrypt(ring: KeyRing, envelope: string, context: string): string {
  const parts = envelope.split(".");
  const version = /^v(\d+)$/.exec(parts[0] ?? "")?.[1];
  if (parts.length !== 4 || version === undefined) throw new SecretBoxError("not a secret envelope");
  const key = keyFor(ring, Number(version));
  const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, "base64url")) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== 16) throw new SecretBoxError("secret envelope is malformed");
  const decipher = createDecipheriv(ALGORITHM, key, iv);
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("secret failed authentication: it was tampered with or belongs elsewhere");
  }
}

export function keyVersionOf(envelope: string): number | null {
  const version = /^v(\d+)\./.exec(envelope)?.[1];
  return version === undefined ? null : Number(version);
}

function keyFor(ring: KeyRing, version: number): Buffer {
  if (version === ring.current.version) return ring.current.key;
  const key = ring.previous.get(version);
  if (!key) throw new SecretBoxError(`no encryption key with version ${version} is configured`);
  return key;
}

/** Overwrites what a shredded secret column holds: recognisably empty, impossible to open. */
export const SHREDDED = "shredded";
