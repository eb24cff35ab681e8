/**
 * A signal for ky that aborts when `stop` does, but only while no attempt is in flight: the wait for a
 * retry ends at once, no further attempt is sent, and an attempt already sent is left to finish. A create
 * cut off mid-flight may have made a prediction whose id then never arrives; one never sent made nothing.
 * `dispose` once ky has answered: reading the body must not be cut either.
 */
export function attemptGate(stop: AbortSignal, inner: typeof fetch) {
  const controller = new AbortController();
  let inFlight = 0;
  const close = () => {
    if (inFlight === 0) controller.abort(stop.reason);
  };
  stop.addEventListener('abort', close, { once: true });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // The stop came while an attempt was in flight, and ky went on to retry: that one is never sent.
    stop.throwIfAborted();
    inFlight++;
    try {
      return await inner(input, init);
    } finally {
      inFlight--;
    }
  };
  return {
    signal: controller.signal,
    fetch: fetch as typeof globalThis.fetch,
    dispose: () => stop.removeEventListener('abort', close),
  };
}
