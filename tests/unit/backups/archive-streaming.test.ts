import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { verifyBackupArchive } from "@/lib/backups/archive/read-archive";
import { writeBackupArchive } from "@/lib/backups/archive/write-archive";
import { BOTS, generatedBatches, KEY, NOW } from "./fixtures";

// Flat memory while streaming 200,000 trades (about 75 MB of CSV). No timing assertions here:
// throughput is measured by the benchmark; this checks the shape of the stream and the heap.

const TRADES = 200_000;
const MiB = 1024 * 1024;

describe("backup archive streaming", () => {
  it("writes 200,000 trades in small chunks with flat memory, pulling from the source as it goes", { timeout: 60_000 }, async () => {
    const { batches, state } = generatedBatches(TRADES, 1000);
    const reader = writeBackupArchive({ trades: batches, key: KEY, bots: BOTS, now: NOW }).getReader();

    const baseline = process.memoryUsage().heapUsed;
    let peakHeap = baseline;
    const sizes: number[] = [];
    const chunks: Uint8Array[] = [];
    let producedAtChunk100 = 0;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      sizes.push(next.value.length);
      chunks.push(next.value); // kept (about 7 MB compressed) to verify the result below
      if (sizes.length === 100) producedAtChunk100 = state.produced;
      if (sizes.length % 20 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
    console.info(
      `200k trades: ${sizes.length} chunks, largest ${Math.max(...sizes)} B, archive ${(totalBytes / MiB).toFixed(1)} MiB, ` +
        `peak heap growth ${((peakHeap - baseline) / MiB).toFixed(1)} MiB`,
    );

    expect(state.closed).toBe(true);
    // streaming, not buffering: the first chunks left before most trades were even produced
    expect(producedAtChunk100).toBeLessThan(TRADES / 4);
    expect(sizes.length).toBeGreaterThan(500);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(128 * 1024);
    expect(peakHeap - baseline).toBeLessThan(64 * MiB);

    const archive = Buffer.concat(chunks);
    const result = await verifyBackupArchive(archive);
    if (!result.ok) throw new Error(result.problem);
    // Info-ZIP checks every file's CRC-32 and sizes, which trades.csv's zlib deflate computes
    // chunk by chunk (native-deflate.ts).
    const dir = mkdtempSync(join(tmpdir(), "backup-streaming-"));
    try {
      writeFileSync(join(dir, "big.zip"), archive);
      expect(execFileSync("unzip", ["-t", join(dir, "big.zip")], { encoding: "utf8" })).toMatch(/No errors detected/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(result.manifest.counts.trades).toBe(TRADES);
    expect(result.manifest.files["trades.csv"].rows).toBe(TRADES);
    expect(result.manifest.range).toEqual({ from: "2024-01-01T00:00:00.000Z", to: new Date(Date.UTC(2024, 0, 1) + (TRADES - 1) * 1000).toISOString() });
  });
});
