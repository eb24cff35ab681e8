import { describe, expect, it } from 'vitest';
import { InvalidRequestError, Replicate } from '../../src/index';
import { fixture } from '../helpers/fixtures';
import { BASE, calls, json, route } from '../helpers/server';

const client = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const only = () => {
  expect(calls).toHaveLength(1);
  return calls[0]!;
};

describe('collections', () => {
  it('lists collections', async () => {
    route('GET', '/collections', json(fixture('api/collections-list.json')));
    const collections = await client().collections.list().toArray();
    expect(only().url.href).toBe(`${BASE}/collections`);
    expect(collections[0]).toEqual({
      name: 'Halloween',
      slug: 'halloween',
      description: 'Spooky, scary, frightful models.',
    });
    expect(collections.map((c) => c.slug)).toContain('streaming-language-models');
  });

  it('gets a collection with its models', async () => {
    route('GET', '/collections/text-to-image', json(fixture('api/collection-get.json')));
    const collection = await client().collections.get('text-to-image');
    expect(only().url.href).toBe(`${BASE}/collections/text-to-image`);
    expect(collection.slug).toBe('text-to-image');
    expect(collection.models.map((m) => `${m.owner}/${m.name}`)).toEqual(['huiyegit/t2i_cl']);
  });

  it('rejects a slug with a slash before any request', async () => {
    await expect(client().collections.get('a/b')).rejects.toBeInstanceOf(InvalidRequestError);
    expect(calls).toHaveLength(0);
  });
});

describe('hardware, account, webhooks', () => {
  it('lists hardware', async () => {
    route('GET', '/hardware', json(fixture('api/hardware-list.json')));
    const hardware = await client().hardware.list();
    expect(only().url.href).toBe(`${BASE}/hardware`);
    expect(hardware.map((h) => h.sku)).toEqual(['cpu', 'gpu-t4', 'gpu-a40-small', 'gpu-a40-large']);
    expect(hardware[1]?.name).toBe('Nvidia T4 GPU');
  });

  it('gets the account', async () => {
    route('GET', '/account', json(fixture('api/account.json')));
    const account = await client().account.get();
    expect(only().url.href).toBe(`${BASE}/account`);
    expect(account).toEqual({
      type: 'organization',
      username: 'acme',
      name: 'Acme Corp, Inc.',
      github_url: 'https://github.com/acme',
    });
  });

  it('gets the default webhook secret', async () => {
    route('GET', '/webhooks/default/secret', json(fixture('api/webhook-secret.json')));
    const secret = await client().webhooks.default.secret.get();
    const call = only();
    expect(call.method).toBe('GET');
    expect(call.url.href).toBe(`${BASE}/webhooks/default/secret`);
    expect(secret.key).toBe('whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD');
  });
});

describe('search', () => {
  it('sends query and limit', async () => {
    route('GET', '/search', json(fixture('api/search.json')));
    const result = await client().search('upscale images', { limit: 5 });
    const call = only();
    expect(call.method).toBe('GET');
    expect(call.url.pathname).toBe('/v1/search');
    expect(Object.fromEntries(call.url.searchParams)).toEqual({ query: 'upscale images', limit: '5' });
    expect(result.query).toBe('upscale images');
    expect(result.models[0]?.model.name).toBe('sdxl');
    expect(result.models[0]?.metadata).toMatchObject({ score: 0.87, tags: ['text-to-image', 'diffusion'] });
    expect(result.collections[0]?.slug).toBe('super-resolution');
    expect(result.pages[0]?.href).toBe('https://replicate.com/docs/guides/upscale');
  });

  it('omits limit when not given', async () => {
    route('GET', '/search', json(fixture('api/search.json')));
    await client().search('nano banana');
    expect(only().url.search).toBe('?query=nano+banana');
  });

  it.each([0, 51, 2.5])('rejects limit %s before any request', async (limit) => {
    await expect(client().search('x', { limit })).rejects.toThrow(/limit/);
    expect(calls).toHaveLength(0);
  });
});
