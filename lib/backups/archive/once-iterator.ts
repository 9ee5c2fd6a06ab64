// One iterator over a source of batches (a database cursor), taken up front so its owner can
// close it even if iteration never reached it: return() of a generator that has not started
// runs none of its code, so a writer stopped while it was still writing key.json would
// otherwise never tell the cursor. Closing is idempotent and skipped once the source finished.

export class OnceIterator<T> implements AsyncIterableIterator<T> {
  readonly #iterator: AsyncIterator<T> | Iterator<T>;
  #open = true;

  constructor(source: AsyncIterable<T> | Iterable<T>) {
    this.#iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    const result = await this.#iterator.next();
    if (result.done) {
      this.#open = false;
      return { done: true, value: undefined };
    }
    return result;
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    if (this.#open) {
      this.#open = false;
      await this.#iterator.return?.();
    }
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
