import {
  ConnectionError,
  PredictionCanceledError,
  RateLimitError,
  Replicate,
  ServerError,
  TimeoutError,
} from 'replikit';
import type { RecordedRequest } from 'replikit/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { drive, leftovers, setup, TEXT } from './helpers';

const NOW = new Date('2025-06-01T00:00:00Z').getTime();

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

const creates = (requests: readonly RecordedRequest[]) =>
  requests.filter((r) => r.operation === 'models.predictions.create');
const gaps = (requests: readonly RecordedRequest[]) =>
  requests.slice(1).map((request, index) => request.time - requests[index]!.time);

describe('429 storms', () => {
  it('Retry-After is honoured to the millisecond, with no jitter and no extra request', async () => {
    const { fake, replicate } = setup({
      faults: [{ route: 'create', type: 'server-error', status: 429, retryAfter: 2, times: 3 }],
    });
    const outcome = await drive(() => replicate.run(TEXT, { input: { prompt: 'storm over' } }));
    expect(outcome.value).toEqual(['storm', ' over']);
    const sent = creates(fake.requests);
    expect(sent.map((r) => r.status)).toEqual([429, 429, 429, 201]);
    expect(gaps(sent)).toEqual([2000, 2000, 2000]);
    expect(fake.predictions.list()).toHaveLength(1);
  });

  it('a Retry-After beyond maxRetryAfter waits maxRetryAfter, not an hour', async () => {
    const { fake, replicate } = setup(
      { faults: [{ route: 'create', type: 'server-error', status: 429, retryAfter: 3600, times: 2 }] },
      { maxRetryAfter: 5_000 },
    );
    const outcome = await drive(() => replicate.run(TEXT, { input: { prompt: 'capped' } }));
    expect(outcome.value).toEqual(['capped']);
    expect(gaps(creates(fake.requests))).toEqual([5000, 5000]);
    // The prediction itself takes 1 ms on the fake.
    expect(outcome.at! - NOW).toBe(10_001);
  });

  it('a storm longer than the retry budget ends in RateLimitError: 1 + maxRetries requests, none early', async () => {
    const { fake, replicate, bodies } = setup({
      faults: [{ route: 'create', type: 'server-error', status: 429, retryAfter: 1 }],
    });
    const outcome = await drive(() => replicate.run(TEXT, { input: { prompt: 'never' } }));
    expect(outcome.error).toBeInstanceOf(RateLimitError);
    expect((outcome.error as RateLimitError).retryAfter).toBe(1);
    const sent = creates(fake.requests);
    expect(sent).toHaveLength(4);
    expect(gaps(sent)).toEqual([1000, 1000, 1000]);
    expect(fake.predictions.list()).toHaveLength(0);
    expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
  });

  it("the fake's own limiter under a burst: every call completes, none twice, no retry before its Retry-After", async ({
    task,
  }) => {
    const calls = 40;
    const { fake } = setup({ rateLimit: { creates: 5, requests: 3000, windowMs: 5_000 } });
    // When each call sent its create requests, by the prompt in the body.
    const attempts = new Map<string, number[]>();
    const recorded = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (request.method === 'POST') {
        const { input: body } = (await request.clone().json()) as { input: { prompt: string } };
        attempts.set(body.prompt, [...(attempts.get(body.prompt) ?? []), Date.now()]);
      }
      return fake.fetch(request);
    };
    const replicate = new Replicate({
      auth: 'r8_fault_suite',
      fetch: recorded as typeof fetch,
      maxRetries: 60,
    });
    const prompts = Array.from({ length: calls }, (_, index) => `burst ${index}`);
    const outcome = await drive(() =>
      Promise.all(prompts.map((prompt) => replicate.run(TEXT, { input: { prompt } }))),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.value).toEqual(prompts.map((prompt) => prompt.split(/(?= )/)));
    expect(fake.predictions.list()).toHaveLength(calls);
    const sent = creates(fake.requests);
    const retryGaps = [...attempts.values()].flatMap((times) =>
      times.slice(1).map((time, index) => time - times[index]!),
    );
    // The limiter refills one create a second, so it answers Retry-After: 1; nobody retries sooner.
    expect(Math.min(...retryGaps)).toBeGreaterThanOrEqual(1000);
    // 5 pass at once, then one a second: the last of 40 gets through after 35 s.
    const lastCreate = sent.filter((r) => r.status === 201).at(-1)!.time;
    expect(lastCreate - NOW).toBe(35_000);
    task.meta.figures = {
      'concurrent runs': calls,
      'create requests': sent.length,
      '429 answers': sent.filter((r) => r.status === 429).length,
      'predictions created': fake.predictions.list().length,
      'shortest retry gap (ms)': Math.min(...retryGaps),
      'fake time to the last create (s)': (lastCreate - NOW) / 1000,
    };
  });
});

describe('5xx and resets on GET are retried', () => {
  it('backoff 250, 500, 1000 ms (jitter at its floor), then the answer', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fake, replicate } = setup({
      faults: [{ route: 'predictions.get', type: 'server-error', status: 503, times: 3 }],
    });
    const created = await replicate.predictions.create({ model: TEXT, input: { prompt: 'x' } });
    const outcome = await drive(() => replicate.predictions.get(created.id));
    expect(outcome.value?.id).toBe(created.id);
    const gets = fake.requests.filter((r) => r.operation === 'predictions.get');
    expect(gets.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(gaps(gets)).toEqual([250, 500, 1000]);
  });

  it('a 503 with Retry-After waits what it says', async () => {
    const { fake, replicate } = setup({
      faults: [{ route: 'predictions.get', type: 'server-error', status: 503, retryAfter: 7, times: 1 }],
    });
    const created = await replicate.predictions.create({ model: TEXT, input: { prompt: 'x' } });
    await drive(() => replicate.predictions.get(created.id));
    expect(gaps(fake.requests.filter((r) => r.operation === 'predictions.get'))).toEqual([7000]);
  });

  it('run polls through 5xx and resets and returns the whole output, creating once', async () => {
    const { fake, replicate, bodies } = setup({
      faults: [
        // Three failures in a row: within maxRetries (3) of one GET.
        { route: 'predictions.get', type: 'server-error', status: 502, times: 2 },
        { route: 'predictions.get', type: 'reset', times: 1 },
      ],
    });
    const prompt = 'polling through an outage';
    const outcome = await drive(() =>
      replicate.run(TEXT, { input: { prompt }, wait: false, useStream: false }),
    );
    expect((outcome.value as string[]).join('')).toBe(prompt);
    expect(fake.count('create')).toBe(1);
    expect(fake.requests.filter((r) => r.fault !== undefined)).toHaveLength(3);
    expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
  });
});

describe('5xx, resets and timeouts on POST create are never retried: no duplicate prediction', () => {
  type Entry = 'run' | 'stream' | 'predictions.create';
  const entries: Entry[] = ['run', 'stream', 'predictions.create'];
  const faults = [
    ['500', { type: 'server-error', status: 500 }, ServerError, 0],
    ['502', { type: 'server-error', status: 502 }, ServerError, 0],
    ['503 with Retry-After', { type: 'server-error', status: 503, retryAfter: 1 }, ServerError, 0],
    ['504', { type: 'server-error', status: 504 }, ServerError, 0],
    ['a connection reset', { type: 'reset' }, ConnectionError, 0],
    // The two below are worse: the prediction exists but its response is lost; a retry would bill twice.
    ['a body cut after the prediction was made', { type: 'truncate' }, ConnectionError, 1],
    ['a 201 that is not JSON', { type: 'malformed-json' }, Error, 1],
  ] as const;

  const call = (replicate: ReturnType<typeof setup>['replicate'], entry: Entry) => {
    const input = { prompt: 'only once' };
    if (entry === 'run') return () => replicate.run(TEXT, { input });
    if (entry === 'stream')
      return async () => {
        for await (const _ of replicate.stream(TEXT, { input })) {
        }
      };
    return () => replicate.predictions.create({ model: TEXT, input });
  };

  for (const entry of entries) {
    it.each(faults)(`${entry}: %s`, async (_, fault, ErrorClass, made) => {
      const { fake, replicate, bodies } = setup({ faults: [{ route: 'create', ...fault, times: 1 }] });
      const outcome = await drive(call(replicate, entry));
      expect(outcome.error).toBeInstanceOf(ErrorClass);
      expect(outcome.error).toHaveProperty('name', expect.not.stringMatching(/^(TypeError|SyntaxError)$/));
      expect(fake.count('create')).toBe(1);
      expect(fake.predictions.list()).toHaveLength(made);
      expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
    });
  }

  it('a create that outlives the client timeout fails with TimeoutError and is not sent again', async () => {
    const { fake, replicate } = setup(
      { faults: [{ route: 'create', type: 'slow', delay: 120_000, times: 1 }] },
      { timeout: 5_000 },
    );
    const outcome = await drive(() => replicate.run(TEXT, { input: { prompt: 'late' }, wait: false }));
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect(outcome.at! - NOW).toBe(5_000);
    expect(fake.count('create')).toBe(1);
  });

  it('a cancel answered 500 is not retried either (and does not hide the timeout)', async () => {
    const { fake, replicate } = setup({
      faults: [{ route: 'predictions.cancel', type: 'server-error', status: 500 }],
    });
    const outcome = await drive(() => replicate.run('acme/slow', { input: {}, wait: false, timeout: 3_000 }));
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect(outcome.error).not.toBeInstanceOf(PredictionCanceledError);
    expect(fake.count('predictions.cancel')).toBe(1);
  });
});
