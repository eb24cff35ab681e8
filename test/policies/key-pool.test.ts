import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import {
  AuthenticationError,
  InvalidRequestError,
  PaymentRequiredError,
  RateLimitError,
} from '../../src/index';
import { KeyPool } from '../../src/policies/key-pool';
import { useFakeClock } from '../helpers/clock';
import { prediction } from '../helpers/fixtures';
import { BASE, calls, json, route } from '../helpers/server';
import { track } from '../helpers/sse';
import { A, B, C, client, keys, NOW, ok, reject, settle, throttled } from './helpers';

useFakeClock(NOW);

describe('KeyPool', () => {
  it('uses keys in proportion to their weights, interleaved (smooth weighted round-robin)', async () => {
    const pool = new KeyPool([{ token: A, weight: 3 }, B]);
    const picks = [];
    for (let i = 0; i < 8; i++) picks.push(await pool.pick());
    expect(picks).toEqual([A, A, B, A, A, A, B, A]);
  });

  it.each([
    [[], 'the key pool is empty'],
    [[''], 'auth[0]'],
    [[{ token: A, weight: 0 }], 'auth[0].weight'],
    [[A, { token: B, weight: Number.POSITIVE_INFINITY }], 'auth[1].weight'],
  ])('refuses the pool %j with an error naming the entry', (entries, field) => {
    expect(() => new KeyPool(entries as never)).toThrow(InvalidRequestError);
    expect(() => new KeyPool(entries as never)).toThrow(field);
  });

  it('waits for the first resting key when all rest, and an abort ends the wait', async () => {
    const pool = new KeyPool([A, B]);
    pool.rest(A, 5000);
    pool.rest(B, 2000);
    const picked = track(() => pool.pick());
    await vi.advanceTimersByTimeAsync(1999);
    expect(picked.outcome.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(picked.outcome).toMatchObject({ settled: true, value: B });

    pool.rest(B, 10_000);
    const controller = new AbortController();
    const aborted = track(() => pool.pick(controller.signal));
    controller.abort(new Error('gone'));
    await vi.advanceTimersByTimeAsync(0);
    expect(aborted.outcome.error).toEqual(new Error('gone'));
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('auth as a key pool', () => {
  it('sends requests with each key by weight', async () => {
    route('GET', '/predictions/abc', ok());
    const replicate = client({ auth: [{ token: A, weight: 2 }, { token: B }] });
    for (let i = 0; i < 6; i++) await replicate.predictions.get('abc');
    expect(keys()).toEqual([A, B, A, A, B, A]);
  });

  it('rests a key that got 429 until its Retry-After and retries at once with another key', async () => {
    route('GET', '/predictions/abc', throttled(30), ok());
    const replicate = client({ auth: [A, B] });
    const first = await settle(() => replicate.predictions.get('abc'), 0);
    expect(first.error).toBeUndefined();
    expect(keys()).toEqual([A, B]);
    expect(calls[1]!.time - calls[0]!.time).toBeLessThanOrEqual(1); // no Retry-After wait: B was free
    // A rests for 30 s: only B serves meanwhile
    await replicate.predictions.get('abc');
    await replicate.predictions.get('abc');
    expect(keys().slice(2)).toEqual([B, B]);
    await vi.advanceTimersByTimeAsync(30_000);
    await replicate.predictions.get('abc');
    await replicate.predictions.get('abc');
    expect(new Set(keys().slice(4))).toEqual(new Set([A, B]));
  });

  it('retries a throttled create (POST) with the next key, since the server rejected it unseen', async () => {
    route('POST', '/models/acme/model/predictions', throttled(10), json(prediction(), { status: 201 }));
    const replicate = client({ auth: [A, B] });
    const created = await settle(() => replicate.predictions.create({ model: 'acme/model', input: {} }), 0);
    expect(created.error).toBeUndefined();
    expect(keys()).toEqual([A, B]);
  });

  it('waits out Retry-After when every key is resting, then gives up with RateLimitError after the retries', async () => {
    route('GET', '/predictions/abc', throttled(5));
    const replicate = client({ auth: [A, B], maxRetries: 3 });
    const outcome = await settle(() => replicate.predictions.get('abc'));
    expect(outcome.error).toBeInstanceOf(RateLimitError);
    expect(keys().slice(0, 2)).toEqual([A, B]);
    expect(new Set(keys().slice(2))).toEqual(new Set([A, B])); // both free again after 5 s: one each
    const at = calls.map((call) => call.time - NOW);
    expect(at[1]).toBeLessThanOrEqual(1); // B was free: at once
    expect(at[2]).toBeGreaterThanOrEqual(5000); // both resting: A's Retry-After
    expect(at[2]).toBeLessThanOrEqual(5002);
    expect(at[3]! - at[2]!).toBeLessThanOrEqual(1); // B rested as long: free again
  });

  it('takes a key that gets 401 or 402 out of rotation and repeats the call with the next key', async () => {
    route(
      'POST',
      '/models/acme/model/predictions',
      reject(401),
      reject(402),
      json(prediction(), { status: 201 }),
    );
    route('GET', '/predictions/abc', ok());
    const replicate = client({ auth: [A, B, C] });
    await replicate.predictions.create({ model: 'acme/model', input: {} });
    expect(keys()).toEqual([A, B, C]);
    for (let i = 0; i < 3; i++) await replicate.predictions.get('abc');
    expect(keys().slice(3)).toEqual([C, C, C]);
  });

  it('throws a clear error naming fingerprints only once every key is rejected, then sends nothing', async () => {
    route('GET', '/predictions/abc', reject(401), reject(402));
    const replicate = client({ auth: [A, B] });
    const error = await replicate.predictions.get('abc').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const message = (error as Error).message;
    expect(message).toBe(
      'Every key of the auth pool was rejected: r8_…1111 (401), r8_…2222 (402). Check or replace them.',
    );
    for (const text of [message, String(error), inspect(error), JSON.stringify(error)]) {
      expect(text).not.toContain(A);
      expect(text).not.toContain(B);
    }
    expect(calls).toHaveLength(2);
    await expect(replicate.predictions.get('abc')).rejects.toThrow('Every key of the auth pool was rejected');
    expect(calls).toHaveLength(2);
  });

  it('throws PaymentRequiredError when every key ran out of credit', async () => {
    route('GET', '/predictions/abc', reject(402));
    const error = await client({ auth: [A, B] })
      .predictions.get('abc')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentRequiredError);
    expect((error as PaymentRequiredError).status).toBe(402);
  });

  it('does not rotate on 403 (a permission on one resource, not a bad key)', async () => {
    route('GET', '/predictions/abc', reject(403), ok());
    const error = await client({ auth: [A, B] })
      .predictions.get('abc')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(keys()).toEqual([A]);
  });

  it('streams, polls and cancels a prediction with the key that created it', async () => {
    const stream = 'https://stream.replicate.com/v1/files/xyz';
    const urls = { get: `${BASE}/predictions/p1`, cancel: `${BASE}/predictions/p1/cancel`, stream };
    route('POST', '/models/acme/model/predictions', json(prediction({ id: 'p1', urls }), { status: 201 }));
    route(
      'GET',
      stream,
      new Response('event: done\ndata: {}\n\n', { headers: { 'content-type': 'text/event-stream' } }),
    );
    route('GET', '/predictions/p1', ok('p1'));
    route('POST', '/predictions/p1/cancel', ok('p1'));
    route('GET', '/predictions/other', ok('other'));
    const replicate = client({ auth: [A, B] });
    const events = [];
    for await (const event of replicate.stream('acme/model', { input: {} })) events.push(event.type);
    expect(events).toEqual(['done']);
    await replicate.predictions.get('p1');
    await replicate.predictions.cancel('p1');
    await replicate.predictions.get('other'); // not sticky: the rotation goes on
    expect(calls.map((call) => call.url.pathname)).toEqual([
      '/v1/models/acme/model/predictions',
      '/v1/files/xyz',
      '/v1/predictions/p1',
      '/v1/predictions/p1/cancel',
      '/v1/predictions/other',
    ]);
    expect(keys()).toEqual([A, A, A, A, B]);
  });
});
