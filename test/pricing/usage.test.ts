import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PredictionFailedError, type PredictionUsage, Replicate } from 'replikit';
import { type PredictionUsageWithCost, withCost } from 'replikit/pricing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { prediction } from '../helpers/fixtures';
import { calls, json, route } from '../helpers/server';

const ID = 'ufawqhfynnddngldkgtslldrkq';
const STREAM = 'https://stream.replicate.com/v1/streams/abc';
const llama = 'meta/meta-llama-3-70b-instruct';
const metrics = { input_token_count: 1000, output_token_count: 500, predict_time: 2.5 };
const done = (overrides: Record<string, unknown> = {}) =>
  prediction({ model: llama, status: 'succeeded', output: ['Once', ' upon'], metrics, ...overrides });

function sse(...events: Array<[string, string]>): Response {
  const body = events.map(([event, data], i) => `event: ${event}\nid: ${i + 1}\ndata: ${data}\n\n`).join('');
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

function client(onUsage: (usage: PredictionUsage) => unknown) {
  return new Replicate({ auth: 'r8_test', onUsage, maxRetries: 0 });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('onUsage', () => {
  it('reports a run once, with tokens, predict time and latency, from the raw prediction', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    route('POST', '/models/meta/meta-llama-3-70b-instruct/predictions', () => {
      vi.setSystemTime(Date.now() + 1500);
      return json(done(), { status: 201 });
    });
    const onUsage = vi.fn();
    const output = await client(onUsage).run(llama, { input: { prompt: 'Tell me a story' } });
    expect(output).toEqual(['Once', ' upon']);
    expect(onUsage).toHaveBeenCalledTimes(1);
    expect(onUsage.mock.calls[0]![0]).toEqual({
      model: llama,
      predictionId: ID,
      status: 'succeeded',
      inputTokens: 1000,
      outputTokens: 500,
      predictTime: 2.5,
      latencyMs: 1500,
      prediction: expect.objectContaining({ id: ID, metrics }),
    });
  });

  it('passes file outputs as URL strings, not FileOutput objects', async () => {
    const url = 'https://replicate.delivery/x/out-0.webp';
    const flux = { model: 'black-forest-labs/flux-schnell', output: [url], metrics: { image_count: 1 } };
    route('POST', '/models/black-forest-labs/flux-schnell/predictions', json(done(flux), { status: 201 }));
    const onUsage = vi.fn();
    await client(onUsage).run('black-forest-labs/flux-schnell', { input: { prompt: 'a fox' } });
    expect(onUsage.mock.calls[0]![0]).toMatchObject({ imageCount: 1, prediction: { output: [url] } });
  });

  it('reports a failed run before it throws', async () => {
    const failed = done({ status: 'failed', error: 'CUDA out of memory', metrics: { predict_time: 0.4 } });
    route('POST', '/models/meta/meta-llama-3-70b-instruct/predictions', json(failed, { status: 201 }));
    const onUsage = vi.fn();
    await expect(client(onUsage).run(llama, { input: {} })).rejects.toBeInstanceOf(PredictionFailedError);
    expect(onUsage).toHaveBeenCalledOnce();
    expect(onUsage.mock.calls[0]![0]).toMatchObject({ status: 'failed', predictTime: 0.4 });
    expect(onUsage.mock.calls[0]![0]).not.toHaveProperty('inputTokens');
  });

  it('reports wait once the polled prediction is terminal, not before', async () => {
    route(
      'GET',
      `/predictions/${ID}`,
      json(prediction({ status: 'processing' })),
      json(done({ status: 'canceled' })),
    );
    const onUsage = vi.fn();
    const replicate = client(onUsage);
    const final = await replicate.wait(ID, { pollInterval: 1, useStream: false });
    expect(final.status).toBe('canceled');
    expect(calls.map((call) => call.method)).toEqual(['GET', 'GET']); // the get, then one poll
    expect(onUsage).toHaveBeenCalledOnce();
    expect(onUsage.mock.calls[0]![0]).toMatchObject({
      status: 'canceled',
      predictionId: ID,
      outputTokens: 500,
    });
  });

  it('reports a stream after done, fetching the final metrics once', async () => {
    const starting = prediction({ model: llama, urls: { stream: STREAM } });
    route('POST', '/models/meta/meta-llama-3-70b-instruct/predictions', json(starting, { status: 201 }));
    route('GET', STREAM, sse(['output', 'Once'], ['output', ' upon'], ['done', '{}']));
    route('GET', `/predictions/${ID}`, json(done()));
    const onUsage = vi.fn();
    const text: string[] = [];
    for await (const event of client(onUsage).stream(llama, { input: { prompt: 'Tell me a story' } })) {
      if (event.type === 'output') text.push(event.data);
      if (event.type === 'done') break; // a break on done still reports
    }
    expect(text.join('')).toBe('Once upon');
    expect(calls.filter((call) => call.url.pathname === `/v1/predictions/${ID}`)).toHaveLength(1);
    expect(onUsage).toHaveBeenCalledOnce();
    expect(onUsage.mock.calls[0]![0]).toMatchObject({ model: llama, inputTokens: 1000, outputTokens: 500 });
  });

  it('reports a stream that ends with an error event', async () => {
    const starting = prediction({ model: llama, urls: { stream: STREAM } });
    route('POST', '/models/meta/meta-llama-3-70b-instruct/predictions', json(starting, { status: 201 }));
    route('GET', STREAM, sse(['output', 'Once'], ['error', '{"detail":"boom"}']));
    route('GET', `/predictions/${ID}`, json(done({ status: 'failed', metrics: { predict_time: 1 } })));
    const onUsage = vi.fn();
    const iterate = async () => {
      for await (const _ of client(onUsage).stream(llama, { input: {} })) {
      }
    };
    await expect(iterate()).rejects.toMatchObject({ name: 'StreamError', reason: 'error-event' });
    expect(onUsage).toHaveBeenCalledOnce();
    expect(onUsage.mock.calls[0]![0]).toMatchObject({ status: 'failed', predictTime: 1 });
  });

  it('makes no extra request without onUsage, and a failed final fetch only skips the report', async () => {
    const starting = prediction({ model: llama, urls: { stream: STREAM } });
    route('POST', '/models/meta/meta-llama-3-70b-instruct/predictions', json(starting, { status: 201 }));
    route('GET', STREAM, sse(['output', 'Hi'], ['done', '{}']));
    for await (const _ of new Replicate({ auth: 'r8_test' }).stream(llama, { input: {} })) {
    }
    expect(calls.map((call) => call.method)).toEqual(['POST', 'GET']);

    route('GET', `/predictions/${ID}`, json({ detail: 'down' }, { status: 500 }));
    const onUsage = vi.fn();
    for await (const _ of client(onUsage).stream(llama, { input: {} })) {
    }
    expect(onUsage).not.toHaveBeenCalled();
  });

  it('never lets a throwing or rejecting hook break the call', async () => {
    route('POST', '/models/meta/meta-llama-3-70b-instruct/predictions', json(done(), { status: 201 }));
    const throwing = vi.fn(() => {
      throw new Error('logger down');
    });
    await expect(client(throwing).run(llama, { input: {} })).resolves.toEqual(['Once', ' upon']);
    const rejecting = vi.fn(async () => {
      throw new Error('db down');
    });
    await expect(client(rejecting).run(llama, { input: {} })).resolves.toEqual(['Once', ' upon']);
    expect(throwing).toHaveBeenCalledOnce();
    expect(rejecting).toHaveBeenCalledOnce();
  });
});

describe('withCost', () => {
  it('adds the cost of each prediction: 1,000 + 500 tokens of llama-3-70b = $0.002025', async () => {
    route('POST', '/models/meta/meta-llama-3-70b-instruct/predictions', json(done(), { status: 201 }));
    const log = vi.fn<(usage: PredictionUsageWithCost) => void>();
    await new Replicate({ auth: 'r8_test', onUsage: withCost(log) }).run(llama, { input: {} });
    expect(log.mock.calls[0]![0]).toMatchObject({
      model: llama,
      outputTokens: 500,
      cost: { total: 0.002025, totalExact: '0.002025', basis: 'reported', unit: 'token', currency: 'USD' },
    });
    expect(log.mock.calls[0]![0]).not.toHaveProperty('costError');
  });

  it('prices community models and deployments by the hardware passed to it', async () => {
    const upscaler = done({
      model: 'acme/upscaler',
      output: 'https://x/y.png',
      metrics: { predict_time: 12.5 },
    });
    route('POST', '/models/acme/upscaler/predictions', json(upscaler, { status: 201 }));
    const log = vi.fn<(usage: PredictionUsageWithCost) => void>();
    const onUsage = withCost(log, { hardware: 'gpu-a100-large' });
    await new Replicate({ auth: 'r8_test', onUsage }).run('acme/upscaler', { input: {} });
    expect(log.mock.calls[0]![0].cost).toMatchObject({ total: 0.0175, unit: 'second' });
  });

  it('still reports an unpriceable prediction, with costError instead of a zero', async () => {
    const mystery = done({ model: 'acme/mystery', metrics: { predict_time: 3 } });
    route('POST', '/models/acme/mystery/predictions', json(mystery, { status: 201 }));
    const log = vi.fn<(usage: PredictionUsageWithCost) => void>();
    await new Replicate({ auth: 'r8_test', onUsage: withCost(log) }).run('acme/mystery', { input: {} });
    const usage = log.mock.calls[0]![0];
    expect(usage.cost).toBeUndefined();
    expect(usage.costError).toMatchObject({ name: 'PricingError', reason: 'unknown-model' });
    expect(usage.predictTime).toBe(3);
  });

  it('uses its hardware as a fallback: a deployment, not a model with its own default SKU', () => {
    const log = vi.fn<(usage: PredictionUsageWithCost) => void>();
    const prices = { models: { 'acme/upscaler': { hardware: 'gpu-t4' } } };
    const onUsage = withCost(log, { prices, hardware: 'gpu-a100-large' });
    const report = (overrides: Record<string, unknown>) => {
      const final = done({ metrics: { predict_time: 10 }, ...overrides }) as PredictionUsage['prediction'];
      onUsage({
        model: final.model!,
        predictionId: ID,
        status: 'succeeded',
        latencyMs: 1,
        prediction: final,
      });
    };
    report({ model: 'acme/upscaler' });
    report({ model: 'acme/other', deployment: 'acme/prod' });
    expect(log.mock.calls.map(([usage]) => [usage.cost?.hardware, usage.cost?.total])).toEqual([
      ['gpu-t4', 0.00225],
      ['gpu-a100-large', 0.014],
    ]);
  });

  it('applies price overrides', () => {
    const log = vi.fn<(usage: PredictionUsageWithCost) => void>();
    const prices = { models: { [llama]: { input_token_cost: 5e-7, output_token_cost: 2e-6 } } };
    const final = done() as PredictionUsage['prediction'];
    withCost(log, { prices })({
      model: llama,
      predictionId: ID,
      status: 'succeeded',
      latencyMs: 10,
      prediction: final,
    });
    expect(log.mock.calls[0]![0].cost?.total).toBe(0.0015);
  });
});

describe('bundles', () => {
  // Follow relative imports from an entry (type-only ones too): the core must never reach the price table.
  function graph(entry: string, seen = new Set<string>()): Set<string> {
    if (seen.has(entry)) return seen;
    seen.add(entry);
    const source = readFileSync(entry, 'utf8');
    for (const [, spec] of source.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      graph(fileURLToPath(new URL((spec ?? '').replace(/\.js$/, '.ts'), `file://${entry}`)), seen);
    }
    return seen;
  }
  const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

  it('keeps the price table out of the core entry', () => {
    const core = [...graph(src('index.ts'))];
    expect(core).toContain(src('usage.ts'));
    expect(core.filter((file) => /\/src\/(pricing\/|entries\/pricing)/.test(file))).toEqual([]);
    expect([...graph(src('entries/pricing.ts'))]).toContain(src('pricing/table-models.ts'));
  });
});
