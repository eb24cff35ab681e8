import { describe, expect, it } from 'vitest';
import { batchedIterator } from '../../src/lifecycle/batched-iterator';
import { collect } from '../helpers/sse';

/** A sync iterator over `items` that throws `error` when it reaches an item equal to it. */
function batch<T>(items: T[], error?: T): Iterator<T, undefined> {
  let index = 0;
  return {
    next: () => {
      if (index >= items.length) return { value: undefined, done: true };
      const item = items[index++]!;
      if (item === error) throw new Error(`bad item ${String(item)}`);
      return { value: item, done: false };
    },
  };
}

/** A batch generator that records what happens to it. */
function source(batches: Array<Iterator<number, undefined>>) {
  const log: string[] = [];
  async function* generate() {
    try {
      for (const [index, each] of batches.entries()) {
        log.push(`yield ${index}`);
        yield each;
      }
      log.push('end');
    } catch (error) {
      log.push(`caught ${(error as Error).message}`);
      throw error;
    } finally {
      log.push('finally');
    }
  }
  return { log, iterator: batchedIterator(generate()) };
}

describe('BatchedIterator', () => {
  it('yields the items of every batch, skipping empty ones, and resumes the generator once per batch', async () => {
    const { log, iterator } = source([batch([1, 2, 3]), batch([]), batch([4]), batch([5, 6])]);
    expect(await collect(iterator)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log).toEqual(['yield 0', 'yield 1', 'yield 2', 'yield 3', 'end', 'finally']);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('throws an item that throws into the generator at its yield, after the items before it', async () => {
    const { log, iterator } = source([batch([1, 2, 3, 4], 3), batch([5])]);
    const seen: number[] = [];
    const error = await (async () => {
      for await (const item of iterator) seen.push(item);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([1, 2]);
    expect((error as Error).message).toBe('bad item 3');
    expect(log).toEqual(['yield 0', 'caught bad item 3', 'finally']);
  });

  it('runs the finally of the generator when the consumer breaks in the middle of a batch', async () => {
    const { log, iterator } = source([batch([1, 2, 3]), batch([4])]);
    for await (const item of iterator) if (item === 2) break;
    expect(log).toEqual(['yield 0', 'finally']);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('sends throw() to the generator', async () => {
    const { log, iterator } = source([batch([1, 2])]);
    await iterator.next();
    await expect(iterator.throw(new Error('from the consumer'))).rejects.toThrow('from the consumer');
    expect(log).toEqual(['yield 0', 'caught from the consumer', 'finally']);
  });

  it('settles calls made without waiting in the order they were made', async () => {
    const { log, iterator } = source([batch([1]), batch([2, 3]), batch([4])]);
    const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.return()]);
    expect(results).toEqual([
      { value: 1, done: false },
      { value: 2, done: false },
      { value: 3, done: false },
      { value: undefined, done: true },
    ]);
    expect(log).toEqual(['yield 0', 'yield 1', 'finally']);
  });

  it('lets a return() made while the generator is busy wait for that call', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const log: string[] = [];
    async function* slow() {
      try {
        await gate;
        yield batch([1, 2]);
      } finally {
        log.push('finally');
      }
    }
    const iterator = batchedIterator(slow());
    const first = iterator.next();
    const stop = iterator.return();
    release();
    expect(await first).toEqual({ value: 1, done: false });
    expect(await stop).toEqual({ value: undefined, done: true });
    expect(log).toEqual(['finally']);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});

describe('batchedIterator and `await using`', () => {
  it('disposes like an async generator: return() reaches the generator, its finally runs', async () => {
    const log: string[] = [];
    async function* generate() {
      try {
        yield [1, 2][Symbol.iterator]();
        yield [3][Symbol.iterator]();
      } finally {
        log.push('finally');
      }
    }
    const iterator = batchedIterator(generate());
    expect((await iterator.next()).value).toBe(1);
    await (iterator as unknown as AsyncDisposable)[Symbol.asyncDispose]();
    expect(log).toEqual(['finally']);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});
