import { describe, expect, it, vi } from 'vitest';
import {
  ConnectionError,
  NotFoundError,
  RateLimitError,
  type ReplicateOptions,
  ServerError,
} from '../../src/index';
import { fixture } from '../helpers/fixtures';
import { calls, json, networkError, route } from '../helpers/server';
import {
  client,
  created,
  fail,
  gaps,
  jittered,
  NOW,
  noContent,
  ok,
  settle,
  useRetryClock,
} from './retry-helpers';

useRetryClock();

describe('GET retry schedule', () => {
  it('retries 5xx without Retry-After after 250, 500, 1000 ms when the jitter is 0', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    route('GET', '/predictions/abc', fail(503), fail(500), fail(502), ok());
    const { value, error } = await settle(() => client().predictions.get('abc'));
    expect(error).toBeUndefined();
    expect(value?.status).toBe('succeeded');
    expect(calls).toHaveLength(4);
    expect(calls[0]!.time).toBe(NOW.getTime());
    expect(gaps()).toEqual([250, 500, 1000]);
  });

  it('uses half the delay plus random · half: 375, 750, 1500 ms at random 0.5', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    route('GET', '/predictions/abc', fail(500), fail(500), fail(500), ok());
    await settle(() => client().predictions.get('abc'));
    expect(gaps()).toEqual([375, 750, 1500]);
  });

  it('approaches the full delays 500, 1000, 2000 ms as random approaches 1', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999999);
    route('GET', '/predictions/abc', fail(502), fail(502), fail(502), ok());
    await settle(() => client().predictions.get('abc'));
    expect(gaps()).toEqual([499, 999, 1999]);
    expect(gaps()).toEqual([500, 1000, 2000].map((delay) => jittered(delay, 0.999999)));
  });

  it('caps the backoff at 8 s before jitter', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999999);
    route('GET', '/predictions/abc', fail(500));
    const { error } = await settle(() => client({ maxRetries: 6 }).predictions.get('abc'));
    expect(error).toBeInstanceOf(ServerError);
    // 500 · 2^(n-1): 500, 1000, 2000, 4000, 8000, then 16000 capped to 8000.
    expect(gaps()).toEqual([499, 999, 1999, 3999, 7999, 7999]);
  });

  it('throws ServerError after maxRetries + 1 attempts and stops there', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    route('GET', '/predictions/abc', fail(500, { 'x-request-id': 'req_1' }));
    const { error, at } = await settle(() => client().predictions.get('abc'));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, detail: 'failed with 500', requestId: 'req_1' });
    expect(calls).toHaveLength(4);
    // Rejected right after the 4th attempt, not after some extra wait.
    expect(at - NOW.getTime()).toBe(250 + 500 + 1000);
  });

  it('makes exactly one attempt with maxRetries: 0', async () => {
    route('GET', '/predictions/abc', fail(503), ok());
    const { error } = await settle(() => client({ maxRetries: 0 }).predictions.get('abc'));
    expect(error).toBeInstanceOf(ServerError);
    expect(calls).toHaveLength(1);
  });

  it('makes exactly one attempt on a 429 with maxRetries: 0 and keeps retryAfter', async () => {
    route('GET', '/predictions/abc', fail(429, { 'retry-after': '7' }), ok());
    const { error } = await settle(() => client({ maxRetries: 0 }).predictions.get('abc'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(7);
    expect(calls).toHaveLength(1);
  });

  it('does not retry a 404', async () => {
    route('GET', '/predictions/abc', fail(404), ok());
    const { error } = await settle(() => client().predictions.get('abc'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(calls).toHaveLength(1);
  });

  it('retries network errors with the same backoff', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    route('GET', '/predictions/abc', networkError(), networkError(), ok());
    const { value } = await settle(() => client().predictions.get('abc'));
    expect(value?.id).toBe('abc');
    expect(gaps()).toEqual([250, 500]);
  });

  it('does not retry what a custom fetch throws that is not a network error (a bug, not the network)', async () => {
    let attempts = 0;
    const fetch = (async () => {
      attempts++;
      throw new RangeError('broken proxy');
    }) as typeof globalThis.fetch;
    const { error } = await settle(() => client({ fetch }).predictions.get('abc'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toContain('broken proxy');
    expect(attempts).toBe(1);
  });

  it('throws ConnectionError once network errors outlast the retries', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    route('GET', '/predictions/abc', networkError());
    const { error } = await settle(() => client({ maxRetries: 2 }).predictions.get('abc'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(calls).toHaveLength(3);
    expect(gaps()).toEqual([250, 500]);
  });
});

describe('unsafe methods', () => {
  const create = (options: ReplicateOptions = {}) =>
    client(options).predictions.create({ model: 'acme/hello', input: { text: 'hi' } });

  it.each([500, 502, 503, 504])('never retries POST create on %i', async (status) => {
    route('POST', '/models/acme/hello/predictions', fail(status), created());
    const { error } = await settle(() => create());
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(status);
    expect(calls).toHaveLength(1);
  });

  it('never retries POST create on a 503 even when it carries Retry-After', async () => {
    route('POST', '/models/acme/hello/predictions', fail(503, { 'retry-after': '1' }), created());
    const { error } = await settle(() => create());
    expect(error).toBeInstanceOf(ServerError);
    expect(calls).toHaveLength(1);
  });

  it('never retries POST create on a network error', async () => {
    route('POST', '/models/acme/hello/predictions', networkError(), created());
    const { error } = await settle(() => create());
    expect(error).toBeInstanceOf(ConnectionError);
    expect(calls).toHaveLength(1);
  });

  it('retries POST create on 429 after Retry-After, resending the same body', async () => {
    route('POST', '/models/acme/hello/predictions', fail(429, { 'retry-after': '2' }), created());
    const { value, error } = await settle(() => create());
    expect(error).toBeUndefined();
    expect(value?.id).toBe('ufawqhfynnddngldkgtslldrkq');
    expect(gaps()).toEqual([2000]);
    expect(calls.map((call) => JSON.parse(call.body))).toEqual([
      { input: { text: 'hi' } },
      { input: { text: 'hi' } },
    ]);
  });

  it('retries POST create on 429 with an HTTP-date Retry-After', async () => {
    const at = new Date(NOW.getTime() + 4000).toUTCString();
    route('POST', '/models/acme/hello/predictions', fail(429, { 'retry-after': at }), created());
    const { error } = await settle(() => create());
    expect(error).toBeUndefined();
    expect(gaps()).toEqual([4000]);
  });

  it('gives up on POST 429 after maxRetries + 1 attempts with RateLimitError', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    route('POST', '/models/acme/hello/predictions', fail(429));
    const { error } = await settle(() => create({ maxRetries: 2 }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBeUndefined();
    expect(gaps()).toEqual([250, 500]);
  });

  it('never retries PATCH on 500 or a network error', async () => {
    route('PATCH', '/deployments/acme/app', fail(500), networkError(), json(fixture('api/deployment.json')));
    const first = await settle(() => client().deployments.update('acme', 'app', { max_instances: 2 }));
    expect(first.error).toBeInstanceOf(ServerError);
    expect(calls).toHaveLength(1);
    const second = await settle(() => client().deployments.update('acme', 'app', { max_instances: 2 }));
    expect(second.error).toBeInstanceOf(ConnectionError);
    expect(calls).toHaveLength(2);
  });

  it('retries PATCH on 429 after Retry-After', async () => {
    route(
      'PATCH',
      '/deployments/acme/app',
      fail(429, { 'retry-after': '1' }),
      json(fixture('api/deployment.json')),
    );
    const { value } = await settle(() => client().deployments.update('acme', 'app', { max_instances: 2 }));
    expect(value?.owner).toBe('acme');
    expect(gaps()).toEqual([1000]);
  });

  it('retries DELETE on 5xx and network errors', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    route('DELETE', '/deployments/acme/app', fail(500), networkError(), fail(502), noContent());
    const { error } = await settle(() => client().deployments.delete('acme', 'app'));
    expect(error).toBeUndefined();
    expect(gaps()).toEqual([250, 500, 1000]);
  });
});
