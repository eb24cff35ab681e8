import type { FakeClock } from './clock.js';
import type { PredictionRecord } from './prediction.js';

/** An uploaded file. */
export interface StoredFile {
  seq: number;
  id: string;
  name: string;
  contentType: string;
  bytes: Uint8Array;
  sha256: string;
  md5: string;
  metadata: Record<string, unknown>;
  createdAt: number;
}

/** A file a model produced, served from the delivery host. */
export interface Delivery {
  bytes: Uint8Array;
  contentType: string;
}

/**
 * Everything the fake remembers, plus change notification: a held `Prefer: wait` request, an event stream
 * or a webhook schedule sleeps until the next thing it expects, or until someone cancels the prediction.
 */
export class FakeState {
  readonly predictions = new Map<string, PredictionRecord>();
  readonly files = new Map<string, StoredFile>();
  /** Model outputs by URL path. */
  readonly deliveries = new Map<string, Delivery>();
  #seq = 0;
  readonly #listeners = new Map<string, Set<() => void>>();

  nextSeq(): number {
    return ++this.#seq;
  }

  /** Wake everything waiting on `id` (it was canceled, or the fake is closing). */
  notify(id: string): void {
    const listeners = this.#listeners.get(id);
    if (!listeners) return;
    this.#listeners.delete(id);
    for (const listener of listeners) listener();
  }

  /** Wake every waiter (on close). */
  notifyAll(): void {
    for (const id of [...this.#listeners.keys()]) this.notify(id);
  }

  /** Resolves at the next `notify(id)`, or when `signal` aborts. Never rejects. */
  changed(id: string, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      let listeners = this.#listeners.get(id);
      if (!listeners) {
        listeners = new Set();
        this.#listeners.set(id, listeners);
      }
      const done = () => {
        this.#listeners.get(id)?.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      listeners.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * Sleep on the clock until `at` (ms since the epoch), or until the prediction changes, or `signal` aborts,
 * whichever comes first. Cleans up the losers so no timer or listener outlives the wait.
 */
export async function waitUntil(
  clock: FakeClock,
  state: FakeState,
  id: string,
  at: number,
  signal?: AbortSignal,
): Promise<void> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const waits = [state.changed(id, stop.signal)];
    if (Number.isFinite(at)) waits.push(clock.sleep(Math.max(0, at - clock.now()), stop.signal));
    await Promise.race(waits);
  } finally {
    stop.abort();
    signal?.removeEventListener('abort', onAbort);
  }
}
