import { type PredictionEvent, Replicate, StreamError } from 'replikit';
import { createFakeReplicate, echo, failingModel, textModel } from 'replikit/testing';
import { describe, expect, it } from 'vitest';

const TEXT = 'Soft wool in the sun,\n\nllamas hum a quiet song —  done.';

function setup(options: Parameters<typeof createFakeReplicate>[0] = {}) {
  const fake = createFakeReplicate({
    presets: false,
    models: {
      'acme/poet': textModel({ respond: TEXT, tokenDelay: 2, logs: ['Loading weights', 'Ready'] }),
      'acme/echo': textModel({ respond: echo, tokenDelay: 1 }),
      'acme/broken': failingModel({ error: 'CUDA out of memory', after: 3 }),
    },
    ...options,
  });
  return { fake, replicate: new Replicate({ auth: 'test', fetch: fake.fetch }) };
}

async function collect(events: AsyncIterable<PredictionEvent>): Promise<PredictionEvent[]> {
  const all: PredictionEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const outputText = (events: PredictionEvent[]) =>
  events
    .filter((event) => event.type === 'output')
    .map((event) => event.data)
    .join('');

describe('event streams', () => {
  it('streams the tokens of a text model; they join to the text exactly', async () => {
    const { replicate } = setup();
    const events = await collect(replicate.stream('acme/poet', { input: { prompt: 'a poem' } }));
    expect(outputText(events)).toBe(TEXT);
    expect(events.filter((event) => event.type === 'logs').map((event) => event.data)).toEqual([
      'Loading weights',
      'Ready',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'done' });
    for (const event of events) expect(event.id).toMatch(/^\d+:\d+$/);
  });

  it('writes Replicate wire format: ": hi", event/id/data lines, multi-line data, done {}', async () => {
    const { fake, replicate } = setup();
    const prediction = await replicate.predictions.create({
      model: 'acme/poet',
      input: { prompt: 'x' },
      wait: 5,
    });
    expect(prediction.status).toBe('succeeded');
    const response = await fake.fetch(prediction.urls!.stream!, { headers: { accept: 'text/event-stream' } });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const body = await response.text();
    expect(body.startsWith(': hi\n\nevent: logs\nid: ')).toBe(true);
    expect(body).toMatch(/event: output\nid: \d+:\d+\ndata: \ndata: \ndata: llamas\n\n/);
    expect(body).toMatch(/event: done\nid: \d+:\d+\ndata: \{\}\n\n$/);
  });

  it('resumes after Last-Event-ID without repeating events', async () => {
    const { fake, replicate } = setup();
    const prediction = await replicate.predictions.create({
      model: 'acme/poet',
      input: { prompt: 'x' },
      wait: 5,
    });
    const url = prediction.urls!.stream!;
    const full = await (await fake.fetch(url)).text();
    const ids = [...full.matchAll(/^id: (.+)$/gm)].map((match) => match[1]!);
    const resumed = await (await fake.fetch(url, { headers: { 'last-event-id': ids[4]! } })).text();
    expect([...resumed.matchAll(/^id: (.+)$/gm)].map((match) => match[1])).toEqual(ids.slice(5));
  });

  it('recovers from a truncated stream by reconnecting with Last-Event-ID', async () => {
    const { fake, replicate } = setup({
      faults: [{ route: 'stream', type: 'truncate', afterEvents: 3, times: 2 }],
    });
    const events = await collect(
      replicate.stream('acme/poet', { input: { prompt: 'x' }, reconnectDelay: 1 }),
    );
    expect(outputText(events)).toBe(TEXT);
    expect(fake.count('stream')).toBe(3);
    const streamRequests = fake.requests.filter((request) => request.operation === 'stream');
    expect(streamRequests.map((request) => request.fault)).toEqual(['truncate', 'truncate', undefined]);
  });

  it('gives up when the stream keeps dropping before any event', async () => {
    const { replicate } = setup({ faults: [{ route: 'stream', type: 'truncate', afterEvents: 0 }] });
    const error = await collect(
      replicate.stream('acme/poet', { input: { prompt: 'x' }, reconnectDelay: 1, maxReconnects: 2 }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).reason).toBe('disconnected');
  });

  it('sends an error event then done {"reason":"error"} when the model fails', async () => {
    const { replicate } = setup();
    const prediction = await replicate.predictions.create({
      model: 'acme/broken',
      input: {},
      wait: 5,
    });
    expect(prediction.status).toBe('failed');
    expect(prediction.urls?.stream).toBeUndefined();
    // Failing models do not stream; a streaming model that fails does:
    const streaming = createFakeReplicate({
      presets: false,
      models: { 'acme/flaky': { ...failingModel({ error: 'boom', after: 2 }), streams: true } },
    });
    const client = new Replicate({ auth: 'test', fetch: streaming.fetch });
    const error = await collect(client.stream('acme/flaky', { input: {} })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).reason).toBe('error-event');
    expect((error as Error).message).toContain('boom');
    const failed = streaming.predictions.list()[0]!;
    const text = await (await streaming.fetch(failed.urls!.stream!)).text();
    expect(text).toMatch(
      /event: error\nid: \d+:\d+\ndata: boom\n\nevent: done\nid: \d+:\d+\ndata: \{"reason":"error"\}\n\n$/,
    );
  });

  it('ends the stream with done {"reason":"canceled"} on cancel', async () => {
    const { fake, replicate } = setup({
      models: { 'acme/slow': textModel({ respond: 'a b c d e f g h', tokenDelay: 50 }) },
    });
    const events: PredictionEvent[] = [];
    let canceled = false;
    for await (const event of replicate.stream('acme/slow', { input: {} })) {
      events.push(event);
      if (event.type === 'output' && !canceled) {
        canceled = true;
        await replicate.predictions.cancel(fake.predictions.list()[0]!.id);
      }
    }
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'canceled' });
    expect(outputText(events).length).toBeLessThan('a b c d e f g h'.length);
    expect(fake.predictions.list()[0]?.status).toBe('canceled');
  });

  it('closes the connection when the consumer breaks out', async () => {
    const { fake, replicate } = setup({
      models: { 'acme/slow': textModel({ respond: 'a b c d e f g h', tokenDelay: 30 }) },
    });
    for await (const event of replicate.stream('acme/slow', { input: {} })) {
      if (event.type === 'output') break;
    }
    // The prediction keeps running (cancelOnBreak is off) and finishes.
    const id = fake.predictions.list()[0]!.id;
    const done = await replicate.wait(id, { useStream: false, pollInterval: 20 });
    expect(done.status).toBe('succeeded');
  });
});
