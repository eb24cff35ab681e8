import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Replicate, type ReplicateOptions, ServerError, TimeoutError } from '../../src/index';
import { prediction } from '../helpers/fixtures';
import { BASE, calls, json, problem, type Reply, route } from '../helpers/server';

const NOW = new Date('2025-01-01T00:00:00Z').getTime();
const DRAIN = 10 * 60_000;

const client = (options: ReplicateOptions = {}) =>
  new Replicate({ auth: 'r8_test', baseUrl: BASE, ...options });

/** A reply that arrives `ms` milliseconds (of fake time) after the request. */
const delayed =
  (ms: number, response: () => Response): Reply =>
  async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return response();
  };
const ok = () => json(prediction({ id: 'abc', status: 'succeeded' }));
const created = () => json(prediction({ status: 'succeeded' }), { status: 201 });

/** Start `call`, record when and how it settles, and let fake time run until `ms`. */
function track<T>(call: () => Promise<T>) {
  const outcome: { settled: boolean; value?: T; error?: unknown; at?: number } = { settled: false };
  const done = call().then(
    (value) => Object.assign(outcome, { settled: true, value, at: Date.now() }),
    (error: unknown) => Object.assign(outcome, { settled: true, error, at: Date.now() }),
  );
  return { outcome, done };
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('timeouts', () => {
  it('throws TimeoutError with .timeout when a response is slower than the client timeout', async () => {
    route('GET', '/predictions/abc', delayed(5000, ok));
    const { outcome, done } = track(() => client({ timeout: 1000 }).predictions.get('abc'));
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect((outcome.error as TimeoutError).timeout).toBe(1000);
    expect((outcome.error as TimeoutError).message).toContain('1000 ms');
    expect(outcome.at).toBe(NOW + 1000);
    // A timeout is not retried: the request may have reached the server.
    expect(calls).toHaveLength(1);
  });

  it('uses a per-call timeout over the client timeout', async () => {
    route('GET', '/predictions/abc', delayed(5000, ok));
    const { outcome, done } = track(() =>
      client({ timeout: 60_000 }).predictions.get('abc', { timeout: 2000 }),
    );
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect((outcome.error as TimeoutError).timeout).toBe(2000);
    expect(outcome.at).toBe(NOW + 2000);
  });

  it('succeeds when the response arrives just inside the timeout', async () => {
    route('GET', '/predictions/abc', delayed(999, ok));
    const { outcome, done } = track(() => client({ timeout: 1000 }).predictions.get('abc'));
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect(outcome.error).toBeUndefined();
    expect(outcome.at).toBe(NOW + 999);
  });

  it('gives a create with wait: 20 at least 30 s although the client timeout is 5 s', async () => {
    route('POST', '/models/acme/hello/predictions', delayed(15_000, created));
    const { outcome, done } = track(() =>
      client({ timeout: 5000 }).predictions.create({ model: 'acme/hello', input: {}, wait: 20 }),
    );
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect(outcome.error).toBeUndefined();
    expect(outcome.at).toBe(NOW + 15_000);
    expect(calls[0]!.headers.get('prefer')).toBe('wait=20');
  });

  it('times a create with wait: 20 out after wait + 10 s', async () => {
    route('POST', '/models/acme/hello/predictions', delayed(31_000, created));
    const { outcome, done } = track(() =>
      client({ timeout: 5000 }).predictions.create({ model: 'acme/hello', input: {}, wait: 20 }),
    );
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect((outcome.error as TimeoutError).timeout).toBe(30_000);
    expect(outcome.at).toBe(NOW + 30_000);
  });

  it('gives a create with wait: true (60 s) 70 s', async () => {
    route('POST', '/models/acme/hello/predictions', delayed(65_000, created));
    const { outcome, done } = track(() =>
      client({ timeout: 5000 }).predictions.create({ model: 'acme/hello', input: {}, wait: true }),
    );
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect(outcome.error).toBeUndefined();
    expect(calls[0]!.headers.get('prefer')).toBe('wait');
  });

  it('does not extend a create without wait', async () => {
    route('POST', '/models/acme/hello/predictions', delayed(6000, created));
    const { outcome, done } = track(() =>
      client({ timeout: 5000 }).predictions.create({ model: 'acme/hello', input: {} }),
    );
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect((outcome.error as TimeoutError).timeout).toBe(5000);
    expect(calls[0]!.headers.get('prefer')).toBeNull();
  });
});

describe('aborts', () => {
  it('rejects with signal.reason and sends nothing when aborted before the call', async () => {
    route('GET', '/predictions/abc', ok());
    const controller = new AbortController();
    controller.abort();
    const error = await client()
      .predictions.get('abc', { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe('AbortError');
    expect(calls).toHaveLength(0);
  });

  it('rejects with a custom reason and sends nothing when a create is aborted before the call', async () => {
    route('POST', '/models/acme/hello/predictions', created());
    const reason = new Error('user left');
    const controller = new AbortController();
    controller.abort(reason);
    const error = await client()
      .predictions.create({ model: 'acme/hello', input: {}, signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(calls).toHaveLength(0);
  });

  it('checks the signal before resolving the token', async () => {
    vi.stubEnv('REPLICATE_API_TOKEN', '');
    const auth = vi.fn(() => undefined);
    const controller = new AbortController();
    controller.abort();
    const error = await new Replicate({ auth, baseUrl: BASE }).predictions
      .get('abc', { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBe(controller.signal.reason);
    expect(auth).not.toHaveBeenCalled();
  });

  it.each([
    ['the default AbortError', undefined],
    ['a custom reason', new Error('stop')],
    ['a non-Error reason', 'stop please'],
  ])('rejects with the same signal.reason (%s) when aborted mid-request', async (_, custom) => {
    route('GET', '/predictions/abc', delayed(10_000, ok));
    const controller = new AbortController();
    const { outcome, done } = track(() => client().predictions.get('abc', { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    expect(outcome.settled).toBe(false);
    controller.abort(custom);
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect(outcome.error).toBe(controller.signal.reason);
    if (custom !== undefined) expect(outcome.error).toBe(custom);
    else expect((outcome.error as Error).name).toBe('AbortError');
    expect(outcome.at).toBe(NOW + 1000);
    expect(calls).toHaveLength(1);
  });

  it('rejects promptly with signal.reason when aborted during a Retry-After wait', async () => {
    route('GET', '/predictions/abc', problem(503, { detail: 'busy' }, { 'retry-after': '30' }), ok());
    const controller = new AbortController();
    const reason = new Error('give up');
    const { outcome, done } = track(() => client().predictions.get('abc', { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    expect(outcome.settled).toBe(false);
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect(outcome.error).toBe(reason);
    expect(outcome.at).toBe(NOW + 1000);
    expect(calls).toHaveLength(1);
  });

  it('rejects promptly when aborted during a backoff wait of a POST 429', async () => {
    route(
      'POST',
      '/models/acme/hello/predictions',
      problem(429, { detail: 'slow down' }, { 'retry-after': '20' }),
    );
    const controller = new AbortController();
    const { outcome, done } = track(() =>
      client().predictions.create({ model: 'acme/hello', input: {}, signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(5000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect(outcome.error).toBe(controller.signal.reason);
    expect(outcome.at).toBe(NOW + 5000);
    expect(calls).toHaveLength(1);
  });

  it('does not mistake a server error for an abort when the signal is untouched', async () => {
    route('GET', '/predictions/abc', problem(500, { detail: 'boom' }));
    const controller = new AbortController();
    const { outcome, done } = track(() =>
      client({ maxRetries: 0 }).predictions.get('abc', { signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect(outcome.error).toBeInstanceOf(ServerError);
  });
});
