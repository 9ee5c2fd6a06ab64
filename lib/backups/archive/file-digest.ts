import { createHash, type Hash } from "node:crypto";

/** SHA-256 and size of a file, computed incrementally as its chunks go by. */
export class FileDigest {
  readonly #hash: Hash = createHash("sha256");
  bytes = 0;

  static of(bytes: Uint8Array): FileDigest {
    const digest = new FileDigest();
    digest.update(bytes);
    return digest;
  }

  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
  }

  /** Finishes the hash: call once. */
  summary(): { sha256: string; bytes: number } {
    return { sha256: this.#hash.digest("hex"), bytes: this.bytes };
  }
}
