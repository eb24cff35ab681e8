import { TimeoutError } from '../errors.js';
import { linkSignals, sleep } from '../lifecycle/signals.js';
import { type Outcome, type RetrySettings, retryDelay } from './retry-policy.js';

/** One request as `fetch` gets it, sent again unchanged on each retry (but for the key the hooks set). */
export interface Attempt {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: BodyInit | undefined;
}

export interface AttemptOptions {
  fetch: typeof fetch;
  retry: RetrySettings;
  /** Timeout of one attempt until its response headers arrive, ms. */
  timeout: number;
  /** Aborts everything: the attempt in flight (and its body), the wait for a retry. */
  signal?: AbortSignal | undefined;
  /**
   * Aborts only while no attempt is in flight: the wait for a retry ends at once and no further attempt is
   * sent, but one already sent is left to finish. A create cut off mid-flight may have made a prediction whose
   * id then never arrives; one never sent made nothing.
   */
  stopSignal?: AbortSignal | undefined;
  /** After a failed response: true retries at once (a throttled pool key, with another key free). */
  retryNow?: ((response: Response, retries: number) => boolean) | undefined;
  /** Before each retry: the key to send it with (the pool's next pick), or undefined to keep the headers. */
  beforeRetry?: (() => Promise<string | undefined>) | undefined;
}

/**
 * Send `attempt` with `fetch`, retrying as `retryDelay` says, and resolve with the last response, whatever
 * its status (the caller turns a failed one into the typed error). Rejects with the network error once
 * retries are spent, with `TimeoutError` when an attempt times out, or with the signal's reason on abort.
 */
export async function sendAttempts(attempt: Attempt, options: AttemptOptions): Promise<Response> {
  const { signal, stopSignal } = options;
  const waits = signal ?? stopSignal;
  for (let retries = 0; ; retries++) {
    waits?.throwIfAborted();
    let outcome: Outcome;
    try {
      outcome = { response: await fetchOnce(attempt, options) };
    } catch (error) {
      if (waits?.aborted) throw waits.reason;
      // `fetch` rejects with a TypeError on a network failure (matched by name: it may come from another realm).
      if ((error as Error | undefined)?.name !== 'TypeError') throw error;
      outcome = { networkError: error };
    }
    const { response } = outcome as { response?: Response };
    if (response?.ok) return response;
    const delay =
      response && options.retryNow?.(response, retries) && retries < options.retry.maxRetries
        ? 0
        : retryDelay(attempt.method, outcome, retries + 1, options.retry);
    if (delay === undefined) {
      if (response) return response;
      throw (outcome as { networkError: unknown }).networkError;
    }
    if (response) {
      await response.body?.cancel().catch(() => {});
      release(response);
    }
    await sleep(delay, waits);
    const token = await options.beforeRetry?.();
    if (token) attempt.headers = { ...attempt.headers, authorization: `Bearer ${token}` };
  }
}

/**
 * Where `AbortSignal.any` is missing (Vercel's Edge Runtime), the `unlink` of the caller's signal from each
 * response's (`linkSignals`): `release` calls it once the body has been read, so a long-lived signal does not
 * collect a listener per request.
 */
const links = new WeakMap<Response, () => void>();

/** The caller's signal no longer needs to reach this response's body: it has been read or cancelled. */
export function release(response: Response): void {
  links.get(response)?.();
  links.delete(response);
}

/** One `fetch`, aborted by `signal` or after `timeout` ms without response headers (then `TimeoutError`). */
async function fetchOnce(attempt: Attempt, { fetch, timeout, signal }: AttemptOptions): Promise<Response> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeout);
  const { signal: fetchSignal, unlink } = signal
    ? linkSignals([signal, deadline.signal])
    : { signal: deadline.signal, unlink: undefined };
  try {
    const response = await fetch(attempt.url.href, {
      method: attempt.method,
      headers: attempt.headers,
      body: attempt.body,
      signal: fetchSignal,
    });
    if (unlink) links.set(response, unlink);
    return response;
  } catch (error) {
    unlink?.();
    if (deadline.signal.aborted && !signal?.aborted) {
      throw new TimeoutError(`The request timed out after ${timeout} ms.`, timeout);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
