import { describe, expect, it } from 'vitest';
import { InvalidRequestError, Replicate } from '../../src/index';
import { fixture, prediction } from '../helpers/fixtures';
import { BASE, calls, json, route } from '../helpers/server';

const _VERSION = '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b';
const client = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const only = () => {
  expect(calls).toHaveLength(1);
  return calls[0]!;
};
const _body = () => JSON.parse(only().body) as unknown;

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
