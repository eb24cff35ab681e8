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
