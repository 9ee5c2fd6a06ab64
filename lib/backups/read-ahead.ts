// Yields what `source` yields, but asks it for the next item as soon as the current one is
// handed out. In an export this overlaps the exchange request for page n+1 with the database
// transaction that stores page n; in a backup download, the query for the next batch of
// trades with writing this batch's CSV.
//
// Only one item is ever ahead, and nothing is committed for it until the consumer has
// finished with the one before, so a crash at any point of an export still leaves the stored
// cursor and the stored trades in agreement (the page fetched ahead is simply fetched
// again). A failure of the read-ahead surfaces when the consumer reaches that item, not
// earlier. When the consumer stops early (break, an error), the source is closed after its
// request in flight has settled, so no request outlives the run.

export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | null = iterator.next();
  // The consumer may stop before awaiting it: its failure must not go unhandled meanwhile.
  pending.catch(() => {});
  try {
    for (;;) {
      const current: IteratorResult<T> = await pending;
      pending = null;
      if (current.done) return;
      pending = iterator.next();
      pending.catch(() => {});
      yield current.value;
    }
  } finally {
    if (pending !== null) {
      await pending.catch(() => {});
      await iterator.return?.();
    }
  }
}
