import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, NotFoundError, Replicate } from '../../src/index';
import { fixture } from '../helpers/fixtures';
import { BASE, calls, json, problem, route } from '../helpers/server';

const VERSION = '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b';
const client = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const only = () => {
  expect(calls).toHaveLength(1);
  return calls[0]!;
};
const README = readFileSync(new URL('../fixtures/api/readme.md', import.meta.url), 'utf8');

describe('models', () => {
  it('lists with sort_by and sort_direction', async () => {
    route('GET', '/models', json(fixture('api/models-list.json')));
    const models = await client()
      .models.list({ sortBy: 'model_created_at', sortDirection: 'asc' })
      .toArray(2);
    const call = only();
    expect(call.url.href).toBe(`${BASE}/models?sort_by=model_created_at&sort_direction=asc`);
    expect(models.map((m) => `${m.owner}/${m.name}`)).toEqual(['zsxkib/st-mfnet', 'jd7h/propainter']);
    expect(models[0]?.run_count).toBe(227);
  });

  it('lists without a query by default and follows the recorded `next` cursor', async () => {
    route(
      'GET',
      '/models',
      json(fixture('api/models-list.json')),
      json({ next: null, previous: null, results: [fixture('api/model-create.json')] }),
    );
    const names = (await client().models.list().toArray()).map((m) => m.name);
    expect(names).toEqual(['st-mfnet', 'propainter', 'python-example']);
    expect(calls.map((call) => call.url.search)).toEqual([
      '',
      '?cursor=cD0yMDIzLTEwLTAxKzE5JTNBNDIlM0EyMi42NzA5MzYlMkIwMCUzQTAw',
    ]);
  });

  it('gets a model with its latest version', async () => {
    route('GET', '/models/stability-ai/sdxl', json(fixture('api/model-get-sdxl.json')));
    const model = await client().models.get('stability-ai', 'sdxl');
    const call = only();
    expect(call.method).toBe('GET');
    expect(call.url.href).toBe(`${BASE}/models/stability-ai/sdxl`);
    expect(model).toMatchObject({
      owner: 'stability-ai',
      name: 'sdxl',
      visibility: 'public',
      run_count: 19361490,
      url: 'https://replicate.com/stability-ai/sdxl',
    });
    expect(model.latest_version?.id).toMatch(/^[0-9a-f]{64}$/);
    expect(model.latest_version?.openapi_schema).toHaveProperty('components');
  });

  it('creates a model with the exact body', async () => {
    route('POST', '/models', json(fixture('api/model-create.json'), { status: 201 }));
    const params = {
      owner: 'test',
      name: 'python-example',
      visibility: 'private' as const,
      hardware: 'cpu',
      description: 'An example model',
    };
    const model = await client().models.create(params);
    const call = only();
    expect(call.method).toBe('POST');
    expect(call.url.href).toBe(`${BASE}/models`);
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(call.body)).toEqual(params);
    expect(model).toMatchObject({
      owner: 'test',
      name: 'python-example',
      visibility: 'private',
      run_count: 0,
    });
    expect(model.latest_version).toBeNull();
  });

  it('updates a model with PATCH', async () => {
    route('PATCH', '/models/test/python-example', json(fixture('api/model-update.json')));
    const model = await client().models.update('test', 'python-example', {
      description: 'Detects hot dogs',
      readme: '# Hot dog\n',
    });
    const call = only();
    expect(call.method).toBe('PATCH');
    expect(call.url.href).toBe(`${BASE}/models/test/python-example`);
    expect(JSON.parse(call.body)).toEqual({ description: 'Detects hot dogs', readme: '# Hot dog\n' });
    expect(model.description).toBe('Detects hot dogs');
  });

  it('deletes a model: 204 resolves undefined', async () => {
    route('DELETE', '/models/test/python-example', new Response(null, { status: 204 }));
    await expect(client().models.delete('test', 'python-example')).resolves.toBeUndefined();
    const call = only();
    expect(call.method).toBe('DELETE');
    expect(call.url.href).toBe(`${BASE}/models/test/python-example`);
    expect(call.body).toBe('');
  });

  it('searches with the QUERY method and a text/plain body', async () => {
    route('QUERY', '/models', json(fixture('api/models-search.json')));
    const models = await client().models.search('llama').toArray();
    const call = only();
    expect(call.method).toBe('QUERY');
    expect(call.url.href).toBe(`${BASE}/models`);
    expect(call.headers.get('content-type')).toBe('text/plain');
    expect(call.body).toBe('llama');
    expect(models.map((m) => m.name)).toEqual(['meta-llama-3-8b', 'meta-llama-3-70b-instruct']);
  });

  it('gets the README as text', async () => {
    route(
      'GET',
      '/models/replicate/hello-world/readme',
      new Response(README, { headers: { 'content-type': 'text/plain; charset=utf-8' } }),
    );
    const readme = await client().models.readme.get('replicate', 'hello-world');
    expect(only().url.href).toBe(`${BASE}/models/replicate/hello-world/readme`);
    expect(readme).toBe('# Hello World Model\n\nThis is an example model that says hello.\n');
  });

  it('maps a missing README to NotFoundError', async () => {
    route('GET', '/models/replicate/empty/readme', problem(404, { detail: 'Not found.', status: 404 }));
    await expect(client().models.readme.get('replicate', 'empty')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists examples as predictions', async () => {
    route('GET', '/models/black-forest-labs/flux-schnell/examples', json(fixture('api/model-examples.json')));
    const [example, ...rest] = await client()
      .models.examples.list('black-forest-labs', 'flux-schnell')
      .toArray();
    expect(only().url.href).toBe(`${BASE}/models/black-forest-labs/flux-schnell/examples`);
    expect(rest).toEqual([]);
    expect(example).toMatchObject({
      id: '8mver00185rme0ct9gt80xrw5m',
      status: 'succeeded',
      version: 'hidden',
    });
  });

  it('rejects an owner with a slash before any request', async () => {
    await expect(client().models.get('stability-ai/x', 'sdxl')).rejects.toBeInstanceOf(InvalidRequestError);
    expect(calls).toHaveLength(0);
  });
});

describe('models.versions', () => {
  it('lists versions', async () => {
    route('GET', '/models/stability-ai/sdxl/versions', json(fixture('api/model-versions-list.json')));
    const versions = await client().models.versions.list('stability-ai', 'sdxl').toArray();
    expect(only().url.href).toBe(`${BASE}/models/stability-ai/sdxl/versions`);
    expect(versions).toHaveLength(2);
    expect(versions[0]).toMatchObject({
      id: 'a00d0b7dcbb9c3fbb34ba87d2d5b46c56969c84a628bf778a7fdaec30b1b99c5',
      cog_version: '0.8.5',
      created_at: '2023-08-11T17:00:23.916379Z',
    });
  });

  it('gets a version with its openapi_schema', async () => {
    route(
      'GET',
      `/models/stability-ai/sdxl/versions/${VERSION}`,
      json(fixture('api/model-version-get.json')),
    );
    const version = await client().models.versions.get('stability-ai', 'sdxl', VERSION);
    expect(only().url.href).toBe(`${BASE}/models/stability-ai/sdxl/versions/${VERSION}`);
    expect(version.id).toBe(VERSION);
    const schema = version.openapi_schema as { components: { schemas: { Input: { properties: object } } } };
    expect(Object.keys(schema.components.schemas.Input.properties)).toContain('prompt');
  });

  it('deletes a version: 202 resolves undefined', async () => {
    route('DELETE', `/models/test/python-example/versions/${VERSION}`, new Response(null, { status: 202 }));
    await expect(client().models.versions.delete('test', 'python-example', VERSION)).resolves.toBeUndefined();
    const call = only();
    expect(call.method).toBe('DELETE');
    expect(call.url.pathname).toBe(`/v1/models/test/python-example/versions/${VERSION}`);
  });
});

describe('models.predictions.create', () => {
  it('posts to the model endpoint with Prefer and Cancel-After', async () => {
    route(
      'POST',
      '/models/meta/meta-llama-3-8b-instruct/predictions',
      json(fixture('api/prediction-create-model-wait.json'), { status: 201 }),
    );
    const result = await client().models.predictions.create('meta', 'meta-llama-3-8b-instruct', {
      input: { prompt: 'Please write a haiku about llamas' },
      wait: 10,
      cancelAfter: '30s',
    });
    const call = only();
    expect(call.url.href).toBe(`${BASE}/models/meta/meta-llama-3-8b-instruct/predictions`);
    expect(call.headers.get('prefer')).toBe('wait=10');
    expect(call.headers.get('cancel-after')).toBe('30s');
    expect(JSON.parse(call.body)).toEqual({ input: { prompt: 'Please write a haiku about llamas' } });
    expect(result.status).toBe('processing');
    expect(result.model).toBe('meta/meta-llama-3-8b-instruct');
  });
});
