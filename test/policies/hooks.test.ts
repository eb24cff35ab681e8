import { withCost } from 'replikit/pricing';
import { createFakeReplicate } from 'replikit/testing';
import { describe, expect, it, vi } from 'vitest';
import {
  NotFoundError,
  type PredictionUsage,
  Replicate,
  type ReplicateOptions,
  type RequestErrorEvent,
  type RequestEvent,
  type ResponseEvent,
  ServerError,
} from '../../src/index';
import { useFakeClock } from '../helpers/clock';
import { prediction } from '../helpers/fixtures';
import { BASE, calls, json, problem, route } from '../helpers/server';
import { delayed, track } from '../helpers/sse';
import { NOW, settle as settleFor } from './helpers';

const TOKEN = 'r8_secretsecretsecretsecretsecret9876';
const CREATE = '/models/acme/model/predictions';

/** A client whose hooks record every event. */
function recorded(options: ReplicateOptions = {}) {
  const events: Array<
    ['request', RequestEvent] | ['response', ResponseEvent] | ['error', RequestErrorEvent]
  > = [];
  const replicate = new Replicate({
    auth: TOKEN,
    baseUrl: BASE,
    onRequest: (event) => events.push(['request', event]),
    onResponse: (event) => events.push(['response', event]),
    onError: (event) => events.push(['error', event]),
    ...options,
  });
  return { replicate, events };
}

useFakeClock(NOW);

/** Hooks tests drive one minute of fake time unless told. */
const settle = <T>(call: () => Promise<T>, ms = 60_000) => settleFor(call, ms);

describe('onRequest, onResponse, onError', () => {
  it('describe a create: redacted key, model, body, then the new prediction id, timing and request id', async () => {
    const reply = () =>
      json(prediction({ id: 'new1' }), { status: 201, headers: { 'x-request-id': 'req_9' } });
    route('POST', CREATE, delayed(250, reply));
    const { replicate, events } = recorded();
    await settle(() =>
      replicate.predictions.create({ model: 'acme/model', input: { prompt: 'hi' }, wait: 5 }),
    );
    expect(events.map(([kind]) => kind)).toEqual(['request', 'response']);
    const [, request] = events[0] as ['request', RequestEvent];
    expect(request).toEqual({
      id: 1,
      method: 'POST',
      url: `${BASE}${CREATE}`,
      kind: 'create',
      model: 'acme/model',
      predictionId: undefined,
      headers: {
        'user-agent': expect.stringMatching(/^replikit\//),
        'content-type': 'application/json',
        prefer: 'wait=5',
        authorization: 'Bearer r8_…9876',
      },
      body: { input: { prompt: 'hi' } },
    });
    const [, response] = events[1] as ['response', ResponseEvent];
    expect(response).toMatchObject({
      status: 201,
      predictionId: 'new1',
      requestId: 'req_9',
      durationMs: 250,
      queuedMs: 0,
      attempts: 1,
    });
    expect(response.request.id).toBe(1);
  });

  it('report the attempts of a retried GET and the prediction named by the path', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    route(
      'GET',
      '/predictions/p7',
      problem(503, { detail: 'busy' }),
      problem(502, { detail: 'busy' }),
      json(prediction({ id: 'p7' })),
    );
    const { replicate, events } = recorded();
    await settle(() => replicate.predictions.get('p7'));
    const [, response] = events[1] as ['response', ResponseEvent];
    expect(response).toMatchObject({ status: 200, predictionId: 'p7', attempts: 3, durationMs: 750 });
    expect(response.request).toMatchObject({ kind: 'other', predictionId: 'p7', method: 'GET' });
  });

  it('onError gets the typed error and status; an abort gets its reason; ids pair the events', async () => {
    route('GET', '/models/acme/missing', problem(404, { detail: 'not found' }));
    route(
      'GET',
      '/predictions/slow',
      delayed(10_000, () => json(prediction({ id: 'slow' }))),
    );
    const { replicate, events } = recorded();
    await settle(() => replicate.models.get('acme', 'missing').catch(() => undefined));
    const controller = new AbortController();
    const pending = track(() => replicate.predictions.get('slow', { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    const reason = new DOMException('stop', 'AbortError');
    controller.abort(reason);
    await pending.done;
    const errors = events.filter(([kind]) => kind === 'error').map(([, event]) => event as RequestErrorEvent);
    expect(errors[0]).toMatchObject({ status: 404, attempts: 1, request: { id: 1, model: 'acme/missing' } });
    expect(errors[0]?.error).toBeInstanceOf(NotFoundError);
    expect(errors[1]).toMatchObject({ error: reason, status: undefined, request: { id: 2 } });
    expect(pending.outcome.error).toBe(reason);
  });

  it('never leak the token, even when the error body echoes it', async () => {
    route(
      'POST',
      CREATE,
      problem(500, { detail: `bad header Bearer ${TOKEN}`, echo: { authorization: TOKEN } }),
    );
    const { replicate, events } = recorded();
    const error = await replicate.predictions
      .create({ model: 'acme/model', input: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(events).toHaveLength(2);
    const seen = JSON.stringify(events, (_, value) =>
      value instanceof Error ? `${value.message} ${JSON.stringify(value)}` : value,
    );
    expect(seen).toContain('r8_…9876');
    expect(seen).not.toContain(TOKEN);
  });

  it('a hook that throws or rejects never breaks the call', async () => {
    route('GET', '/predictions/abc', json(prediction({ id: 'abc' })));
    route('GET', '/predictions/gone', problem(404, { detail: 'gone' }));
    const boom = () => {
      throw new Error('logger down');
    };
    const replicate = new Replicate({
      auth: TOKEN,
      baseUrl: BASE,
      onRequest: boom,
      onResponse: async () => Promise.reject(new Error('async logger down')),
      onError: boom,
    });
    await expect(replicate.predictions.get('abc')).resolves.toMatchObject({ id: 'abc' });
    await expect(replicate.predictions.get('gone')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('mark the stream host as external and keep it out of the rate limit', async () => {
    const fake = createFakeReplicate({ presets: { tokenDelay: 0, startDelay: 0 } });
    const sent: Array<[RequestEvent['kind'], number]> = [];
    const replicate = new Replicate({
      auth: 'test',
      fetch: fake.fetch,
      rateLimit: { requestsPerMinute: 1, burst: 1 },
      onRequest: (event) => sent.push([event.kind, Date.now() - NOW]),
    });
    const { error } = await settle(async () => {
      for await (const _ of replicate.stream('meta/meta-llama-3-8b-instruct', {
        input: { prompt: 'Hi', max_tokens: 2 },
      }));
    });
    expect(error).toBeUndefined();
    expect(sent).toEqual([
      ['create', 0],
      ['external', 0], // the event stream did not wait a minute for the API budget
    ]);
  });
});

describe('transformInput', () => {
  const EMAIL = /[\w.]+@[\w.]+/g;

  it('rewrites a create’s input before it is sent and shows the hooks the clean body', async () => {
    route('POST', CREATE, json(prediction(), { status: 201 }));
    const transformInput = vi.fn(async (input: Record<string, unknown>) => ({
      ...input,
      prompt: String(input.prompt).replace(EMAIL, '[email]'),
    }));
    const { replicate, events } = recorded({ transformInput });
    const input = { prompt: 'Mail ada@example.com today', seed: 1 };
    await replicate.predictions.create({ model: 'acme/model', input });
    expect(JSON.parse(calls[0]!.body)).toEqual({ input: { prompt: 'Mail [email] today', seed: 1 } });
    expect(transformInput).toHaveBeenCalledWith(input, { model: 'acme/model', path: CREATE });
    expect(input.prompt).toBe('Mail ada@example.com today'); // the caller's object is untouched
    expect((events[0]![1] as RequestEvent).body).toEqual({
      input: { prompt: 'Mail [email] today', seed: 1 },
    });
    expect(JSON.stringify(events)).not.toContain('ada@example.com');
  });

  it('applies to creates only (not cancels or other POSTs) and gets the version of a create by version', async () => {
    const version = 'a'.repeat(64);
    route('POST', '/predictions', json(prediction(), { status: 201 }));
    route('POST', '/predictions/abc/cancel', json(prediction({ id: 'abc', status: 'canceled' })));
    const transformInput = vi.fn((input: Record<string, unknown>) => input);
    const replicate = new Replicate({ auth: TOKEN, baseUrl: BASE, transformInput });
    await replicate.predictions.create({ version, input: { a: 1 } });
    await replicate.predictions.cancel('abc');
    expect(transformInput).toHaveBeenCalledTimes(1);
    expect(transformInput).toHaveBeenCalledWith({ a: 1 }, { model: version, path: '/predictions' });
  });

  it('fails closed: a transform that throws rejects the call and nothing is sent', async () => {
    route('POST', CREATE, json(prediction(), { status: 201 }));
    const failure = new Error('PII service unavailable');
    const { replicate, events } = recorded({
      transformInput: () => {
        throw failure;
      },
    });
    await expect(replicate.predictions.create({ model: 'acme/model', input: { prompt: 'x' } })).rejects.toBe(
      failure,
    );
    expect(calls).toHaveLength(0);
    expect(events).toHaveLength(0);
  });

  it('cleans chat prompts too: it sees the rendered prompt of a chat completion', async () => {
    const fake = createFakeReplicate({ presets: { tokenDelay: 0, startDelay: 0 } });
    const replicate = new Replicate({
      auth: 'test',
      fetch: fake.fetch,
      transformInput: (input) => ({ ...input, prompt: String(input.prompt).replace(EMAIL, '[email]') }),
    });
    const { value, error } = await settle(() =>
      replicate.chat.completions.create({
        model: 'meta/meta-llama-3-8b-instruct',
        messages: [{ role: 'user', content: 'Write to bob@corp.com' }],
        max_tokens: 3,
      }),
    );
    expect(error).toBeUndefined();
    const id = value?.replicate?.predictions[0] ?? '';
    const stored = await replicate.predictions.get(id);
    expect(String(stored.input?.prompt)).toContain('Write to [email]<|eot_id|>');
    expect(JSON.stringify(stored)).not.toContain('bob@corp.com');
  });
});

describe('onUsage with cost, beside the request hooks', () => {
  it('gives each finished prediction’s tokens and cost, matching the create’s prediction id', async () => {
    const fake = createFakeReplicate({ presets: { tokenDelay: 0, startDelay: 0 } });
    const usages: Array<PredictionUsage & { cost?: { total: number } }> = [];
    const created: string[] = [];
    const replicate = new Replicate({
      auth: 'test',
      fetch: fake.fetch,
      onResponse: (event) => {
        if (event.request.kind === 'create' && event.predictionId) created.push(event.predictionId);
      },
      onUsage: withCost((usage) => usages.push(usage)),
    });
    await settle(() =>
      replicate.run('meta/meta-llama-3-8b-instruct', { input: { prompt: 'Hello', max_tokens: 4 } }),
    );
    expect(usages).toHaveLength(1);
    expect(usages[0]?.predictionId).toBe(created[0]);
    expect(usages[0]?.outputTokens).toBe(4);
    expect(usages[0]?.cost?.total).toBeGreaterThan(0);
  });
});
