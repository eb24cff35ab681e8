import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NotFoundError, PredictionFailedError, Replicate } from '../../src/index';
import { prediction } from '../helpers/fixtures';
import { BASE, calls, json, problem, route } from '../helpers/server';
import { settle } from '../helpers/sse';

const NOW = new Date('2025-01-01T00:00:00Z').getTime();
const ID = 'ufawqhfynnddngldkgtslldrkq';
/** When the client sent each request and got its response (ms since NOW), before any msw latency. */
const sent: Array<{ method: string; at: number; answered: number }> = [];
const replicate = () =>
  new Replicate({
    auth: 'r8_test',
    baseUrl: BASE,
    fetch: async (input, init) => {
      const entry = { method: init?.method ?? (input as Request).method, at: Date.now() - NOW, answered: -1 };
      sent.push(entry);
      const response = await globalThis.fetch(input, init);
      entry.answered = Date.now() - NOW;
      return response;
    },
  });
const created = (status: string) => json(prediction({ status }), { status: 201 });
const got = (overrides: Record<string, unknown>) => json(prediction(overrides));
const running = (n: number) => Array.from({ length: n }, () => got({ status: 'processing' }));

const gets = () => sent.filter((s) => s.method === 'GET');
/** When each GET was sent, in ms after the create. */
const pollTimes = () => gets().map((s) => s.at);
/** The wait before each GET: from the previous response (the create's, then each GET's) to the request. */
const waits = () => {
  const all = sent.filter((s) => s.method === 'GET' || s.method === 'POST');
  return all.slice(1).map((s, i) => s.at - all[i]!.answered);
};

beforeEach(() => {
  sent.length = 0;
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('run: polling without urls.stream', () => {
  it('polls after 500 ms, growing ×1.5 per poll up to a 5 s cap', async () => {
    route('POST', '/models/acme/hello/predictions', created('starting'));
    route('GET', `/predictions/${ID}`, ...running(9), got({ status: 'succeeded', output: 'done' }));
    const outcome = await settle(() => replicate().run('acme/hello', { input: {} }));
    expect(outcome.value).toBe('done');
    // 500, 750, 1125, 1687.5 (→1688), 2531.25 (→2531), 3796.875 (→3797), then 5695 capped at 5000.
    expect(waits()).toEqual([500, 750, 1125, 1688, 2531, 3797, 5000, 5000, 5000, 5000]);
    expect(pollTimes()[0]).toBe(500);
  });

  it('starts from pollInterval', async () => {
    route('POST', '/models/acme/hello/predictions', created('starting'));
    route('GET', `/predictions/${ID}`, ...running(5), got({ status: 'succeeded' }));
    await settle(() => replicate().run('acme/hello', { input: {}, pollInterval: 1000 }));
    // 1000, 1500, 2250, 3375, 5062.5 → 5000, 5000.
    expect(waits()).toEqual([1000, 1500, 2250, 3375, 5000, 5000]);
  });

  it('caps at maxPollInterval', async () => {
    route('POST', '/models/acme/hello/predictions', created('starting'));
    route('GET', `/predictions/${ID}`, ...running(6), got({ status: 'succeeded' }));
    await settle(() => replicate().run('acme/hello', { input: {}, maxPollInterval: 2000 }));
    expect(waits()).toEqual([500, 750, 1125, 1688, 2000, 2000, 2000]);
  });

  it('keeps a pollInterval above the cap constant', async () => {
    route('POST', '/models/acme/hello/predictions', created('starting'));
    route('GET', `/predictions/${ID}`, ...running(2), got({ status: 'succeeded' }));
    await settle(() => replicate().run('acme/hello', { input: {}, pollInterval: 8000 }));
    expect(waits()).toEqual([8000, 8000, 8000]);
  });

  it('treats starting and processing as running, and stops at the first terminal status', async () => {
    route('POST', '/models/acme/hello/predictions', created('starting'));
    route(
      'GET',
      `/predictions/${ID}`,
      got({ status: 'starting' }),
      got({ status: 'processing', output: ['partial'] }),
      got({ status: 'succeeded', output: ['partial', ' whole'] }),
      got({ status: 'processing' }),
    );
    const outcome = await settle(() => replicate().run<string[]>('acme/hello', { input: {} }));
    expect(outcome.value).toEqual(['partial', ' whole']);
    expect(pollTimes()).toHaveLength(3);
  });

  it('counts requests for a 90 s prediction: 1 create + 22 polls', async () => {
    route('POST', '/models/acme/hello/predictions', created('starting'));
    // A prediction that finishes 90 s after its create.
    route('GET', `/predictions/${ID}`, () =>
      got({ status: Date.now() - NOW >= 90_000 ? 'succeeded' : 'processing' }),
    );
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, wait: false }));
    expect(outcome.error).toBeUndefined();
    // Polls at 500 … 20391 ms (8), then every 5 s: 25391 … 90391 (14).
    expect(calls).toHaveLength(1 + 22);
    expect(waits().slice(-3)).toEqual([5000, 5000, 5000]);
  });

  it('stops polling on a failed prediction without further requests', async () => {
    route('POST', '/models/acme/hello/predictions', created('processing'));
    route(
      'GET',
      `/predictions/${ID}`,
      got({ status: 'failed', error: 'bad input' }),
      got({ status: 'failed' }),
    );
    const outcome = await settle(() => replicate().run('acme/hello', { input: {} }));
    expect(outcome.error).toBeInstanceOf(PredictionFailedError);
    expect(pollTimes()).toEqual([500]);
  });

  it('gives up on a GET the API refuses (404) instead of polling forever', async () => {
    route('POST', '/models/acme/hello/predictions', created('starting'));
    route('GET', `/predictions/${ID}`, problem(404, { detail: 'Not found.', status: 404 }));
    const outcome = await settle(() => replicate().run('acme/hello', { input: {} }));
    expect(outcome.error).toBeInstanceOf(NotFoundError);
    expect(pollTimes()).toEqual([500]);
  });
});
