import { open } from "node:fs/promises";
import { crc32 } from "node:zlib";
import { Inflate } from "fflate";

// A small ZIP reader over a random-access source: bytes in memory, or a file on disk (an
// upload spooled to a temporary file), read in slices so the archive is never held whole. It
// starts from the central directory at the end of the file, as unzip does: that is how a
// truncated file is told apart from a complete one (a streaming reader that walks local headers
// from the front cannot know that entries are missing at the end). Entries are inflated in
// slices, never whole, and checked against the directory's size and CRC-32. No ZIP64, no
// encryption: the writer produces neither.

export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipFormatError";
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** byte range of the compressed data in the archive */
  dataStart: number;
  dataEnd: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const DESCRIPTOR_SIGNATURE = 0x08074b50;
const EOCD_BYTES = 22;
const CENTRAL_BYTES = 46;
const LOCAL_BYTES = 30;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_FLAG = 1;
const DESCRIPTOR_FLAG = 8;
const UTF8_FLAG = 0x800;
/** Compressed bytes read from the source at a time. */
const READ_BYTES = 256 * 1024;
/**
 * Compressed bytes handed to the inflater at a time. fflate returns everything one push
 * inflates in one buffer, and deflate can expand a byte about 1032 times: 16 KiB in is at most
 * ~17 MB out, whatever the archive holds. (64 KiB allowed ~66 MB per push.)
 */
const INFLATE_INPUT_BYTES = 4 * 1024;
/** Inflated bytes per yielded chunk, so consumers work (and yield) by bytes, not by pushes. */
const OUTPUT_CHUNK_BYTES = 64 * 1024;
/** A backup has a handful of files; a directory larger than this is not one. */
const MAX_DIRECTORY_BYTES = 1024 * 1024;

/** Random access to an archive's bytes. */
export interface ZipSource {
  readonly size: number;
  /** The bytes in [at, at + length), clipped to the end of the source. */
  read(at: number, length: number): Promise<Uint8Array>;
}

export function memoryZipSource(bytes: Uint8Array): ZipSource {
  return { size: bytes.length, read: async (at, length) => bytes.subarray(at, Math.min(at + length, bytes.length)) };
}

/** A file as a ZipSource, read with positioned reads; close it when done. */
export async function openZipFile(path: string): Promise<ZipSource & { close(): Promise<void> }> {
  const handle = await open(path, "r");
  const { size } = await handle.stat();
  return {
    size,
    async read(at, length) {
      const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - at)));
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, at + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
    close: () => handle.close(),
  };
}

const sourceOf = (archive: ZipSource | Uint8Array): ZipSource => (archive instanceof Uint8Array ? memoryZipSource(archive) : archive);

const damaged = (what: string) => new ZipFormatError(`The ZIP structure is damaged: ${what}`);

/** The entries of a complete ZIP archive, in directory order. Throws ZipFormatError. */
export async function readZipDirectory(input: ZipSource | Uint8Array): Promise<ZipEntry[]> {
  const source = sourceOf(input);
  const size = source.size;
  const inside = (from: number, length: number) => from >= 0 && length >= 0 && from + length <= size;
  const le = (bytes: Uint8Array) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { u16: (at: number) => view.getUint16(at, true), u32: (at: number) => view.getUint32(at, true) };
  };

  // The end-of-central-directory record is the last 22 bytes plus an optional comment.
  const tailStart = Math.max(0, size - EOCD_BYTES - 0xffff);
  const tail = await source.read(tailStart, size - tailStart);
  const t = le(tail);
  let eocd = -1;
  for (let at = size - EOCD_BYTES; at >= tailStart; at -= 1) {
    if (t.u32(at - tailStart) === EOCD_SIGNATURE && at + EOCD_BYTES + t.u16(at - tailStart + 20) === size) {
      eocd = at;
      break;
    }
  }
  if (eocd === -1) {
    throw new ZipFormatError("Not a complete ZIP archive: its end (the central directory record) is missing, so the file is truncated or is not a ZIP");
  }
  const e = (offset: number) => eocd - tailStart + offset;
  const count = t.u16(e(10));
  const directorySize = t.u32(e(12));
  const directoryStart = t.u32(e(16));
  if (t.u16(e(4)) !== 0 || t.u16(e(6)) !== 0 || t.u16(e(8)) !== count) throw damaged("multi-part archives are not supported");
  if (count === 0xffff || directoryStart === 0xffffffff) throw damaged("ZIP64 archives are not supported");
  if (directoryStart + directorySize !== eocd) throw damaged("the central directory is not where the end record says");
  if (directorySize > MAX_DIRECTORY_BYTES) throw new ZipFormatError(`The ZIP directory is ${directorySize} bytes: far more files than a backup holds`);

  const directory = await source.read(directoryStart, directorySize);
  const d = le(directory);
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let index = 0; index < count; index += 1) {
    if (at + CENTRAL_BYTES > directorySize || d.u32(at) !== CENTRAL_SIGNATURE) throw damaged(`central directory entry ${index + 1} is missing`);
    const flags = d.u16(at + 8);
    const method = d.u16(at + 10);
    const nameLength = d.u16(at + 28);
    const entryBytes = CENTRAL_BYTES + nameLength + d.u16(at + 30) + d.u16(at + 32);
    if (at + entryBytes > directorySize) throw damaged(`central directory entry ${index + 1} runs past its end`);
    const nameBytes = directory.subarray(at + CENTRAL_BYTES, at + CENTRAL_BYTES + nameLength);
    const name = decoder.decode(nameBytes);
    if (flags & ENCRYPTED_FLAG) throw new ZipFormatError(`${name} is encrypted, which a backup never is`);
    if (method !== STORED && method !== DEFLATED) throw new ZipFormatError(`${name} uses compression method ${method}; only deflate and stored are supported`);
    if (d.u16(at + 34) !== 0) throw damaged(`${name} is said to start on another disk`);
    // unzip would create a directory or a symbolic link instead of a file: never in a backup
    const attributes = d.u32(at + 38);
    const unixType = (attributes >>> 16) & 0o170000;
    if (attributes & 0x10 || unixType === 0o040000 || unixType === 0o120000) {
      throw new ZipFormatError(`${name} is marked as a directory or a link, not a file`);
    }
    const entry = {
      name,
      flags,
      method,
      versionNeeded: d.u16(at + 6),
      time: d.u32(at + 12),
      crc32: d.u32(at + 16),
      compressedSize: d.u32(at + 20),
      size: d.u32(at + 24),
      local: d.u32(at + 42),
    };
    entries.push(await withLocalHeader(entry, nameBytes));
    at += entryBytes;
  }
  if (at !== directorySize) throw damaged("the central directory has bytes after its last entry");

  async function withLocalHeader(
    entry: {
      name: string;
      flags: number;
      method: number;
      versionNeeded: number;
      time: number;
      crc32: number;
      compressedSize: number;
      size: number;
      local: number;
    },
    nameBytes: Uint8Array,
  ): Promise<ZipEntry> {
    const { local, name } = entry;
    if (!inside(local, LOCAL_BYTES)) throw damaged(`the local header of ${name} is missing`);
    const header = await source.read(local, LOCAL_BYTES + nameBytes.length);
    const h = le(header);
    if (h.u32(0) !== LOCAL_SIGNATURE) throw damaged(`the local header of ${name} is missing`);
    const nameLength = h.u16(26);
    const dataStart = local + LOCAL_BYTES + nameLength + h.u16(28);
    const dataEnd = dataStart + entry.compressedSize;
    const sameName = nameLength === nameBytes.length && header.length === LOCAL_BYTES + nameLength && header.subarray(LOCAL_BYTES).every((b, i) => b === nameBytes[i]);
    // version, flags, method, time and date must agree with the directory (UTF-8 flag aside).
    const agrees =
      sameName &&
      h.u16(4) === entry.versionNeeded &&
      (h.u16(6) | UTF8_FLAG) === (entry.flags | UTF8_FLAG) &&
      h.u16(8) === entry.method &&
      h.u32(10) === entry.time;
    if (!agrees) {
      throw damaged(`the local header of ${name} does not match the central directory`);
    }
    if (dataEnd > directoryStart) throw damaged(`the data of ${name} runs into the central directory`);
    // CRC and sizes are in the local header, or (streamed entries) in a descriptor after the
    // data, with zeros (or the same values) in the local header.
    const recordedAgree = (u32: (at: number) => number, at: number) =>
      u32(at) === entry.crc32 && u32(at + 4) === entry.compressedSize && u32(at + 8) === entry.size;
    const localZero = h.u32(14) === 0 && h.u32(18) === 0 && h.u32(22) === 0;
    if (entry.flags & DESCRIPTOR_FLAG) {
      const after = await source.read(dataEnd, 16);
      const a = le(after);
      const signed = after.length >= 4 && a.u32(0) === DESCRIPTOR_SIGNATURE;
      const descriptor = signed ? 4 : 0;
      if (dataEnd + descriptor + 12 > directoryStart || after.length < descriptor + 12) throw damaged(`the data descriptor of ${name} is missing`);
      if (!recordedAgree(a.u32, descriptor) || !(localZero || recordedAgree(h.u32, 14))) {
        throw damaged(`the CRC-32 or sizes recorded for ${name} do not match the central directory`);
      }
    } else if (!recordedAgree(h.u32, 14)) {
      throw damaged(`the CRC-32 or sizes recorded for ${name} do not match the central directory`);
    }
    return { name, method: entry.method, crc32: entry.crc32, compressedSize: entry.compressedSize, size: entry.size, dataStart, dataEnd };
  }

  const byOffset = [...entries].sort((a, b) => a.dataStart - b.dataStart);
  for (let index = 1; index < byOffset.length; index += 1) {
    const previous = byOffset[index - 1]!;
    const current = byOffset[index]!;
    if (previous.dataEnd > current.dataStart - LOCAL_BYTES) throw damaged(`${previous.name} and ${current.name} overlap`);
  }
  return entries;
}

/**
 * The uncompressed content of an entry, in chunks of at most 64 KiB. Checks, as it goes, that
 * it never grows past the size in the directory (a zip bomb stops early, and no push inflates
 * more than ~17 MB), and at the end that size and CRC-32 match. Throws ZipFormatError naming
 * the file. The caller decides beforehand whether the directory's size is acceptable.
 */
export async function* inflateEntry(input: ZipSource | Uint8Array, entry: ZipEntry): AsyncGenerator<Uint8Array, void, undefined> {
  const source = sourceOf(input);
  const corrupt = (what: string) => new ZipFormatError(`${entry.name} is corrupt: ${what}`);
  const output: Uint8Array[] = [];
  const inflate = entry.method === DEFLATED ? new Inflate((chunk) => output.push(chunk)) : null;
  let size = 0;
  let crc = 0;
  for (let at = entry.dataStart; at < entry.dataEnd || at === entry.dataStart; at += READ_BYTES) {
    const end = Math.min(at + READ_BYTES, entry.dataEnd);
    const read = await source.read(at, end - at);
    if (read.length !== end - at) throw corrupt("the archive ends inside its data");
    const step = inflate === null ? READ_BYTES : INFLATE_INPUT_BYTES;
    for (let offset = 0; offset < read.length || (offset === 0 && read.length === 0); offset += step) {
      const slice = read.subarray(offset, offset + step);
      const last = end === entry.dataEnd && offset + step >= read.length;
      if (inflate === null) {
        output.push(slice);
      } else {
        try {
          inflate.push(slice, last);
        } catch (error) {
          throw corrupt(`the compressed data is invalid (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      for (const inflated of output.splice(0)) {
        size += inflated.length;
        if (size > entry.size) throw corrupt("it holds more data than the ZIP directory says");
        crc = crc32(inflated, crc);
        for (let from = 0; from < inflated.length; from += OUTPUT_CHUNK_BYTES) yield inflated.subarray(from, from + OUTPUT_CHUNK_BYTES);
      }
      if (read.length === 0) break;
    }
    if (end === entry.dataEnd) break;
  }
  if (size !== entry.size) throw corrupt(`${size} bytes instead of ${entry.size}`);
  if (crc !== entry.crc32) throw corrupt("its CRC-32 does not match (the compressed data was changed or damaged)");
}
