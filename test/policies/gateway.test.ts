import { createFakeReplicate } from 'replikit/testing';
import { describe, expect, it, vi } from 'vitest';
import { Replicate } from '../../src/index';
import { useFakeClock } from '../helpers/clock';
import { prediction } from '../helpers/fixtures';
import { calls, json, route } from '../helpers/server';
import { A, B, C, client, keys, NOW, ok, settle } from './helpers';

useFakeClock(NOW);

describe('a key pool against the fake', () => {
  it('drops a revoked key after its 401 and runs everything with the good one', async () => {
    const fake = createFakeReplicate({ auth: [B], presets: { tokenDelay: 0, startDelay: 0 } });
    const replicate = new Replicate({ auth: [A, B], fetch: fake.fetch });
    const outputs = await settle(() =>
      Promise.all(
        [1, 2, 3].map(() =>
          replicate.run('meta/meta-llama-3-8b-instruct', { input: { prompt: 'Hi', max_tokens: 2 } }),
        ),
      ),
    );
    expect(outputs.error).toBeUndefined();
    // Runs 1 and 3 went out with A at once: both were rejected (nothing ran) and repeated with B.
    expect(fake.count('create')).toBe(5);
    expect(fake.requests.filter((request) => request.status === 401)).toHaveLength(2);
    await settle(() =>
      replicate.run('meta/meta-llama-3-8b-instruct', { input: { prompt: 'Hi', max_tokens: 2 } }),
    );
    expect(fake.count('create')).toBe(6); // A is out of rotation: no new 401
    expect(fake.requests.filter((request) => request.status === 401)).toHaveLength(2);
  });
});

describe('per-model and per-request keys', () => {
  it('uses authByModel for the model’s creates and model calls, and auth for the rest', async () => {
    route('POST', '/models/acme/private/predictions', json(prediction({ id: 'p2' }), { status: 201 }));
    route('POST', '/models/acme/public/predictions', json(prediction({ id: 'p3' }), { status: 201 }));
    route(
      'GET',
      '/models/acme/private',
      json({ url: 'x', owner: 'acme', name: 'private', visibility: 'private' }),
    );
    route('POST', '/deployments/acme/prod/predictions', json(prediction({ id: 'p4' }), { status: 201 }));
    const replicate = client({ auth: A, authByModel: { 'acme/private': B, 'deployments/acme/prod': [C] } });
    await replicate.predictions.create({ model: 'acme/private', input: {} });
    await replicate.predictions.create({ model: 'acme/public', input: {} });
    await replicate.models.get('acme', 'private').catch(() => undefined);
    await replicate.predictions.create({ deployment: 'acme/prod', input: {} });
    expect(keys()).toEqual([B, A, B, C]);
  });

  it('withAuth sends every request with its key, sharing the rate limit and hooks', async () => {
    route('GET', '/predictions/abc', ok());
    const seen: string[] = [];
    const replicate = client({
      auth: [A, B],
      authByModel: { 'acme/model': B },
      rateLimit: { requestsPerMinute: 60, burst: 2 },
      onRequest: (request) => seen.push(request.headers.authorization ?? ''),
    });
    const tenant = replicate.withAuth(C);
    const all = [
      tenant.predictions.get('abc'),
      replicate.predictions.get('abc'),
      tenant.predictions.get('abc'),
    ];
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all(all);
    expect(keys()).toEqual([C, A, C]);
    expect(seen).toEqual(['Bearer r8_…3333', 'Bearer r8_…1111', 'Bearer r8_…3333']);
    expect(calls[2]!.time - NOW).toBeGreaterThanOrEqual(1000); // the third waited for the shared limit
  });

  it('the chat auth option creates the predictions with that key', async () => {
    route(
      'POST',
      '/models/meta/meta-llama-3-8b-instruct/predictions',
      json(prediction({ id: 'c1', status: 'succeeded', output: ['Hi'] }), { status: 201 }),
    );
    route('GET', '/predictions/c1', json(prediction({ id: 'c1', status: 'succeeded', output: ['Hi'] })));
    const replicate = client({ auth: A });
    const { value: completion, error } = await settle(() =>
      replicate.chat.completions.create(
        { model: 'meta/meta-llama-3-8b-instruct', messages: [{ role: 'user', content: 'Hi' }] },
        { auth: C },
      ),
    );
    expect(error).toBeUndefined();
    expect(completion?.choices[0]?.message.content).toBe('Hi');
    expect(new Set(keys())).toEqual(new Set([C]));
  });

  it('keeps a single string key, and REPLICATE_API_TOKEN read on the first request, unchanged', async () => {
    route('GET', '/predictions/abc', ok());
    const replicate = client({ rateLimit: { requestsPerMinute: 100 } });
    vi.stubEnv('REPLICATE_API_TOKEN', C);
    await replicate.predictions.get('abc');
    await client({ auth: A, onRequest: () => {} }).predictions.get('abc');
    expect(keys()).toEqual([C, A]);
  });
});
