import { describe, expect, it } from 'vitest';
import { InvalidRequestError, Replicate, ReplicateCore, type ReplicateCoreOptions } from '../src/index';
import { createFakeReplicate } from '../src/testing/fake';
import { presetModels } from '../src/testing/presets';
import { importGraph } from './helpers/import-graph';

const fast = () =>
  createFakeReplicate({ models: presetModels({ tokenDelay: 0, stepDelay: 0, startDelay: 0 }) });

describe('ReplicateCore', () => {
  it('runs, streams, waits and reads predictions like Replicate', async () => {
    const fake = fast();
    const replicate = new ReplicateCore({ auth: 'r8_core', fetch: fake.fetch });
    const output = await replicate.run<string[]>('meta/meta-llama-3-8b-instruct', {
      input: { prompt: 'Say hi', max_tokens: 8 },
    });
    expect(output.join('').length).toBeGreaterThan(0);
    let streamed = '';
    for await (const event of replicate.stream('meta/meta-llama-3-8b-instruct', {
      input: { prompt: 'Say hi', max_tokens: 8 },
    })) {
      if (event.type === 'output') streamed += event.data;
    }
    expect(streamed.length).toBeGreaterThan(0);
    const created = await replicate.predictions.create({
      model: 'meta/meta-llama-3-8b-instruct',
      input: { prompt: 'Say hi', max_tokens: 8 },
    });
    const done = await replicate.wait(created.id);
    expect(done).toMatchObject({ id: created.id, status: 'succeeded' });
    expect(replicate.baseUrl).toBe('https://api.replicate.com/v1');
  });

  it('has no chat, catalog resources or withAuth: those are what Replicate adds', () => {
    const core = new ReplicateCore({ auth: 'r8_core' }) as unknown as Record<string, unknown>;
    for (const name of ['chat', 'models', 'deployments', 'trainings', 'withAuth', 'search']) {
      expect(core[name], name).toBeUndefined();
    }
    const full = new Replicate({ auth: 'r8_full' });
    expect(full).toBeInstanceOf(ReplicateCore);
    expect(typeof full.chat.completions.create).toBe('function');
  });

  it.each([
    ['a key pool', { auth: ['r8_a', 'r8_b'] }],
    ['authByModel', { authByModel: { 'acme/model': 'r8_a' } }],
    ['rateLimit', { rateLimit: { requestsPerMinute: 60 } }],
    ['a hook', { onRequest: () => {} }],
    ['transformInput', { transformInput: (input: unknown) => input }],
    ['fallback', { fallback: ['acme/other'] }],
    ['coldStartTimeout', { coldStartTimeout: 5_000 }],
    ['onUsage', { onUsage: () => {} }],
  ])('refuses %s at construction instead of ignoring it', (_, options) => {
    const build = () => new ReplicateCore(options as unknown as ReplicateCoreOptions);
    expect(build).toThrow(InvalidRequestError);
    expect(build).toThrow(/use `Replicate` for them/);
  });
});

describe('ReplicateCore in a bundle', () => {
  it('reaches no chat, policy, catalog, usage, pricing or token module at run time', () => {
    const { files, packages } = importGraph('client-core.ts');
    expect(packages).toEqual(['zod/mini']);
    expect(files).not.toContain('usage.ts');
    const outside = files.filter(
      (file) =>
        /^(chat|pricing|tokens|openai|testing|cli|webhooks)\//.test(file) ||
        (file.startsWith('policies/') && file !== 'policies/options.ts') ||
        (file.startsWith('resources/') && !/^resources\/(base|files|predictions)\.ts$/.test(file)),
    );
    expect(outside).toEqual([]);
    expect(files).toContain('lifecycle/stream.ts');
  });
});
