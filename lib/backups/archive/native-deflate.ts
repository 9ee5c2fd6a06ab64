import { once } from "node:events";
import type { TransformOptions } from "node:stream";
import { createDeflateRaw, crc32, type DeflateRaw, type ZlibOptions } from "node:zlib";
import type { AsyncFlateStreamHandler, ZipInputFile } from "fflate";

// A file of an fflate Zip whose data is deflated by Node's zlib instead of fflate's JavaScript
// deflate: zlib runs on libuv's thread pool, so compressing trades.csv overlaps with reading
// the next trades from Postgres and writing their CSV on the main thread. fflate still writes
// the ZIP structure (headers, data descriptor, central directory); this supplies the
// compressed bytes, the CRC-32 and the size of the original.
//
// Memory stays flat: push() waits whenever zlib holds more than `highWaterMark` bytes it has
// not compressed yet, and the compressed output is handed to the Zip as zlib produces it.

const DEFLATE = 8; // APPNOTE 4.4.5

export class NativeZipDeflate implements ZipInputFile {
  readonly compression = DEFLATE;
  size = 0;
  crc = 0;
  ondata?: AsyncFlateStreamHandler;
  private readonly zlib: DeflateRaw;
  private readonly ended: Promise<void>;

  constructor(
    readonly filename: string,
    readonly mtime: Date,
    options: { level: number; highWaterMark: number },
  ) {
    // zlib hands its options on to its Transform stream; the types only list zlib's own.
    const streamOptions: ZlibOptions & TransformOptions = { level: options.level, writableHighWaterMark: options.highWaterMark };
    this.zlib = createDeflateRaw(streamOptions);
    this.zlib.on("data", (chunk: Buffer<ArrayBuffer>) => this.ondata?.(null, chunk, false));
    this.ended = new Promise<void>((resolve, reject) => {
      this.zlib.once("end", () => {
        this.ondata?.(null, new Uint8Array(0), true);
        resolve();
      });
      this.zlib.once("error", reject);
    });
    // A failure surfaces from push() or end(); until one is awaited it must not go unhandled.
    this.ended.catch(() => {});
  }

  /** Adds bytes of the original; resolves when zlib can take more. */
  async push(chunk: Uint8Array): Promise<void> {
    this.crc = crc32(chunk, this.crc);
    this.size += chunk.byteLength;
    if (!this.zlib.write(chunk)) await Promise.race([once(this.zlib, "drain"), this.ended]);
  }

  /** Flushes zlib; resolves once the last compressed byte and the final call have reached the Zip. */
  async end(): Promise<void> {
    this.zlib.end();
    await this.ended;
  }

  terminate(): void {
    this.zlib.destroy();
  }
}
