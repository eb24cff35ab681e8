import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  InvalidRequestError,
  type Prediction,
  PredictionCanceledError,
  PredictionFailedError,
  Replicate,
} from '../../src/index';
import { fixture, prediction } from '../helpers/fixtures';
import { BASE, calls, json, route } from '../helpers/server';
import { settle, sseResponse } from '../helpers/sse';

const NOW = new Date('2025-01-01T00:00:00Z').getTime();
const ID = 'ufawqhfynnddngldkgtslldrkq';
const VERSION = '5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa';
const replicate = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const created = (overrides: Record<string, unknown>) => json(prediction(overrides), { status: 201 });
const got = (overrides: Record<string, unknown>) => json(prediction(overrides));

/** Run with fake time until it settles. */
beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('run: the create request', () => {
  it('sends Prefer: wait=60 by default and returns the output of a prediction that succeeded in time', async () => {
    route('POST', '/models/acme/hello/predictions', created({ status: 'succeeded', output: 'hello Alice' }));
    const output = await replicate().run('acme/hello', { input: { text: 'Alice' } });
    expect(output).toBe('hello Alice');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.get('prefer')).toBe('wait=60');
    expect(calls[0]!.headers.get('cancel-after')).toBeNull();
    expect(JSON.parse(calls[0]!.body)).toEqual({ input: { text: 'Alice' } });
  });

  it.each([
    [1, 'wait=1'],
    [10, 'wait=10'],
    [60, 'wait=60'],
    [true, 'wait'],
  ])('sends wait: %j as Prefer: %s', async (wait, header) => {
    route('POST', '/models/acme/hello/predictions', created({ status: 'succeeded', output: 1 }));
    await replicate().run('acme/hello', { input: {}, wait });
    expect(calls[0]!.headers.get('prefer')).toBe(header);
  });

  it('sends no Prefer header for wait: false and then polls', async () => {
    route('POST', '/models/acme/hello/predictions', created({ status: 'starting' }));
    route('GET', `/predictions/${ID}`, got({ status: 'succeeded', output: 'late' }));
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, wait: false }));
    expect(outcome.value).toBe('late');
    expect(calls[0]!.headers.has('prefer')).toBe(false);
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual([
      'POST /v1/models/acme/hello/predictions',
      `GET /v1/predictions/${ID}`,
    ]);
  });

  it.each([0, 0.5, 61, -1, Number.NaN])('rejects wait: %j before any request', async (wait) => {
    route('POST', '/models/acme/hello/predictions', created({ status: 'succeeded' }));
    const error = await replicate()
      .run('acme/hello', { input: {}, wait })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).invalidFields[0]?.field).toBe('wait');
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['acme/hello', 'POST /v1/models/acme/hello/predictions', undefined],
    [`acme/hello:${VERSION}`, 'POST /v1/predictions', VERSION],
    [VERSION, 'POST /v1/predictions', VERSION],
    ['deployments/acme/hello-prod', 'POST /v1/deployments/acme/hello-prod/predictions', undefined],
  ])('runs %s through %s', async (ref, endpoint, version) => {
    const path = endpoint.slice('POST /v1'.length);
    route('POST', path, created({ status: 'succeeded', output: 'ok' }));
    expect(await replicate().run(ref, { input: { a: 1 } })).toBe('ok');
    expect(`${calls[0]!.method} ${calls[0]!.url.pathname}`).toBe(endpoint);
    expect(JSON.parse(calls[0]!.body).version).toBe(version);
  });

  it.each(['acme', 'acme/hello/extra', 'acme/hello:short', ''])(
    'rejects the model reference %j before any request',
    async (ref) => {
      const error = await replicate()
        .run(ref, { input: { image: new Blob(['x']) } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(calls).toHaveLength(0);
    },
  );
});

describe('run: cancelAfter', () => {
  it.each([
    ['90s', '90s'],
    ['5m', '300s'],
    ['1h30m', '5400s'],
    [45, '45s'],
    [5, '5s'],
  ])('sends cancelAfter: %j as Cancel-After: %s', async (cancelAfter, header) => {
    route('POST', '/models/acme/hello/predictions', created({ status: 'succeeded' }));
    await replicate().run('acme/hello', { input: {}, cancelAfter });
    expect(calls[0]!.headers.get('cancel-after')).toBe(header);
  });

  it.each([4, '4s', '1.5m', 'soon', '5 m', 2.5])(
    'rejects cancelAfter: %j before any upload or create',
    async (cancelAfter) => {
      route('POST', '/files', json(fixture('api/file-create.json'), { status: 201 }));
      route('POST', '/models/acme/hello/predictions', created({ status: 'succeeded' }));
      const error = await replicate()
        .run('acme/hello', { input: { image: new Blob(['png']) }, cancelAfter })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).invalidFields[0]?.field).toBe('cancelAfter');
      expect(calls).toHaveLength(0);
    },
  );
});

describe('run: how it ends', () => {
  it('throws PredictionFailedError with the prediction, its error and logs', async () => {
    const failed = { status: 'failed', error: 'CUDA out of memory', logs: 'loading\nOOM\n' };
    route('POST', '/models/acme/hello/predictions', created(failed));
    const error = await replicate()
      .run('acme/hello', { input: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PredictionFailedError);
    const failure = error as PredictionFailedError;
    expect(failure.message).toBe(`Prediction ${ID} failed: CUDA out of memory`);
    expect(failure.error).toBe('CUDA out of memory');
    expect(failure.logs).toBe('loading\nOOM\n');
    expect(failure.prediction).toMatchObject({ id: ID, status: 'failed' });
  });

  it('throws PredictionFailedError after polling to failed', async () => {
    route('POST', '/models/acme/hello/predictions', created({ status: 'starting' }));
    route(
      'GET',
      `/predictions/${ID}`,
      got({ status: 'processing' }),
      got({ status: 'failed', error: 'boom' }),
    );
    const outcome = await settle(() => replicate().run('acme/hello', { input: {} }));
    expect(outcome.error).toBeInstanceOf(PredictionFailedError);
    expect((outcome.error as PredictionFailedError).error).toBe('boom');
  });

  it.each(['canceled', 'aborted'])(
    'throws PredictionCanceledError when the prediction ends %s',
    async (status) => {
      route('POST', '/models/acme/hello/predictions', created({ status: 'processing' }));
      route('GET', `/predictions/${ID}`, got({ status }));
      const outcome = await settle(() => replicate().run('acme/hello', { input: {} }));
      expect(outcome.error).toBeInstanceOf(PredictionCanceledError);
      expect((outcome.error as PredictionCanceledError).prediction.status).toBe(status);
      expect((outcome.error as Error).message).toBe(`Prediction ${ID} was ${status}.`);
      expect(calls).toHaveLength(2);
    },
  );

  it('runPrediction returns the whole succeeded prediction (id, metrics, logs) with a typed output', async () => {
    const metrics = {
      predict_time: 2.826,
      total_time: 2.86309,
      input_token_count: 26,
      output_token_count: 84,
    };
    route(
      'POST',
      '/models/acme/hello/predictions',
      created({ status: 'succeeded', output: ['Hi', ' there'], metrics, logs: 'done' }),
    );
    const result = await replicate().runPrediction<string[]>('acme/hello', { input: {} });
    expectTypeOf(result).toEqualTypeOf<Prediction<string[]>>();
    expectTypeOf(result.output).toEqualTypeOf<string[] | undefined>();
    expect(result).toMatchObject({ id: ID, status: 'succeeded', metrics, logs: 'done' });
    expect(result.output?.join('')).toBe('Hi there');
  });

  it('types run by its Output generic', async () => {
    route('POST', '/models/acme/hello/predictions', created({ status: 'succeeded', output: { n: 3 } }));
    const output = await replicate().run<{ n: number }>('acme/hello', { input: {} });
    expectTypeOf(output).toEqualTypeOf<{ n: number }>();
    expect(output.n).toBe(3);
  });
});

describe('run: waiting on the event stream', () => {
  it('waits for done on urls.stream (one request) and then GETs the final prediction', async () => {
    const recorded = fixture('api/prediction-create-model-wait.json') as {
      id: string;
      urls: { stream: string };
    };
    route('POST', '/models/meta/meta-llama-3-8b-instruct/predictions', json(recorded, { status: 201 }));
    route(
      'GET',
      recorded.urls.stream,
      sseResponse('event: output\nid: 1:0\ndata:  soul\n\nevent: done\nid: 1:1\ndata: {}\n\n'),
    );
    const final = { ...recorded, status: 'succeeded', output: ['Fuzzy', ' soul'] };
    route('GET', `/predictions/${recorded.id}`, json(final));
    const outcome = await settle(() =>
      replicate().run<string[]>('meta/meta-llama-3-8b-instruct', { input: { prompt: 'haiku' } }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.value).toEqual(['Fuzzy', ' soul']);
    expect(calls.map((c) => `${c.method} ${c.url.host}${c.url.pathname}`)).toEqual([
      'POST api.replicate.com/v1/models/meta/meta-llama-3-8b-instruct/predictions',
      `GET ${new URL(recorded.urls.stream).host}${new URL(recorded.urls.stream).pathname}`,
      `GET api.replicate.com/v1/predictions/${recorded.id}`,
    ]);
    expect(calls[1]!.headers.get('accept')).toBe('text/event-stream');
    // The final GET follows the end of the stream at once, without a poll delay.
    expect(calls[2]!.time - calls[1]!.time).toBeLessThan(500);
  });
});
