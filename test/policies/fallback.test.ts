import type { FaultRule } from 'replikit/testing';
import { describe, expect, it, vi } from 'vitest';
import {
  AuthenticationError,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatFallbackFunction,
  ColdStartTimeoutError,
  ConnectionError,
  InvalidRequestError,
  isFallbackWorthy,
  NotFoundError,
  PaymentRequiredError,
  PredictionFailedError,
  RateLimitError,
  ServerError,
  StreamError,
  TimeoutError,
  UnsupportedParameterError,
} from '../../src/index';
import { useFakeClock } from '../helpers/clock';
import { track } from '../helpers/sse';
import { BIG, collect, createsOf, MISTRAL, messages, NOW, outage, SMALL, settle, setup } from './helpers';

useFakeClock(NOW);

describe('isFallbackWorthy', () => {
  it.each([
    [new ServerError('503'), true],
    [new RateLimitError('429'), true],
    [new TimeoutError('slow', 10), true],
    [new ColdStartTimeoutError('p1', 10), true],
    [new ConnectionError('reset'), true],
    [new StreamError('dropped', 'disconnected'), true],
    [new PredictionFailedError({ id: 'p1', status: 'failed', error: 'CUDA out of memory' } as never), true],
    [new InvalidRequestError('422'), false],
    [new AuthenticationError('401'), false],
    [new PaymentRequiredError('402'), false],
    [new NotFoundError('404'), false],
    [new UnsupportedParameterError('tools', 'no tools'), false],
    [new DOMException('aborted', 'AbortError'), false],
  ])('%s → %s', (error, worthy) => {
    expect(isFallbackWorthy(error)).toBe(worthy);
  });
});

describe('chat fallbacks', () => {
  it('answers with the next model after a 5xx on the create, saying which model answered', async () => {
    const { fake, replicate } = setup({ faults: [outage()], client: { fallback: [SMALL] } });
    const { value, error } = await settle(() =>
      replicate.chat.completions.create({ model: BIG, messages, max_tokens: 5 }),
    );
    expect(error).toBeUndefined();
    const completion = value as ChatCompletion;
    expect(completion.model).toBe(SMALL);
    expect(completion.replicate?.fallbackFrom).toBe(BIG);
    expect(completion.replicate?.predictions).toHaveLength(1);
    expect(completion.choices[0]?.message.content).not.toBe('');
    expect(fake.count(createsOf(BIG))).toBe(1); // a create is never retried on 5xx
    expect(fake.count(createsOf(SMALL))).toBe(1);
  });

  it('tries the fallbacks in order, skipping one that fails too', async () => {
    const faults = [outage(), { route: createsOf(SMALL), type: 'reset' } as FaultRule];
    const { replicate } = setup({ faults });
    const { value } = await settle(() =>
      replicate.chat.completions.create(
        { model: BIG, messages, max_tokens: 5 },
        { fallback: [SMALL, MISTRAL] },
      ),
    );
    expect((value as ChatCompletion).model).toBe(MISTRAL);
    expect((value as ChatCompletion).replicate?.fallbackFrom).toBe(BIG);
  });

  it.each([
    ['429 after the retries', [{ route: createsOf(BIG), type: 'server-error', status: 429, retryAfter: 1 }]],
    ['a connection reset', [{ route: createsOf(BIG), type: 'reset' }]],
  ] as Array<[string, FaultRule[]]>)('falls back after %s', async (_, faults) => {
    const { replicate } = setup({ faults, client: { fallback: [SMALL], maxRetries: 1 } });
    const { value, error } = await settle(() => replicate.chat.completions.create({ model: BIG, messages }));
    expect(error).toBeUndefined();
    expect((value as ChatCompletion).model).toBe(SMALL);
  });

  it('falls back when the prediction fails', async () => {
    const { replicate } = setup({ failing: true, client: { fallback: [SMALL] } });
    const { value, error } = await settle(() => replicate.chat.completions.create({ model: BIG, messages }));
    expect(error).toBeUndefined();
    expect((value as ChatCompletion).model).toBe(SMALL);
  });

  it.each([
    [400, InvalidRequestError],
    [401, AuthenticationError],
    [402, PaymentRequiredError],
    [404, NotFoundError],
    [422, InvalidRequestError],
  ])('never falls back on %i', async (status, type) => {
    const { fake, replicate } = setup({ faults: [outage(status)], client: { fallback: [SMALL] } });
    const { error } = await settle(() => replicate.chat.completions.create({ model: BIG, messages }));
    expect(error).toBeInstanceOf(type);
    expect((error as { status?: number }).status).toBe(status);
    expect(fake.count(createsOf(SMALL))).toBe(0);
  });

  it('never falls back on an unsupported parameter, and sends nothing', async () => {
    const fallback = vi.fn<ChatFallbackFunction>();
    const { fake, replicate } = setup({ client: { fallback: [fallback, SMALL] } });
    const { error } = await settle(() =>
      replicate.chat.completions.create({ model: BIG, messages, tools: [{}] }),
    );
    expect(error).toBeInstanceOf(UnsupportedParameterError);
    expect(fallback).not.toHaveBeenCalled();
    expect(fake.requests).toHaveLength(0);
  });

  it('calls an OpenAI-compatible function with the request and the error, and marks its answer', async () => {
    const { replicate } = setup({ faults: [outage()] });
    const answer: ChatCompletion = {
      id: 'chatcmpl-other',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Nile', refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    };
    const other = vi.fn(async () => answer);
    const params = { model: BIG, messages, max_tokens: 5 };
    const { value } = await settle(() => replicate.chat.completions.create(params, { fallback: [other] }));
    expect(other).toHaveBeenCalledTimes(1);
    const [received, context] = other.mock.calls[0] as unknown as [
      typeof params,
      { error: unknown; signal: unknown },
    ];
    expect(received).toEqual(params);
    expect(context.error).toBeInstanceOf(ServerError);
    expect(value).toEqual({ ...answer, replicate: { predictions: [], fallbackFrom: BIG } });
  });

  it('throws the last error when every model fails', async () => {
    const faults: FaultRule[] = [{ route: 'create', type: 'server-error', status: 502 }];
    const { fake, replicate } = setup({ faults, client: { fallback: [SMALL, MISTRAL] } });
    const { error } = await settle(() => replicate.chat.completions.create({ model: BIG, messages }));
    expect(error).toBeInstanceOf(ServerError);
    expect(fake.count('create')).toBe(3);
  });

  it('a per-request fallback replaces the client’s, and false turns it off', async () => {
    const { fake, replicate } = setup({ faults: [outage()], client: { fallback: [SMALL] } });
    const { value } = await settle(() =>
      replicate.chat.completions.create({ model: BIG, messages }, { fallback: [MISTRAL] }),
    );
    expect((value as ChatCompletion).model).toBe(MISTRAL);
    const { error } = await settle(() =>
      replicate.chat.completions.create({ model: BIG, messages }, { fallback: false }),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(fake.count(createsOf(SMALL))).toBe(0);
  });

  it('renders the fallback model’s prompt with its own template, not the request’s', async () => {
    const { replicate } = setup({ faults: [outage()] });
    const { value } = await settle(() =>
      replicate.chat.completions.create(
        { model: BIG, messages },
        { template: () => 'CUSTOM', fallback: [MISTRAL] },
      ),
    );
    const stored = await replicate.predictions.get((value as ChatCompletion).replicate?.predictions[0] ?? '');
    expect(stored.input?.prompt).toBe('<s>[INST] Name a river. [/INST]');
  });

  it('never falls back after an abort: rejects with signal.reason', async () => {
    const { fake, replicate } = setup({ slow: true, client: { fallback: [SMALL] } });
    const controller = new AbortController();
    const run = track(() =>
      replicate.chat.completions.create({ model: BIG, messages }, { signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(1000);
    const reason = new DOMException('user left', 'AbortError');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run.outcome.error).toBe(reason);
    expect(fake.count(createsOf(SMALL))).toBe(0);
  });
});

describe('stream fallbacks', () => {
  it('falls back before the first content chunk: only the fallback’s chunks are seen', async () => {
    const { replicate } = setup({ faults: [outage()], client: { fallback: [SMALL] } });
    const { value, error } = await settle(async () =>
      collect(await replicate.chat.completions.create({ model: BIG, messages, max_tokens: 4, stream: true })),
    );
    expect(error).toBeUndefined();
    const chunks = value as ChatCompletionChunk[];
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.role)).toHaveLength(1);
    expect(new Set(chunks.map((chunk) => chunk.model))).toEqual(new Set([SMALL]));
    expect(chunks.every((chunk) => chunk.replicate?.fallbackFrom === BIG)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('length');
  });

  it('rejects create() at once for a request that is not worth a fallback', async () => {
    const { replicate } = setup({ client: { fallback: [SMALL] } });
    await expect(
      replicate.chat.completions.create({ model: BIG, messages, stream: true, logprobs: true }),
    ).rejects.toBeInstanceOf(UnsupportedParameterError);
  });

  it('does not fall back once content was sent: the error reaches the reader', async () => {
    const faults: FaultRule[] = [
      // Two events, then every reconnection drops before any: the stream fails after content was sent.
      { route: 'stream', type: 'truncate', afterEvents: 2, times: 1 },
      { route: 'stream', type: 'truncate', afterEvents: 0 },
      { route: 'predictions.get', type: 'server-error', status: 500 },
    ];
    const { fake, replicate } = setup({ faults, client: { fallback: [SMALL], maxRetries: 0 } });
    const seen: string[] = [];
    const { error } = await settle(async () => {
      for await (const chunk of await replicate.chat.completions.create({
        model: BIG,
        messages,
        max_tokens: 8,
        stream: true,
      }))
        seen.push(chunk.choices[0]?.delta.content ?? '');
    });
    expect(error).toBeInstanceOf(StreamError);
    expect(seen.join('')).not.toBe('');
    expect(fake.count(createsOf(SMALL))).toBe(0);
  });
});
