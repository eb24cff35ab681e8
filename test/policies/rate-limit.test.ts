import { createFakeReplicate, textModel } from 'replikit/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidRequestError, Replicate, type ReplicateOptions } from '../../src/index';
import { Bucket, RateLimiter } from '../../src/policies/rate-limit';
import { prediction } from '../helpers/fixtures';
import { BASE, calls, json, route } from '../helpers/server';
import { track } from '../helpers/sse';

const NOW = new Date('2025-01-01T00:00:00Z').getTime();
const client = (options: ReplicateOptions = {}) =>
  new Replicate({ auth: 'r8_test', baseUrl: BASE, ...options });
const create = (replicate: Replicate, signal?: AbortSignal) =>
  replicate.predictions.create({ model: 'acme/model', input: { prompt: 'hi' }, signal });
/** `Date.now()` offsets at which the fake API received each request. */
const times = (method?: string) =>
  calls.filter((c) => !method || c.method === method).map((c) => c.time - NOW);

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Bucket', () => {
  /** Take `n` units one after another's request (all queued at once); the times each was granted. */
  async function grants(bucket: Bucket, n: number, cost = 1) {
    const at: number[] = [];
    const all = Array.from({ length: n }, () => bucket.take(cost).then(() => at.push(Date.now() - NOW)));
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await Promise.all(all);
    return at;
  }

  it('lets a burst of the whole budget through, then one every 60 000 / limit ms', async () => {
    const at = await grants(new Bucket(60), 63);
    expect(at.slice(0, 60)).toEqual(Array(60).fill(0));
    expect(at.slice(60)).toEqual([1000, 2000, 3000]);
  });

  it('spreads calls evenly with a small burst', async () => {
    expect(await grants(new Bucket(600, 2), 5)).toEqual([0, 0, 100, 200, 300]);
  });

  it('serves the queue in order: a big request is not overtaken by small ones', async () => {
    const bucket = new Bucket(60, 10);
    await bucket.take(10);
    const order: string[] = [];
    const big = bucket.take(5).then(() => order.push(`big@${Date.now() - NOW}`));
    const small = bucket.take(1).then(() => order.push(`small@${Date.now() - NOW}`));
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all([big, small]);
    expect(order).toEqual(['big@5000', 'small@6000']);
  });

  it('keeps one timer while calls wait and none when idle', async () => {
    const bucket = new Bucket(60, 1);
    await bucket.take(1);
    const waiting = [bucket.take(1), bucket.take(1), bucket.take(1)];
    expect(vi.getTimerCount()).toBe(1);
    expect(bucket.waiting).toBe(3);
    await vi.advanceTimersByTimeAsync(3000);
    await Promise.all(waiting);
    expect(bucket.waiting).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects an aborted waiter with signal.reason, lets the others go, and clears its timer', async () => {
    const bucket = new Bucket(60, 1);
    await bucket.take(1);
    const controller = new AbortController();
    const aborted = track(() => bucket.take(1, controller.signal));
    const next = track(() => bucket.take(1));
    const reason = new DOMException('stop', 'AbortError');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(aborted.outcome).toMatchObject({ settled: true, error: reason });
    await vi.advanceTimersByTimeAsync(1000);
    expect(next.outcome).toMatchObject({ settled: true, at: NOW + 1000 });
    expect(vi.getTimerCount()).toBe(0);

    const lone = new AbortController();
    const alone = track(() => bucket.take(1, lone.signal));
    expect(vi.getTimerCount()).toBe(1);
    lone.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(alone.outcome.error).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once, queueing nothing, when the signal is already aborted', async () => {
    const bucket = new Bucket(60);
    const reason = new Error('already');
    expect(() => bucket.take(1, AbortSignal.abort(reason))).toThrow(reason);
    expect(bucket.waiting).toBe(0);
  });

  it('charges after the fact: a debt delays the next call until it is repaid', async () => {
    const bucket = new Bucket(60);
    bucket.adjust(90); // 60 available - 90 = 30 in debt
    expect(await grants(bucket, 1)).toEqual([31_000]);
  });

  it('clamps a request larger than the bucket to a full bucket instead of waiting forever', async () => {
    const bucket = new Bucket(60, 10);
    expect(await grants(bucket, 2, 25)).toEqual([0, 10_000]);
  });
});

describe('RateLimiter options', () => {
  it.each([
    [{ requestsPerMinute: 0 }, 'rateLimit.requestsPerMinute'],
    [{ createsPerMinute: -1 }, 'rateLimit.createsPerMinute'],
    [{ tokensPerMinute: Number.NaN }, 'rateLimit.tokensPerMinute'],
    [{ requestsPerMinute: 10, burst: 0 }, 'rateLimit.burst'],
  ])('refuses %j, naming the field', (options, field) => {
    expect(() => new RateLimiter(options)).toThrow(InvalidRequestError);
    expect(() => new RateLimiter(options)).toThrow(field);
  });

  it('reports an invalid limit on the first request, not at construction', async () => {
    route('GET', '/predictions/abc', json(prediction({ id: 'abc' })));
    const replicate = client({ rateLimit: { requestsPerMinute: -5 } });
    await expect(replicate.predictions.get('abc')).rejects.toThrow(/requestsPerMinute/);
    expect(calls).toHaveLength(0);
  });
});

describe('rateLimit on the client', () => {
  it('queues creates past createsPerMinute without slowing other calls', async () => {
    route('POST', '/models/acme/model/predictions', json(prediction(), { status: 201 }));
    route('GET', '/predictions/abc', json(prediction({ id: 'abc' })));
    const replicate = client({ rateLimit: { createsPerMinute: 2, requestsPerMinute: 600 } });
    const creates = [create(replicate), create(replicate), create(replicate)];
    const gets = [replicate.predictions.get('abc'), replicate.predictions.get('abc')];
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all([...creates, ...gets]);
    expect(times('POST')).toEqual([0, 0, 30_000]);
    expect(times('GET')).toEqual([0, 0]);
  });

  it('counts creates against requestsPerMinute when createsPerMinute is not set', async () => {
    route('POST', '/models/acme/model/predictions', json(prediction(), { status: 201 }));
    route('GET', '/predictions/abc', json(prediction({ id: 'abc' })));
    // When each call left the queue (msw, driven by a timer, sees it a fake millisecond later).
    const sent: number[] = [];
    const onRequest = () => sent.push(Date.now() - NOW);
    const replicate = client({ rateLimit: { requestsPerMinute: 60, burst: 1 }, onRequest });
    const all = [create(replicate), replicate.predictions.get('abc'), create(replicate)];
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(all);
    expect(sent).toEqual([0, 1000, 2000]);
    expect(calls.map((c) => c.method)).toEqual(['POST', 'GET', 'POST']);
  });

  it('never sends a queued call whose signal aborts: it rejects with signal.reason', async () => {
    route('POST', '/models/acme/model/predictions', json(prediction(), { status: 201 }));
    const replicate = client({ rateLimit: { createsPerMinute: 1 } });
    await create(replicate);
    const controller = new AbortController();
    const queued = track(() => create(replicate, controller.signal));
    await vi.advanceTimersByTimeAsync(10_000);
    const reason = new DOMException('user left', 'AbortError');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(queued.outcome).toMatchObject({ settled: true, error: reason });
    expect(calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps 20 runs under the fake’s create limit: no 429, creates spaced by the limit', async () => {
    const fake = createFakeReplicate({
      rateLimit: { creates: 5, requests: 1000 },
      models: { 'acme/echo': textModel({ respond: () => ['ok'], tokenDelay: 0 }) },
      presets: false,
    });
    const replicate = new Replicate({ auth: 'test', fetch: fake.fetch, rateLimit: { createsPerMinute: 5 } });
    const runs = Array.from({ length: 20 }, () =>
      track(() => replicate.run('acme/echo', { input: { prompt: 'x' } })),
    );
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(runs.every((run) => run.outcome.settled && run.outcome.error === undefined)).toBe(true);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
    const creates = fake.requests.filter((r) => r.operation.endsWith('predictions.create'));
    expect(creates).toHaveLength(20);
    const offsets = creates.map((r) => r.time - NOW);
    expect(offsets.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(offsets.slice(5, 8)).toEqual([12_000, 24_000, 36_000]);
    expect(offsets.at(-1)).toBe(180_000);
  });

  it('without rateLimit, 20 runs meet the fake’s 429s (what the limiter avoids)', async () => {
    const fake = createFakeReplicate({
      rateLimit: { creates: 5, requests: 1000 },
      models: { 'acme/echo': textModel({ respond: () => ['ok'], tokenDelay: 0 }) },
      presets: false,
    });
    const replicate = new Replicate({ auth: 'test', fetch: fake.fetch, maxRetries: 0 });
    const runs = Array.from({ length: 20 }, () =>
      track(() => replicate.run('acme/echo', { input: { prompt: 'x' } })),
    );
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs.filter((run) => run.outcome.error !== undefined).length).toBeGreaterThan(0);
    expect(fake.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });
});
