import "server-only";
import busboy from "busboy";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { AppError } from "@/lib/errors";

// Receives one file of a multipart/form-data upload into a temporary file, as it streams in:
// the request is never held in memory (request.formData() buffers all of it), and the byte
// limit holds whether or not the client sent a Content-Length (a chunked body has none). The
// file sits in a folder of its own under os.tmpdir() with a random name, readable only by this
// user; remove() deletes it, and it is deleted at once when the upload fails.

/** Boundaries, part headers and small fields around the file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export interface SpooledUpload {
  path: string;
  bytes: number;
  remove(): Promise<void>;
}

export interface SpoolOptions {
  /** The form field that holds the file; other parts are skipped. */
  field: string;
  maxBytes: number;
  /** Said in the 413 message, e.g. "The archive". */
  what: string;
}

export async function spoolUpload(request: Request, { field, maxBytes, what }: SpoolOptions): Promise<SpooledUpload> {
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `${what} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`, { maxBytes });
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data;/i.test(contentType) || !request.body) {
    throw new AppError("BAD_REQUEST", `Send the file as multipart/form-data in a field named ${field}.`);
  }
  // A declared size over the limit is refused before a byte is read.
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge();

  const dir = await mkdtemp(join(tmpdir(), "myits-upload-"));
  const path = join(dir, "upload");
  const remove = () => rm(dir, { recursive: true, force: true });
  let refusal: AppError | undefined;
  let saved: Promise<number> | undefined;
  try {
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(received > maxBytes + MULTIPART_OVERHEAD_BYTES ? (refusal ??= tooLarge()) : null, chunk);
      },
    });
    const parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fileSize: maxBytes, fields: 16, fieldSize: 4096, parts: 32 },
    });
    parser.on("file", (name, stream) => {
      if (name !== field || saved) {
        stream.resume();
        return;
      }
      let bytes = 0;
      stream.on("data", (chunk: Buffer) => (bytes += chunk.length));
      // busboy truncates the file at the limit and reads on; stop reading the request instead.
      stream.once("limit", () => counter.destroy((refusal ??= tooLarge())));
      saved = pipeline(stream, createWriteStream(path, { flags: "wx", mode: 0o600 })).then(() => bytes);
      saved.catch(() => {}); // surfaces below, or the request failed first
    });
    const body = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
    await pipeline(body, counter, parser);
    if (!saved) throw new AppError("BAD_REQUEST", `${field}: choose a file to upload.`);
    const bytes = await saved;
    return { path, bytes, remove };
  } catch (error) {
    await remove();
    if (refusal) throw refusal;
    if (error instanceof AppError) throw error;
    // A client that went away, or a body that is not the multipart it said it was.
    throw new AppError("BAD_REQUEST", `The upload was incomplete or is not valid multipart/form-data with a field named ${field}.`);
  }
}
