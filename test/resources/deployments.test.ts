import { describe, expect, it } from 'vitest';
import { InvalidRequestError, Replicate } from '../../src/index';
import { fixture } from '../helpers/fixtures';
import { BASE, calls, json, route } from '../helpers/server';

const client = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const only = () => {
  expect(calls).toHaveLength(1);
  return calls[0]!;
};
const PATH = '/deployments/acme/my-app-image-generator';
const SDXL = 'da77bc59ee60423279fd632efb4795ab731d9e3ca9705ef3341091fb989b7eaf';

describe('deployments', () => {
  it('lists deployments', async () => {
    route('GET', '/deployments', json(fixture('api/deployments-list.json')));
    const [deployment] = await client().deployments.list().toArray(1);
    expect(only().url.href).toBe(`${BASE}/deployments`);
    expect(deployment).toMatchObject({
      owner: 'acme',
      name: 'my-app-image-generator',
      current_release: { number: 1, model: 'stability-ai/sdxl', configuration: { hardware: 'gpu-t4' } },
    });
  });

  it('gets a deployment', async () => {
    route('GET', PATH, json(fixture('api/deployment.json')));
    const deployment = await client().deployments.get('acme', 'my-app-image-generator');
    const call = only();
    expect(call.method).toBe('GET');
    expect(call.url.href).toBe(`${BASE}${PATH}`);
    expect(deployment.current_release?.version).toBe(SDXL);
    expect(deployment.current_release?.created_by).toMatchObject({ type: 'organization', username: 'acme' });
    expect(deployment.current_release?.configuration).toEqual({
      hardware: 'gpu-t4',
      min_instances: 1,
      max_instances: 5,
    });
  });

  it('creates a deployment with the exact body', async () => {
    route('POST', '/deployments', json(fixture('api/deployment.json')));
    const params = {
      name: 'my-app-image-generator',
      model: 'stability-ai/sdxl',
      version: SDXL,
      hardware: 'gpu-t4',
      min_instances: 0,
      max_instances: 3,
    };
    const deployment = await client().deployments.create(params);
    const call = only();
    expect(call.method).toBe('POST');
    expect(call.url.href).toBe(`${BASE}/deployments`);
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(call.body)).toEqual(params);
    expect(deployment).toMatchObject({ owner: 'acme', name: 'my-app-image-generator' });
  });

  it('updates a deployment with PATCH', async () => {
    route('PATCH', PATH, json(fixture('api/deployment-update.json')));
    const deployment = await client().deployments.update('acme', 'my-app-image-generator', {
      min_instances: 3,
      max_instances: 10,
    });
    const call = only();
    expect(call.method).toBe('PATCH');
    expect(call.url.href).toBe(`${BASE}${PATH}`);
    expect(JSON.parse(call.body)).toEqual({ min_instances: 3, max_instances: 10 });
    expect(deployment.current_release?.number).toBe(2);
    expect(deployment.current_release?.configuration?.max_instances).toBe(10);
  });

  it('deletes a deployment: 204 resolves undefined', async () => {
    route('DELETE', PATH, new Response(null, { status: 204 }));
    await expect(client().deployments.delete('acme', 'my-app-image-generator')).resolves.toBeUndefined();
    expect(only().method).toBe('DELETE');
    expect(only().url.href).toBe(`${BASE}${PATH}`);
  });

  it('rejects (not throws) a bad name before any request', async () => {
    const pending = client().deployments.get('acme', 'a b');
    await expect(pending).rejects.toBeInstanceOf(InvalidRequestError);
    expect(calls).toHaveLength(0);
  });
});

describe('deployments.predictions.create', () => {
  it('posts input with Prefer, Cancel-After and webhook to the deployment endpoint', async () => {
    route(
      `POST`,
      `${PATH}/predictions`,
      json(fixture('api/prediction-create-deployment.json'), { status: 201 }),
    );
    const prediction = await client().deployments.predictions.create('acme', 'my-app-image-generator', {
      input: { prompt: 'A photo of a bear riding a bicycle over the moon' },
      wait: true,
      cancelAfter: '10m',
      webhook: 'https://example.com/hook',
      webhookEventsFilter: ['completed'],
    });
    const call = only();
    expect(call.method).toBe('POST');
    expect(call.url.href).toBe(`${BASE}${PATH}/predictions`);
    expect(call.headers.get('prefer')).toBe('wait');
    expect(call.headers.get('cancel-after')).toBe('600s');
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(call.body)).toEqual({
      input: { prompt: 'A photo of a bear riding a bicycle over the moon' },
      webhook: 'https://example.com/hook',
      webhook_events_filter: ['completed'],
    });
    expect(prediction).toMatchObject({
      id: '0yszc7kwbhrmc0cvwd8bpyyvgr',
      deployment: 'acme/my-app-image-generator',
      status: 'starting',
    });
  });

  it('rejects a bad owner without a request', async () => {
    await expect(client().deployments.predictions.create('ac/me', 'x', { input: {} })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(calls).toHaveLength(0);
  });
});
