import { describe, expect, it } from "vitest";
import { readAhead } from "@/lib/backups/read-ahead";

// A source that records when each item is asked for and when the source is closed.
function recordingSource(items: number[], failAt?: number) {
  const log: string[] = [];
  async function* source() {
    try {
      for (const [index, item] of items.entries()) {
        log.push(`ask ${item}`);
        await Promise.resolve();
        if (index === failAt) throw new Error(`source failed at ${item}`);
        yield item;
      }
    } finally {
      log.push("closed");
    }
  }
  return { log, source: source() };
}

describe("readAhead", () => {
  it("yields every item in order", async () => {
    const { source } = recordingSource([1, 2, 3, 4]);
    const seen: number[] = [];
    for await (const item of readAhead(source)) seen.push(item);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it("asks for the next item before the consumer has finished with the current one, never two ahead", async () => {
    const { log, source } = recordingSource([1, 2, 3]);
    const consumed: string[] = [];
    for await (const item of readAhead(source)) {
      // the consumer's work on `item` happens here; the source was already asked for item + 1
      consumed.push(`work ${item}: ${log.filter((line) => line.startsWith("ask")).length} asked`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(consumed).toEqual(["work 1: 2 asked", "work 2: 3 asked", "work 3: 3 asked"]);
  });

  it("surfaces a failure of the item read ahead only when the consumer reaches it", async () => {
    const { source } = recordingSource([1, 2, 3], 1);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(source)) seen.push(item);
      })(),
    ).rejects.toThrow("source failed at 2");
    expect(seen).toEqual([1]);
  });

  it("closes the source when the consumer stops early, after the request in flight settles", async () => {
    const { log, source } = recordingSource([1, 2, 3, 4]);
    for await (const item of readAhead(source)) {
      if (item === 2) break;
    }
    expect(log).toEqual(["ask 1", "ask 2", "ask 3", "closed"]);
  });
});
