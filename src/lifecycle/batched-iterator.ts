/** A generator of batches: it yields one sync iterator per batch (the events of one network read). */
export type Batches<T> = AsyncGenerator<Iterator<T, unknown>, void, undefined>;

const ignore = () => {};

/**
 * An async generator over the items of the batches another generator yields. `next()` takes the next item
 * of the current batch and resumes the generator only when the batch runs out, so an item costs one settled
 * promise instead of a generator round trip: for a stream of 100k tokens that is most of the work.
 *
 * The generator still sees everything an async generator yielding the items itself would: an item that
 * throws (an `error` event, an abort) is thrown into it at its `yield`, and `return()` and `throw()` go to
 * it, so its `catch` and `finally` run as before. Calls wait for the calls before them, as they do on an
 * async generator.
 */
class BatchedIterator<T> implements AsyncIterator<T, void, undefined> {
  readonly #batches: Batches<T>;
  #batch: Iterator<T, unknown> | undefined;
  /** Calls that resume the generator and have not settled: while there are any, later calls wait in line. */
  #waiting = 0;
  /** Settles after the last of those calls. */
  #tail: Promise<void> = Promise.resolve();

  constructor(batches: Batches<T>) {
    this.#batches = batches;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T, void>> {
    if (this.#waiting > 0) return this.#track(this.#tail.then(() => this.#take()));
    const item = this.#take();
    return item instanceof Promise ? this.#track(item) : Promise.resolve(item);
  }

  return(value?: void | PromiseLike<void>): Promise<IteratorResult<T, void>> {
    return this.#track(
      this.#tail.then(() => {
        this.#batch = undefined;
        return this.#pump(this.#batches.return(value));
      }),
    );
  }

  throw(error: unknown): Promise<IteratorResult<T, void>> {
    return this.#track(
      this.#tail.then(() => {
        this.#batch = undefined;
        return this.#pump(this.#batches.throw(error));
      }),
    );
  }

  /** The next item: at once from the current batch, else a promise of the first one of a later batch. */
  #take(): IteratorResult<T, void> | Promise<IteratorResult<T, void>> {
    if (this.#batch) {
      try {
        const item = this.#batch.next();
        if (!item.done) return item;
      } catch (error) {
        this.#batch = undefined;
        return this.#pump(this.#batches.throw(error));
      }
      this.#batch = undefined;
    }
    return this.#pump(this.#batches.next());
  }

  /** Follow the generator until it yields a batch with an item, or ends. */
  async #pump(step: Promise<IteratorResult<Iterator<T, unknown>, void>>): Promise<IteratorResult<T, void>> {
    for (;;) {
      const answer = await step;
      if (answer.done) return answer;
      try {
        const item = answer.value.next();
        if (!item.done) {
          this.#batch = answer.value;
          return item;
        }
        step = this.#batches.next();
      } catch (error) {
        step = this.#batches.throw(error);
      }
    }
  }

  /**
   * Make later calls wait for `call`, which resumes the generator. The count drops before the caller sees
   * the result, so its next call can take the fast path again.
   */
  #track(call: Promise<IteratorResult<T, void>>): Promise<IteratorResult<T, void>> {
    this.#waiting++;
    const result = call.finally(() => {
      this.#waiting--;
    });
    this.#tail = result.then(ignore, ignore);
    return result;
  }
}

// `await using`, where the runtime has `Symbol.asyncDispose` (as native async generators do there). Not a declared
// member: the published declarations must compile for consumers whose `lib` has no `esnext.disposable`.
const { asyncDispose } = Symbol as { asyncDispose?: symbol };
if (asyncDispose) {
  Object.defineProperty(BatchedIterator.prototype, asyncDispose, {
    async value(this: BatchedIterator<unknown>) {
      await this.return();
    },
  });
}

/**
 * The items of `batches`, as an async generator (see `BatchedIterator`).
 * @example
 * for await (const event of batchedIterator(readBatches())) handle(event);
 */
export function batchedIterator<T>(batches: Batches<T>): AsyncGenerator<T, void, undefined> {
  return new BatchedIterator(batches) as unknown as AsyncGenerator<T, void, undefined>;
}
