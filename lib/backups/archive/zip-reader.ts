import { crc32 } from "node:zlib";
import { Inflate } from "fflate";

// A small ZIP reader for an archive held in memory. It starts from the central directory at
// the end of the file, as unzip does: that is how a truncated file is told apart from a
// complete one (a streaming reader that walks local headers from the front cannot know that
// entries are missing at the end). Entries are inflated in slices, never whole, and checked
// against the directory's size and CRC-32. No ZIP64, no encryption: the writer produces neither.

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
const SLICE_BYTES = 64 * 1024;

const damaged = (what: string) => new ZipFormatError(`The ZIP structure is damaged: ${what}`);

/** The entries of a complete ZIP archive, in directory order. Throws ZipFormatError. */
export function readZipDirectory(archive: Uint8Array): ZipEntry[] {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const inside = (from: number, length: number) => from >= 0 && length >= 0 && from + length <= archive.length;

  // The end-of-central-directory record is the last 22 bytes plus an optional comment.
  let eocd = -1;
  for (let at = archive.length - EOCD_BYTES; at >= Math.max(0, archive.length - EOCD_BYTES - 0xffff); at -= 1) {
    if (u32(at) === EOCD_SIGNATURE && at + EOCD_BYTES + u16(at + 20) === archive.length) {
      eocd = at;
      break;
    }
  }
  if (eocd === -1) {
    throw new ZipFormatError("Not a complete ZIP archive: its end (the central directory record) is missing, so the file is truncated or is not a ZIP");
  }
  const count = u16(eocd + 10);
  const directorySize = u32(eocd + 12);
  const directoryStart = u32(eocd + 16);
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0 || u16(eocd + 8) !== count) throw damaged("multi-part archives are not supported");
  if (count === 0xffff || directoryStart === 0xffffffff) throw damaged("ZIP64 archives are not supported");
  if (directoryStart + directorySize !== eocd) throw damaged("the central directory is not where the end record says");

  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  let at = directoryStart;
  for (let index = 0; index < count; index += 1) {
    if (!inside(at, CENTRAL_BYTES) || u32(at) !== CENTRAL_SIGNATURE) throw damaged(`central directory entry ${index + 1} is missing`);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const nameLength = u16(at + 28);
    const entryBytes = CENTRAL_BYTES + nameLength + u16(at + 30) + u16(at + 32);
    if (at + entryBytes > eocd) throw damaged(`central directory entry ${index + 1} runs past its end`);
    const nameBytes = archive.subarray(at + CENTRAL_BYTES, at + CENTRAL_BYTES + nameLength);
    const name = decoder.decode(nameBytes);
    if (flags & ENCRYPTED_FLAG) throw new ZipFormatError(`${name} is encrypted, which a backup never is`);
    if (method !== STORED && method !== DEFLATED) throw new ZipFormatError(`${name} uses compression method ${method}; only deflate and stored are supported`);
    if (u16(at + 34) !== 0) throw damaged(`${name} is said to start on another disk`);
    // unzip would create a directory or a symbolic link instead of a file: never in a backup
    const attributes = u32(at + 38);
    const unixType = (attributes >>> 16) & 0o170000;
    if (attributes & 0x10 || unixType === 0o040000 || unixType === 0o120000) {
      throw new ZipFormatError(`${name} is marked as a directory or a link, not a file`);
    }
    const entry = {
      name,
      flags,
      method,
      versionNeeded: u16(at + 6),
      time: u32(at + 12),
      crc32: u32(at + 16),
      compressedSize: u32(at + 20),
      size: u32(at + 24),
      local: u32(at + 42),
    };
    entries.push(withLocalHeader(entry, nameBytes));
    at += entryBytes;
  }
  if (at !== eocd) throw damaged("the central directory has bytes after its last entry");

  function withLocalHeader(
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
  ): ZipEntry {
    const { local, name } = entry;
    if (!inside(local, LOCAL_BYTES) || u32(local) !== LOCAL_SIGNATURE) throw damaged(`the local header of ${name} is missing`);
    const nameLength = u16(local + 26);
    const dataStart = local + LOCAL_BYTES + nameLength + u16(local + 28);
    const dataEnd = dataStart + entry.compressedSize;
    const sameName = nameLength === nameBytes.length && archive.subarray(local + LOCAL_BYTES, local + LOCAL_BYTES + nameLength).every((b, i) => b === nameBytes[i]);
    // version, flags, method, time and date must agree with the directory (UTF-8 flag aside).
    const agrees =
      sameName &&
      u16(local + 4) === entry.versionNeeded &&
      (u16(local + 6) | UTF8_FLAG) === (entry.flags | UTF8_FLAG) &&
      u16(local + 8) === entry.method &&
      u32(local + 10) === entry.time;
    if (!agrees) {
      throw damaged(`the local header of ${name} does not match the central directory`);
    }
    if (dataEnd > directoryStart) throw damaged(`the data of ${name} runs into the central directory`);
    // CRC and sizes are in the local header, or (streamed entries) in a descriptor after the
    // data, with zeros (or the same values) in the local header.
    const recordedAgree = (at: number) => u32(at) === entry.crc32 && u32(at + 4) === entry.compressedSize && u32(at + 8) === entry.size;
    const localZero = u32(local + 14) === 0 && u32(local + 18) === 0 && u32(local + 22) === 0;
    if (entry.flags & DESCRIPTOR_FLAG) {
      const descriptor = inside(dataEnd, 4) && u32(dataEnd) === DESCRIPTOR_SIGNATURE ? dataEnd + 4 : dataEnd;
      if (descriptor + 12 > directoryStart) throw damaged(`the data descriptor of ${name} is missing`);
      if (!recordedAgree(descriptor) || !(localZero || recordedAgree(local + 14))) {
        throw damaged(`the CRC-32 or sizes recorded for ${name} do not match the central directory`);
      }
    } else if (!recordedAgree(local + 14)) {
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
 * The uncompressed content of an entry, in slices of at most ~64 KiB of input. Checks, as it
 * goes, that it never grows past the size in the directory (a zip bomb stops early), and at the
 * end that size and CRC-32 match. Throws ZipFormatError naming the file.
 */
export function* inflateEntry(archive: Uint8Array, entry: ZipEntry): Generator<Uint8Array, void, undefined> {
  const corrupt = (what: string) => new ZipFormatError(`${entry.name} is corrupt: ${what}`);
  const output: Uint8Array[] = [];
  const inflate = entry.method === DEFLATED ? new Inflate((chunk) => output.push(chunk)) : null;
  let size = 0;
  let crc = 0;
  for (let at = entry.dataStart; at < entry.dataEnd || at === entry.dataStart; at += SLICE_BYTES) {
    const end = Math.min(at + SLICE_BYTES, entry.dataEnd);
    const slice = archive.subarray(at, end);
    if (inflate === null) {
      output.push(slice);
    } else {
      try {
        inflate.push(slice, end === entry.dataEnd);
      } catch (error) {
        throw corrupt(`the compressed data is invalid (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    for (const chunk of output.splice(0)) {
      size += chunk.length;
      if (size > entry.size) throw corrupt("it holds more data than the ZIP directory says");
      crc = crc32(chunk, crc);
      yield chunk;
    }
    if (end === entry.dataEnd) break;
  }
  if (size !== entry.size) throw corrupt(`${size} bytes instead of ${entry.size}`);
  if (crc !== entry.crc32) throw corrupt("its CRC-32 does not match (the compressed data was changed or damaged)");
}
