// The restore upload through the app's real route handler (POST /api/keys/[id]/restore), signed
// in through Auth.js: zip bombs refused before they inflate with the server's memory flat, an
// upload over the limit refused as it streams in, one restore per user at a time.

import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeBackupArchive } from "@/lib/backups/archive/write-archive";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { signUp } from "@/lib/auth/sign-up";
import { createPrismaClient, type Db } from "@/lib/db";
import { spoolUpload } from "@/lib/http/upload";
import { useTestEnv } from "../../support/app-env";
import { callRoute, ORIGIN, signInCookie } from "../../support/route-harness";
import { createSealedBinding } from "../../support/sealed-binding";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { zipBomb } from "../../support/zip-bomb";
import { KEY, NOW, readAll, trade } from "../../unit/backups/fixtures";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const PASSWORD = "a long enough password";
const BOUNDARY = "----myits-test-boundary";

let database: TestDatabase;
let client: Db;
let cookie: string;
let bindingId: string;
let archive: Uint8Array;
let POST: typeof import("@/app/api/keys/[id]/restore/route").POST;

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  const email = `restore-${Date.now()}@it.test`;
  const user = await signUp(client, { email, password: PASSWORD }, noRequestMeta);
  bindingId = await createSealedBinding(client, user.id, { exchange: "binance", label: "Main", apiKey: "restore-test-key-0001", secret: "s3cret-restore" });
  const { handlers } = await import("@/auth");
  cookie = await signInCookie(handlers, email, PASSWORD);
  ({ POST } = await import("@/app/api/keys/[id]/restore/route"));
  const trades = Array.from({ length: 50 }, (_, i) => trade({ tradeId: String(i + 1), tradedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) }));
  archive = await readAll(writeBackupArchive({ trades: [trades], key: KEY, bots: [], now: NOW }));
});

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="archive"; filename="backup.zip"\r\nContent-Type: application/zip\r\n\r\n`);
const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
const multipart = (file: Uint8Array) => Buffer.concat([head, file, tail]);

/** A chunked body (no Content-Length): `chunks` are pulled one by one, as a socket would give them. */
function chunked(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, onPull?: (pulled: number) => void): ReadableStream<Uint8Array> {
  let pulled = 0;
  const iterator = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : (chunks as Iterable<Uint8Array>)[Symbol.iterator]()) as
    | AsyncIterator<Uint8Array>
    | Iterator<Uint8Array>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) return controller.close();
        pulled += next.value.length;
        onPull?.(pulled);
        controller.enqueue(next.value);
      },
    },
    { highWaterMark: 0 },
  );
}

function restore(body: BodyInit, headers: Record<string, string> = {}) {
  const request = new Request(`${ORIGIN}/api/keys/${bindingId}/restore`, {
    method: "POST",
    headers: { cookie, origin: ORIGIN, "content-type": `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
  return callRoute(POST, request, { id: bindingId });
}

const uploadsLeft = () => readdirSync(tmpdir()).filter((name) => name.startsWith("myits-upload-"));

describe("restore upload", () => {
  it("restores a valid archive sent chunked, and leaves no temporary file behind", async () => {
    const before = uploadsLeft();
    const bytes = multipart(archive);
    const response = await restore(chunked([bytes.subarray(0, 100), bytes.subarray(100)]));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ restored: { rows: 50, inserted: 50, alreadyPresent: 0 } });
    expect(uploadsLeft()).toEqual(before);
  });

  it("refuses a 4 MB archive that inflates to 4 GiB with a clear message, memory flat", async () => {
    const bomb = zipBomb(archive, { file: "trades.csv", inflatesTo: 4 * GiB - 1, sizes: "honest" });
    expect(bomb.length).toBeLessThan(5 * MiB);
    const lying = zipBomb(archive, { file: "key.json", inflatesTo: 4 * GiB - 1, sizes: "lying" });
    const stored = await client.tradeRecord.count({ where: { bindingId } });
    const [bombBody, lyingBody] = [multipart(bomb), multipart(lying)];
    // One pass before measuring: the first refusal loads and compiles the code on its path,
    // which is growth of the process, not of the upload.
    for (const body of [bombBody, lyingBody]) await (await restore(body)).arrayBuffer();
    const idle = process.memoryUsage().rss;
    let peak = idle;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      const refused = await restore(bombBody);
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.message).toMatch(
        /^This backup cannot be restored: trades\.csv would inflate to 4\.0 GiB from 4\.0 MiB \(\d+ times; a backup compresses about 10 times\): refused as a likely ZIP bomb\.$/,
      );
      const stopped = await restore(lyingBody);
      expect(stopped.status).toBe(400);
      expect((await stopped.json()).error.message).toBe("This backup cannot be restored: key.json is corrupt: it holds more data than the ZIP directory says.");
    } finally {
      clearInterval(sample);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    console.info(`zip bombs: RSS ${(idle / MiB).toFixed(0)} MiB idle, peak +${((peak - idle) / MiB).toFixed(1)} MiB`);
    expect(peak - idle).toBeLessThan(50 * MiB);
    expect(await client.tradeRecord.count({ where: { bindingId } })).toBe(stored);
  });

  it("refuses a declared Content-Length over the limit before reading the body", async () => {
    let pulled = 0;
    const response = await restore(
      chunked([head], (n) => (pulled = n)),
      { "content-length": String(600 * MiB) },
    );
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: "The archive is larger than 512 MB." });
    expect(pulled).toBe(0);
  });

  it("answers 409 to a second restore while the first is still uploading, and the first completes", async () => {
    const bytes = multipart(archive);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let lockHeld!: () => void;
    const holding = new Promise<void>((resolve) => (lockHeld = resolve));
    async function* slowUpload() {
      yield bytes.subarray(0, 200);
      lockHeld(); // the route reads the body only once it holds the lock
      await released;
      yield bytes.subarray(200);
    }
    const first = restore(chunked(slowUpload()));
    await holding;
    const second = await restore(multipart(archive));
    expect(second.status).toBe(409);
    expect((await second.json()).error.message).toBe("A restore is already running for your account: wait for it to finish, then try again.");
    release();
    const done = await first;
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ restored: { rows: 50, inserted: 0, alreadyPresent: 50 } });
    // and the lock is free again
    expect((await restore(multipart(archive))).status).toBe(200);
  });
});

describe("spoolUpload", () => {
  it("stops a chunked upload (no Content-Length) at the limit, reading no further, and removes the partial file", async () => {
    const before = uploadsLeft();
    let pulled = 0;
    function* endless() {
      yield head;
      for (;;) yield Buffer.alloc(64 * 1024, 1);
    }
    const request = new Request(`${ORIGIN}/upload`, {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: chunked(endless(), (n) => (pulled = n)),
      duplex: "half",
    } as RequestInit);
    await expect(spoolUpload(request, { field: "archive", maxBytes: 4 * MiB, what: "The archive" })).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      message: "The archive is larger than 4 MB.",
    });
    expect(pulled).toBeGreaterThan(4 * MiB);
    expect(pulled).toBeLessThan(4 * MiB + 512 * 1024);
    expect(uploadsLeft()).toEqual(before);
  });
});
