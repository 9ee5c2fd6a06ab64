import { constants, crc32, deflateRawSync } from "node:zlib";
import { unzipSync } from "fflate";

// Zip bombs made from a real backup archive: one file swapped for a deflate stream of zeros
// that inflates to any size while staying about 1/1030 of it, without deflating gigabytes in
// the test. A block compressed with a full flush ends on a byte boundary and refers to nothing
// before it, so copies of it can be laid end to end; an empty final block closes the stream.

const BLOCK = 16 * 1024 * 1024;

function deflatedZeros(total: number): Buffer {
  const whole = deflateRawSync(Buffer.alloc(BLOCK), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const parts: Buffer[] = [];
  for (let left = total; left > 0; left -= BLOCK) {
    parts.push(left >= BLOCK ? whole : deflateRawSync(Buffer.alloc(left), { level: 9, finishFlush: constants.Z_FULL_FLUSH }));
  }
  parts.push(deflateRawSync(Buffer.alloc(0)));
  return Buffer.concat(parts);
}

interface Entry {
  name: string;
  data: Buffer;
  size: number;
  crc: number;
}

/** A plain ZIP (deflate, sizes in the local headers) of already-compressed entries. */
function zipOf(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(entry.crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(entry.crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export interface BombOptions {
  /** The file whose content becomes zeros. */
  file: string;
  /** What it inflates to (at most 4 GiB - 1: no ZIP64). */
  inflatesTo: number;
  /**
   * "honest": the ZIP directory and the manifest both give that size; "lying": both keep the
   * file's real size, and the data inflates far past it.
   */
  sizes: "honest" | "lying";
}

export function zipBomb(archive: Uint8Array, { file, inflatesTo, sizes }: BombOptions): Buffer {
  const files = unzipSync(archive);
  if (!files[file]) throw new Error(`${file} is not in the archive`);
  const manifest = JSON.parse(Buffer.from(files["manifest.json"]!).toString("utf8")) as { files: Record<string, { bytes: number }> };
  const declared = sizes === "honest" ? inflatesTo : files[file]!.length;
  manifest.files[file]!.bytes = declared;
  files["manifest.json"] = Buffer.from(JSON.stringify(manifest));
  const entries = Object.entries(files).map(([name, content]): Entry => {
    // The CRC of the zeros is never reached: the reader refuses before it gets there.
    if (name === file) return { name, data: deflatedZeros(inflatesTo), size: declared, crc: 0 };
    return { name, data: deflateRawSync(content), size: content.length, crc: crc32(content) };
  });
  return zipOf(entries);
}
