import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionError, Replicate } from '../../src/index';
import { createFakeReplicate } from '../../src/testing/fake';
import type { FaultRule } from '../../src/testing/faults';
import { presetModels } from '../../src/testing/presets';

const MODEL = 'meta/meta-llama-3-8b-instruct';

function setup(faults: FaultRule[], maxRetries?: number) {
  const fake = createFakeReplicate({
    models: presetModels({ tokenDelay: 0, stepDelay: 0, startDelay: 0 }),
    faults,
  });
  const replicate = new Replicate({ auth: 'r8_body_retry', fetch: fake.fetch, maxRetries });
  return { fake, replicate };
}

/** Settle `call` under fake timers, running every retry delay. */
async function settle<T>(call: () => Promise<T>) {
  const promise = call().then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error }),
  );
  await vi.advanceTimersByTimeAsync(60_000);
  return promise;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a JSON body cut off mid-read', () => {
  it('is read again for a GET: the second answer is returned', async () => {
    const { fake, replicate } = setup([{ route: 'predictions.get', type: 'truncate', times: 1 }]);
    const created = await replicate.predictions.create({ model: MODEL, input: { prompt: 'hi' } });
    const { value, error } = await settle(() => replicate.predictions.get(created.id));
    expect(error).toBeUndefined();
    expect(value?.id).toBe(created.id);
    expect(fake.count('predictions.get')).toBe(2);
  });

  it('gives up with ConnectionError once maxRetries is spent', async () => {
    const { fake, replicate } = setup([{ route: 'predictions.get', type: 'truncate' }], 2);
    const created = await replicate.predictions.create({ model: MODEL, input: { prompt: 'hi' } });
    const { error } = await settle(() => replicate.predictions.get(created.id));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(fake.count('predictions.get')).toBe(3);
  });

  it('is never sent again for a POST create: the prediction may exist', async () => {
    const { fake, replicate } = setup([{ route: 'create', type: 'truncate', times: 1 }]);
    const { error } = await settle(() =>
      replicate.predictions.create({ model: MODEL, input: { prompt: 'hi' } }),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(fake.count('create')).toBe(1);
  });
});
