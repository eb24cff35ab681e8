import { TimeoutError } from '../errors.js';

/** A signal that aborts when `signal` does or when `timeout` ms pass (reason: our `TimeoutError`). */
export function withDeadline(
  signal: AbortSignal | undefined,
  timeout: number | undefined,
  what: string,
): { signal: AbortSignal | undefined; clear: () => void } {
  if (timeout === undefined) return { signal, clear: () => {} };
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  const timer = setTimeout(
    () => controller.abort(new TimeoutError(`${what} timed out after ${timeout} ms.`, timeout)),
    timeout,
  );
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Resolve after `ms`, or reject with `signal.reason` as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settle with `promise`, or reject with `signal.reason` first if it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A signal that aborts when the first of `signals` does, with its reason: `AbortSignal.any`, with a fallback
 * for runtimes that lack it (Vercel's Edge Runtime). There the result is tied to the others by listeners,
 * removed when one aborts or by `unlink` (undefined where `AbortSignal.any` keeps the link itself), for a
 * caller that knows when the result is no longer needed.
 */
export function linkSignals(signals: readonly AbortSignal[]): {
  signal: AbortSignal;
  unlink: (() => void) | undefined;
} {
  if (typeof AbortSignal.any === 'function') {
    return { signal: AbortSignal.any(signals as AbortSignal[]), unlink: undefined };
  }
  const controller = new AbortController();
  const aborted = signals.find((signal) => signal.aborted);
  if (aborted) {
    controller.abort(aborted.reason);
    return { signal: controller.signal, unlink: undefined };
  }
  const unlink = () => {
    for (const signal of signals) signal.removeEventListener('abort', onAbort);
  };
  const onAbort = (event: Event) => {
    unlink();
    controller.abort((event.target as AbortSignal).reason);
  };
  for (const signal of signals) signal.addEventListener('abort', onAbort);
  return { signal: controller.signal, unlink };
}

/**
 * `AbortSignal.any`, with a fallback for runtimes that lack it (Vercel's Edge Runtime): the first signal to
 * abort aborts the result with its reason (`linkSignals`, for callers that never unlink).
 */
export function anySignal(signals: readonly AbortSignal[]): AbortSignal {
  return linkSignals(signals).signal;
}
