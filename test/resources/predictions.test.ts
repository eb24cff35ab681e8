import { describe, expect, it } from 'vitest';
import { InvalidRequestError, Replicate, TimeoutError } from '../../src/index';
import { fixture, prediction } from '../helpers/fixtures';
import { BASE, calls, json, problem, route } from '../helpers/server';

const VERSION = '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b';
const client = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const only = () => {
  expect(calls).toHaveLength(1);
  return calls[0]!;
};
const body = () => JSON.parse(only().body) as unknown;

describe('predictions.create', () => {
  it('runs an official model at POST /models/{owner}/{name}/predictions with only `input`', async () => {
    route(
      'POST',
      '/models/meta/meta-llama-3-8b-instruct/predictions',
      json(fixture('api/prediction-create-model-wait.json'), { status: 201 }),
    );
    const result = await client().predictions.create({
      model: 'meta/meta-llama-3-8b-instruct',
      input: { prompt: 'Please write a haiku about llamas' },
    });
    const call = only();
    expect(call.method).toBe('POST');
    expect(call.url.href).toBe(`${BASE}/models/meta/meta-llama-3-8b-instruct/predictions`);
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(call.headers.get('authorization')).toBe('Bearer r8_test');
    expect(call.headers.get('prefer')).toBeNull();
    expect(call.headers.get('cancel-after')).toBeNull();
    expect(body()).toEqual({ input: { prompt: 'Please write a haiku about llamas' } });
    expect(result.id).toBe('pw050dtb51rj40cjb2vrcw97b8');
    expect(result.status).toBe('processing');
    expect(result.version).toBe('dp-a557b7387b4940df25b23f779dc534c4');
    expect((result.output as string[]).join('')).toContain('Peaceful, quiet soul');
    expect(result.urls?.stream).toMatch(
      /^https:\/\/streaming-api\.svc\.rno2\.c\.replicate\.net\/v1\/streams\//,
    );
  });

  it.each([
    ['a bare 64-hex version', { version: VERSION }],
    ['owner/name:version as `version`', { version: `stability-ai/sdxl:${VERSION}` }],
    ['owner/name:version as `model`', { model: `stability-ai/sdxl:${VERSION}` }],
    ['a bare version as `model`', { model: VERSION }],
  ])('sends %s to POST /predictions with `version`', async (_, target) => {
    route('POST', '/predictions', json(fixture('api/prediction-create-version.json'), { status: 201 }));
    const input = {
      prompt: 'a studio photo of a rainbow colored corgi',
      width: 512,
      height: 512,
      seed: 42069,
    };
    const result = await client().predictions.create({ ...target, input });
    expect(only().url.href).toBe(`${BASE}/predictions`);
    expect(body()).toEqual({ input, version: VERSION });
    expect(result).toMatchObject({
      id: 'hdwst0bb05rgp0cf0p29mzk2am',
      model: 'stability-ai/sdxl',
      version: VERSION,
      status: 'starting',
      input: { seed: 42069, width: 512 },
    });
  });

  it.each([
    ['`deployment: owner/name`', { deployment: 'acme/my-app-image-generator' }],
    ['`deployment: deployments/owner/name`', { deployment: 'deployments/acme/my-app-image-generator' }],
    ['`model: deployments/owner/name`', { model: 'deployments/acme/my-app-image-generator' }],
  ])('sends %s to the deployment endpoint', async (_, target) => {
    route(
      'POST',
      '/deployments/acme/my-app-image-generator/predictions',
      json(fixture('api/prediction-create-deployment.json'), { status: 201 }),
    );
    const result = await client().predictions.create({ ...target, input: { prompt: 'a bear' } });
    expect(only().url.pathname).toBe('/v1/deployments/acme/my-app-image-generator/predictions');
    expect(body()).toEqual({ input: { prompt: 'a bear' } });
    expect(result.deployment).toBe('acme/my-app-image-generator');
    expect(result.status).toBe('starting');
  });

  it.each([
    [true, 'wait'],
    [10, 'wait=10'],
    [2.2, 'wait=3'],
    [1, 'wait=1'],
    [60, 'wait=60'],
  ] as const)('maps wait %s to `Prefer: %s`', async (wait, header) => {
    route('POST', '/models/meta/meta-llama-3-8b-instruct/predictions', json(prediction(), { status: 201 }));
    await client().predictions.create({ model: 'meta/meta-llama-3-8b-instruct', input: {}, wait });
    expect(only().headers.get('prefer')).toBe(header);
    expect(body()).toEqual({ input: {} });
  });

  it('sends no Prefer header for wait: false', async () => {
    route('POST', '/models/a/b/predictions', json(prediction(), { status: 201 }));
    await client().predictions.create({ model: 'a/b', input: {}, wait: false });
    expect(only().headers.get('prefer')).toBeNull();
  });

  it.each([0, 61, 0.5, Number.NaN])('rejects wait %s before any request', async (wait) => {
    await expect(client().predictions.create({ model: 'a/b', input: {}, wait })).rejects.toThrow(
      InvalidRequestError,
    );
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['1h30m', '5400s'],
    ['5m', '300s'],
    ['90s', '90s'],
    ['45', '45s'],
    [300, '300s'],
    [5, '5s'],
  ] as const)('maps cancelAfter %s to `Cancel-After: %s`', async (cancelAfter, header) => {
    route('POST', '/predictions', json(prediction(), { status: 201 }));
    await client().predictions.create({ version: VERSION, input: {}, cancelAfter });
    expect(only().headers.get('cancel-after')).toBe(header);
    expect(body()).toEqual({ input: {}, version: VERSION });
  });

  it.each(['4s', 4, 'soon', '', '1.5m', -10])('rejects cancelAfter %j before any request', async (value) => {
    await expect(
      client().predictions.create({ version: VERSION, input: {}, cancelAfter: value }),
    ).rejects.toThrow(/Invalid cancelAfter/);
    expect(calls).toHaveLength(0);
  });

  it('sends wait and cancelAfter together, and webhook with webhook_events_filter (deduplicated)', async () => {
    route('POST', '/predictions', json(fixture('api/prediction-create-version.json'), { status: 201 }));
    await client().predictions.create({
      version: VERSION,
      input: { prompt: 'a corgi' },
      wait: 30,
      cancelAfter: '2m',
      webhook: 'https://example.com/hooks/replicate?token=abc',
      webhookEventsFilter: ['start', 'completed', 'start'],
    });
    const call = only();
    expect(call.headers.get('prefer')).toBe('wait=30');
    expect(call.headers.get('cancel-after')).toBe('120s');
    expect(body()).toEqual({
      input: { prompt: 'a corgi' },
      version: VERSION,
      webhook: 'https://example.com/hooks/replicate?token=abc',
      webhook_events_filter: ['start', 'completed'],
    });
  });

  it.each([
    ['an http webhook', { webhook: 'http://example.com/hook' }, /webhook/],
    ['a relative webhook', { webhook: '/hook' }, /webhook/],
    ['an unknown event', { webhookEventsFilter: ['done'] as never }, /webhookEventsFilter/],
    ['an empty event list', { webhookEventsFilter: [] }, /webhookEventsFilter/],
  ])('rejects %s before any request', async (_, extra, message) => {
    await expect(client().predictions.create({ model: 'a/b', input: {}, ...extra })).rejects.toThrow(message);
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['no target', {}],
    ['two targets', { model: 'a/b', version: VERSION }],
    ['an unversioned `version`', { version: 'stability-ai/sdxl' }],
    ['a malformed model', { model: 'not a model' }],
    ['a malformed deployment', { deployment: 'acme' }],
  ])('rejects %s with InvalidRequestError before any request', async (_, target) => {
    await expect(
      client().predictions.create({ ...(target as { model: string }), input: {} }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    expect(calls).toHaveLength(0);
  });

  it('maps a 422 to InvalidRequestError with the invalid fields', async () => {
    route(
      'POST',
      '/predictions',
      problem(422, {
        title: 'Input validation failed',
        detail: '- input is required',
        status: 422,
        invalid_fields: [{ type: 'required', field: '', description: 'input is required' }],
      }),
    );
    const error = await client()
      .predictions.create({ version: VERSION, input: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).status).toBe(422);
    expect((error as InvalidRequestError).invalidFields).toEqual([
      { type: 'required', field: '', description: 'input is required' },
    ]);
    expect(calls).toHaveLength(1);
  });

  it('keeps a per-call timeout shorter than 10 s when not waiting', async () => {
    route('POST', '/models/a/b/predictions', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return json(prediction(), { status: 201 });
    });
    const error = await client()
      .predictions.create({ model: 'a/b', input: {}, timeout: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(calls).toHaveLength(1);
  });

  it('holds a `wait` request open past a shorter per-call timeout (wait + 10 s)', async () => {
    route('POST', '/models/a/b/predictions', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return json(prediction({ status: 'succeeded', output: 'done' }), { status: 201 });
    });
    const result = await client().predictions.create({ model: 'a/b', input: {}, wait: 5, timeout: 100 });
    expect(result.output).toBe('done');
    expect(only().headers.get('prefer')).toBe('wait=5');
  });
});

describe('predictions.get / cancel', () => {
  it('gets a prediction by id', async () => {
    route('GET', '/predictions/8mver00185rme0ct9gt80xrw5m', json(fixture('api/prediction-get-flux.json')));
    const result = await client().predictions.get('8mver00185rme0ct9gt80xrw5m');
    const call = only();
    expect(call.method).toBe('GET');
    expect(call.url.href).toBe(`${BASE}/predictions/8mver00185rme0ct9gt80xrw5m`);
    expect(call.body).toBe('');
    expect(result).toMatchObject({
      id: '8mver00185rme0ct9gt80xrw5m',
      model: 'black-forest-labs/flux-schnell',
      version: 'hidden',
      status: 'succeeded',
      source: 'api',
      data_removed: false,
      output: [
        'https://replicate.delivery/xezq/rIFyuseoP81zRKZZh7fO6AAwnDq1h5k2TOyOmvkKIye40eWWB/out-0.webp',
      ],
      metrics: { image_count: 1, predict_time: 0.5333474 },
      urls: { web: 'https://replicate.com/p/8mver00185rme0ct9gt80xrw5m' },
    });
  });

  it('rejects an id that would change the path, before any request', async () => {
    await expect(client().predictions.get('../account')).rejects.toBeInstanceOf(InvalidRequestError);
    expect(calls).toHaveLength(0);
  });

  it('cancels with an empty POST and returns the canceled prediction', async () => {
    route(
      'POST',
      '/predictions/hdwst0bb05rgp0cf0p29mzk2am/cancel',
      json(fixture('api/prediction-cancel.json')),
    );
    const result = await client().predictions.cancel('hdwst0bb05rgp0cf0p29mzk2am');
    const call = only();
    expect(call.url.href).toBe(`${BASE}/predictions/hdwst0bb05rgp0cf0p29mzk2am/cancel`);
    expect(call.body).toBe('');
    expect(call.headers.get('content-type')).toBeNull();
    expect(result.status).toBe('canceled');
    expect(result.logs).toBeNull();
    expect(result.completed_at).toBe('2024-04-22T11:15:15.504128Z');
    expect(result.metrics?.predict_time).toBe(0.128148);
  });
});

describe('predictions.list', () => {
  it('sends created_after, created_before and source', async () => {
    route('GET', '/predictions', json(fixture('api/predictions-list.json')));
    const results = await client()
      .predictions.list({
        createdAfter: new Date('2023-03-01T00:00:00Z'),
        createdBefore: '2023-03-02T12:00:00+02:00',
        source: 'web',
      })
      .toArray();
    const { url } = only();
    expect(url.pathname).toBe('/v1/predictions');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      created_after: '2023-03-01T00:00:00.000Z',
      created_before: '2023-03-02T10:00:00.000Z',
      source: 'web',
    });
    expect(results.map((p) => p.id)).toEqual(['yfv4cakjzvh2lexxv7o5qzymqy', '123']);
    expect(results.every((p) => p.source === 'web' && p.status === 'canceled')).toBe(true);
  });

  it('sends no query without filters and follows `next` across pages', async () => {
    route(
      'GET',
      '/predictions',
      json({
        next: `${BASE}/predictions?cursor=cD0yMDIz`,
        previous: null,
        results: [prediction({ id: 'first' })],
      }),
      json({
        next: null,
        previous: `${BASE}/predictions?cursor=back`,
        results: [prediction({ id: 'second' })],
      }),
    );
    const ids: string[] = [];
    for await (const p of client().predictions.list()) ids.push(p.id);
    expect(ids).toEqual(['first', 'second']);
    expect(calls.map((call) => call.url.search)).toEqual(['', '?cursor=cD0yMDIz']);
  });

  it('rejects an invalid date before any request', () => {
    expect(() => client().predictions.list({ createdAfter: 'yesterday' })).toThrow(/createdAfter/);
    expect(calls).toHaveLength(0);
  });
});
