// Turns chunks from an async generator into a web ReadableStream a route handler can return.
// Pull-based: the next chunk is produced only when the consumer wants it, so a slow client
// slows the database cursor instead of filling memory. cancel() (a client abort) calls the
// generator's return(), which runs its finally blocks and those of every for-await inside it,
// so the source iterator (a Postgres cursor) is closed. Readable.toWeb did not do that.

export function toReadableStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason: unknown) {
      await iterator.return?.(reason);
    },
  });
}
