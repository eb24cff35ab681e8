import { describe, expect, it, vi } from 'vitest';
import { RateLimitError } from '../../src/index';
import { calls, route } from '../helpers/server';
import { client, fail, gaps, NOW, ok, settle, useRetryClock } from './retry-helpers';

useRetryClock();

describe('Retry-After', () => {
  it('waits the 2 s a 429 asks for, without jitter', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    route('GET', '/predictions/abc', fail(429, { 'retry-after': '2' }), ok());
    const { value } = await settle(() => client().predictions.get('abc'));
    expect(value?.id).toBe('abc');
    expect(gaps()).toEqual([2000]);
  });

  it('honours Retry-After on a 503 too', async () => {
    route('GET', '/predictions/abc', fail(503, { 'retry-after': '3' }), ok());
    await settle(() => client().predictions.get('abc'));
    expect(gaps()).toEqual([3000]);
  });

  it('honours an HTTP-date Retry-After', async () => {
    const at = new Date(NOW.getTime() + 5000).toUTCString(); // 'Wed, 01 Jan 2025 00:00:05 GMT'
    route('GET', '/predictions/abc', fail(429, { 'retry-after': at }), ok());
    await settle(() => client().predictions.get('abc'));
    expect(gaps()).toEqual([5000]);
  });

  it("falls back to Replicate's ratelimit-reset header when Retry-After is absent", async () => {
    route('GET', '/predictions/abc', fail(429, { 'ratelimit-reset': '1' }), ok());
    await settle(() => client().predictions.get('abc'));
    expect(gaps()).toEqual([1000]);
  });

  it('reads an x-ratelimit-reset epoch time (seconds) as the moment to retry', async () => {
    const reset = String(NOW.getTime() / 1000 + 7);
    route('GET', '/predictions/abc', fail(429, { 'x-ratelimit-reset': reset }), ok());
    await settle(() => client().predictions.get('abc'));
    expect(gaps()).toEqual([7000]);
  });

  it('uses the backoff when Retry-After is malformed', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    route('GET', '/predictions/abc', fail(503, { 'retry-after': 'soon' }), ok());
    await settle(() => client().predictions.get('abc'));
    expect(gaps()).toEqual([250]);
  });

  it('uses the backoff for a 429 without any timing header', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    route('GET', '/predictions/abc', fail(429), fail(429), ok());
    await settle(() => client().predictions.get('abc'));
    expect(gaps()).toEqual([250, 500]);
  });

  it('caps Retry-After: 3600 at 60 s by default', async () => {
    route('GET', '/predictions/abc', fail(429, { 'retry-after': '3600' }), ok());
    await settle(() => client().predictions.get('abc'));
    expect(gaps()).toEqual([60_000]);
  });

  it('caps Retry-After at a custom maxRetryAfter', async () => {
    route('GET', '/predictions/abc', fail(429, { 'retry-after': '3600' }), ok());
    await settle(() => client({ maxRetryAfter: 5000 }).predictions.get('abc'));
    expect(gaps()).toEqual([5000]);
  });

  it('throws RateLimitError with retryAfter after the last retry', async () => {
    route('GET', '/predictions/abc', fail(429, { 'retry-after': '1' }));
    const { error } = await settle(() => client().predictions.get('abc'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfter: 1, detail: 'failed with 429' });
    expect(calls).toHaveLength(4);
    expect(gaps()).toEqual([1000, 1000, 1000]);
  });
});
