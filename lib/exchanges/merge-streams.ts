// Runs several async streams at once and hands on their items as they arrive: an exchange
// that keeps separate rate-limit budgets (Binance's weight pools) can have a request in
// flight in every budget. Each stream keeps one request ahead; when the consumer stops
// early, every stream is closed.

export interface Tagged<K extends string, T> {
  stream: K;
  item: T;
}

export async function* mergeStreams<K extends string, T>(streams: ReadonlyArray<readonly [K, AsyncIterator<T>]>): AsyncGenerator<Tagged<K, T>, void, undefined> {
  const pending = new Map<K, Promise<{ stream: K; result: IteratorResult<T> }>>();
  const iterators = new Map(streams);
  const pull = (stream: K) => {
    const next = iterators.get(stream)!.next().then((result) => ({ stream, result }));
    // a stream that fails after another one already did must not be an unhandled rejection
    next.catch(() => undefined);
    pending.set(stream, next);
  };
  for (const [stream] of streams) pull(stream);
  try {
    while (pending.size > 0) {
      const { stream, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(stream);
        iterators.delete(stream);
        continue;
      }
      // the next request of this stream runs while the consumer handles this item
      pull(stream);
      yield { stream, item: result.value };
    }
  } finally {
    // stop the others; a stream that failed already ended on its own
    await Promise.allSettled([...iterators.values()].map((iterator) => iterator.return?.()));
  }
}
