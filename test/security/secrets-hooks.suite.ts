import { AuthenticationError, Replicate, type ReplicateOptions } from 'replikit';
import { createFakeReplicate } from 'replikit/testing';
import { describe, expect, it } from 'vitest';
import { collect, drive } from '../faults/helpers';
import { useFakeClock } from '../helpers/clock';
import { echoing, expectClean, failure, NOW, OTHER, setup, TOKEN } from './secrets-helpers';

useFakeClock(NOW);

describe('hooks and key pools show fingerprints, never keys', () => {
  it('onRequest, onResponse, onError and onUsage payloads, with a pool of two keys', async () => {
    const payloads: unknown[] = [];
    const keep = (event: unknown) => {
      payloads.push(event);
    };
    const hooks = { onRequest: keep, onResponse: keep, onError: keep, onUsage: keep };
    const { replicate } = setup(
      { faults: [{ route: 'predictions.get', type: 'server-error', status: 401, times: 1 }] },
      { auth: [TOKEN, OTHER], ...hooks } as ReplicateOptions,
    );
    await drive(() => replicate.run('acme/echo', { input: { prompt: 'a b' } }));
    await drive(() => collect(replicate.stream('acme/echo', { input: { prompt: 'c d' } })));
    await drive(() => replicate.predictions.get('missing').catch(() => undefined));
    expect(payloads.length).toBeGreaterThan(6);
    for (const payload of payloads) expectClean(payload, OTHER);
  });

  it('hook payloads of a prediction whose error echoes the key it was sent with', async () => {
    const payloads: unknown[] = [];
    const keep = (event: unknown) => {
      payloads.push(event);
    };
    const hooks = { onRequest: keep, onResponse: keep, onError: keep, onUsage: keep };
    const { replicate } = setup({}, hooks as ReplicateOptions);
    await drive(() => replicate.run('acme/leaky', { input: {} }).catch(() => undefined));
    await drive(() => collect(replicate.stream('acme/leaky', { input: {} })).catch(() => undefined));
    expect(payloads.length).toBeGreaterThan(4);
    for (const payload of payloads) expectClean(payload);
  });

  it('a pool whose keys are all refused fails with a clear error that names no key', async () => {
    const fake = createFakeReplicate({
      presets: false,
      rateLimit: false,
      auth: 'r8_the_only_valid_key_000000000000',
    });
    const replicate = new Replicate({
      auth: [TOKEN, OTHER],
      fetch: echoing(fake.fetch),
      maxRetries: 0,
    } as ReplicateOptions);
    const error = await failure(() => replicate.account.get());
    expect(error).toBeInstanceOf(AuthenticationError);
    expectClean(error, OTHER);
  });
});
