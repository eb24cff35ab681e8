import {
  ConnectionError,
  RateLimitError,
  Replicate,
  type ReplicateOptions,
  ResponseValidationError,
  ServerError,
} from 'replikit';
import { createFakeReplicate, type FakeReplicateOptions, textModel } from 'replikit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

const MODEL = 'acme/echo';

function setup(options: FakeReplicateOptions = {}, client: ReplicateOptions = {}) {
  const fake = createFakeReplicate({
    presets: false,
    models: { [MODEL]: textModel({ respond: 'ok', tokenDelay: 0, startDelay: 0 }) },
    ...options,
  });
  return { fake, replicate: new Replicate({ auth: 'test', fetch: fake.fetch, ...client }) };
}

const auth = { authorization: 'Bearer test' };

afterEach(() => {
  vi.useRealTimers();
});

describe('faults', () => {
  it('5xx on a GET: the client retries and the counters show it', async () => {
    const { fake, replicate } = setup({
      faults: [{ route: 'predictions.get', type: 'server-error', status: 503, times: 1 }],
    });
    const created = await replicate.predictions.create({ model: MODEL, input: {} });
    const fetched = await replicate.predictions.get(created.id);
    expect(fetched.id).toBe(created.id);
    expect(fake.count('predictions.get')).toBe(2);
    expect(fake.requests.filter((r) => r.operation === 'predictions.get').map((r) => r.status)).toEqual([
      503, 200,
    ]);
  });

  it('5xx on a create is not retried: no duplicate prediction', async () => {
    const { fake, replicate } = setup({ faults: [{ route: 'create', type: 'server-error', times: 1 }] });
    const error = await replicate.predictions
      .create({ model: MODEL, input: {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(500);
    expect(fake.count('create')).toBe(1);
    expect(fake.predictions.list()).toHaveLength(0);
  });

  it('connection resets reject fetch with TypeError and surface as ConnectionError', async () => {
    const { fake, replicate } = setup(
      { faults: [{ route: 'GET /account', type: 'reset' }] },
      { maxRetries: 0 },
    );
    await expect(
      fake.fetch('https://api.replicate.com/v1/account', { headers: auth }),
    ).rejects.toBeInstanceOf(TypeError);
    const error = await replicate.account.get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(fake.requests.at(-1)).toMatchObject({
      operation: 'account.get',
      status: undefined,
      fault: 'reset',
    });
  });

  it('a reset on a GET is retried by the client', async () => {
    const { fake, replicate } = setup({ faults: [{ route: 'account.get', type: 'reset', times: 2 }] });
    expect(await replicate.account.get()).toMatchObject({ username: 'replikit-test' });
    expect(fake.count('account.get')).toBe(3);
  });

  it('malformed JSON becomes ResponseValidationError', async () => {
    const { fake, replicate } = setup({ faults: [{ route: 'account.get', type: 'malformed-json' }] });
    const raw = await fake.fetch('https://api.replicate.com/v1/account', { headers: auth });
    expect(raw.status).toBe(200);
    await expect(raw.clone().json()).rejects.toThrow();
    await expect(replicate.account.get()).rejects.toBeInstanceOf(ResponseValidationError);
  });

  it('a body cut mid-way fails the read', async () => {
    const { replicate } = setup({ faults: [{ route: 'account.get', type: 'truncate' }] });
    const error = await replicate.account.get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it('slow responses wait on the fake clock', async () => {
    const { fake, replicate } = setup({
      clock: 'manual',
      faults: [{ route: 'account.get', type: 'slow', delay: 5000 }],
    });
    let done = false;
    const pending = replicate.account.get().then((account) => {
      done = true;
      return account;
    });
    await fake.advance(4999);
    expect(done).toBe(false);
    await fake.advance(1);
    expect(done).toBe(true);
    await expect(pending).resolves.toMatchObject({ type: 'user' });
  });

  it('probabilistic faults follow the seed; skip lets the first requests through', async () => {
    const pattern = async (seed: number) => {
      const { fake } = setup({ seed, faults: [{ type: 'server-error', probability: 0.5, skip: 2 }] });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        statuses.push((await fake.fetch('https://api.replicate.com/v1/hardware', { headers: auth })).status);
      }
      return statuses;
    };
    const first = await pattern(7);
    expect(first.slice(0, 2)).toEqual([200, 200]);
    expect(first.filter((status) => status === 500).length).toBeGreaterThan(3);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(5);
    expect(await pattern(7)).toEqual(first);
    expect(await pattern(8)).not.toEqual(first);
  });

  it('faults can be added and removed at run time', async () => {
    const { fake } = setup();
    const remove = fake.faults.add({ route: '/hardware', type: 'server-error', status: 502 });
    const get = async () =>
      (await fake.fetch('https://api.replicate.com/v1/hardware', { headers: auth })).status;
    expect(await get()).toBe(502);
    remove();
    expect(await get()).toBe(200);
    fake.faults.add({ route: /^GET \/hard/, type: 'server-error' });
    expect(await get()).toBe(500);
    fake.faults.clear();
    expect(await get()).toBe(200);
  });
});

describe('rate limits', () => {
  it('sends ratelimit-* headers like the recordings', async () => {
    const { fake } = setup();
    const create = await fake.fetch(`https://api.replicate.com/v1/models/${MODEL}/predictions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ input: {} }),
    });
    expect(create.headers.get('ratelimit-remaining')).toBe('599');
    expect(create.headers.get('ratelimit-reset')).toBe('1');
    const other = await fake.fetch('https://api.replicate.com/v1/account', { headers: auth });
    expect(other.headers.get('ratelimit-remaining')).toBe('2999');
  });

  it('answers 429 with Retry-After past the configured rate', async () => {
    const { fake, replicate } = setup({ rateLimit: { creates: 2, windowMs: 60_000 } }, { maxRetries: 0 });
    await replicate.predictions.create({ model: MODEL, input: {} });
    await replicate.predictions.create({ model: MODEL, input: {} });
    const error = await replicate.predictions
      .create({ model: MODEL, input: {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(30);
    expect((error as RateLimitError).problem?.detail).toBe(
      'Request was throttled. Expected available in 30 seconds.',
    );
    expect(await replicate.account.get()).toBeDefined();
    expect(fake.count('create')).toBe(3);
  });

  it('the client waits Retry-After and succeeds (fake timers)', async () => {
    vi.useFakeTimers();
    const { fake, replicate } = setup({ rateLimit: { creates: 1, windowMs: 1000 } });
    await replicate.predictions.create({ model: MODEL, input: {} });
    const second = replicate.predictions.create({ model: MODEL, input: {} });
    await vi.advanceTimersByTimeAsync(1100);
    expect((await second).status).toBeDefined();
    expect(
      fake.requests.filter((r) => r.operation === 'models.predictions.create').map((r) => r.status),
    ).toEqual([201, 429, 201]);
  });
});
