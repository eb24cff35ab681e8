import { describe, expect, it } from 'vitest';
import { InvalidRequestError, Replicate } from '../../src/index';
import { fixture } from '../helpers/fixtures';
import { BASE, calls, json, route } from '../helpers/server';

const client = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const only = () => {
  expect(calls).toHaveLength(1);
  return calls[0]!;
};
const VERSION = 'a00d0b7dcbb9c3fbb34ba87d2d5b46c56969c84a628bf778a7fdaec30b1b99c5';
const INPUT = {
  input_images: 'https://replicate.delivery/pbxt/JMV5OrEWpBAC5gO8rre0tPOyJIOkaXvG0TWfVJ9b4zhLeEUY/data.zip',
  use_face_detection_instead: true,
};

describe('trainings', () => {
  it('creates a training at the version endpoint with destination, input and webhook', async () => {
    route(
      'POST',
      `/models/stability-ai/sdxl/versions/${VERSION}/trainings`,
      json(fixture('api/training-create.json'), { status: 201 }),
    );
    const training = await client().trainings.create('stability-ai', 'sdxl', VERSION, {
      destination: 'replicate/dreambooth-sdxl',
      input: INPUT,
      webhook: 'https://example.com/train',
      webhookEventsFilter: ['start', 'completed'],
    });
    const call = only();
    expect(call.method).toBe('POST');
    expect(call.url.href).toBe(`${BASE}/models/stability-ai/sdxl/versions/${VERSION}/trainings`);
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(call.headers.get('prefer')).toBeNull();
    expect(JSON.parse(call.body)).toEqual({
      destination: 'replicate/dreambooth-sdxl',
      input: INPUT,
      webhook: 'https://example.com/train',
      webhook_events_filter: ['start', 'completed'],
    });
    expect(training).toMatchObject({
      id: 'ckcbvmtbvg6di3b3uhvccytnfm',
      version: VERSION,
      status: 'starting',
    });
    expect(training.input).toEqual(INPUT);
  });

  it('sends only destination and input when nothing else is given', async () => {
    route(
      'POST',
      `/models/stability-ai/sdxl/versions/${VERSION}/trainings`,
      json(fixture('api/training-create.json'), { status: 201 }),
    );
    await client().trainings.create('stability-ai', 'sdxl', VERSION, { destination: 'acme/x', input: {} });
    expect(JSON.parse(only().body)).toEqual({ destination: 'acme/x', input: {} });
  });

  it.each([
    ['a destination without owner', { destination: 'dreambooth', input: {} }],
    ['an http webhook', { destination: 'acme/x', input: {}, webhook: 'http://example.com' }],
  ])('rejects %s before any request', async (_, params) => {
    await expect(client().trainings.create('stability-ai', 'sdxl', VERSION, params)).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(calls).toHaveLength(0);
  });

  it('gets a training', async () => {
    route('GET', '/trainings/zz4ibbonubfz7carwiefibzgga', json(fixture('api/training-get.json')));
    const training = await client().trainings.get('zz4ibbonubfz7carwiefibzgga');
    expect(only().url.href).toBe(`${BASE}/trainings/zz4ibbonubfz7carwiefibzgga`);
    expect(training).toMatchObject({
      status: 'succeeded',
      model: 'stability-ai/sdxl',
      output: { weights: 'https://replicate.delivery/pbxt/weights.tar' },
      metrics: { predict_time: 502.713876 },
    });
  });

  it('cancels with an empty POST', async () => {
    route('POST', '/trainings/xxi2kydbnla3ocjp64sclkewku/cancel', json(fixture('api/training-cancel.json')));
    const training = await client().trainings.cancel('xxi2kydbnla3ocjp64sclkewku');
    const call = only();
    expect(call.url.href).toBe(`${BASE}/trainings/xxi2kydbnla3ocjp64sclkewku/cancel`);
    expect(call.body).toBe('');
    expect(training.status).toBe('canceled');
    expect(training.output).toBeNull();
  });

  it('lists trainings', async () => {
    route('GET', '/trainings', json(fixture('api/trainings-list.json')));
    const trainings = await client().trainings.list().toArray();
    expect(only().url.href).toBe(`${BASE}/trainings`);
    expect(trainings.map((t) => [t.id, t.source])).toEqual([['zz4ibbonubfz7carwiefibzgga', 'api']]);
  });
});
