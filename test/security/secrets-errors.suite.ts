import { inspect } from 'node:util';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PaymentRequiredError,
  PredictionCanceledError,
  PredictionFailedError,
  RateLimitError,
  Replicate,
  ResponseValidationError,
  ServerError,
  StreamError,
  TimeoutError,
} from 'replikit';
import { createOpenAIHandler } from 'replikit/openai';
import { signWebhook, verifyWebhook, WebhookVerificationError } from 'replikit/webhooks';
import { describe, expect, it } from 'vitest';
import { collect, drive } from '../faults/helpers';
import { useFakeClock } from '../helpers/clock';
import { expectClean, failure, NOW, setup, TOKEN } from './secrets-helpers';

useFakeClock(NOW);

describe('the token never appears in an error, whatever the server echoes', () => {
  const STATUSES: Array<[number, abstract new (...args: never[]) => ApiError]> = [
    [400, InvalidRequestError],
    [401, AuthenticationError],
    [402, PaymentRequiredError],
    [403, AuthenticationError],
    [404, NotFoundError],
    [409, ApiError],
    [418, ApiError],
    [422, InvalidRequestError],
    [429, RateLimitError],
    [500, ServerError],
    [502, ServerError],
    [503, ServerError],
  ];
  const CALLS: Array<[string, string, (r: Replicate) => Promise<unknown>]> = [
    ['predictions.get', 'predictions.get', (r) => r.predictions.get('abc')],
    ['run (create)', 'create', (r) => r.run('acme/echo', { input: { prompt: 'x' } })],
    ['stream (connect)', 'stream', (r) => collect(r.stream('acme/echo', { input: { prompt: 'x' } }))],
    ['predictions.list', 'predictions.list', (r) => r.predictions.list().toArray()],
    ['files.create', 'files.create', (r) => r.files.create(new Blob(['x']))],
  ];
  for (const [name, route, call] of CALLS) {
    it.each(STATUSES)(`${name}: %i`, async (status, ErrorClass) => {
      const { replicate } = setup({ faults: [{ route, type: 'server-error', status, retryAfter: 1 }] });
      const error = await failure(() => call(replicate));
      expect(error).toBeInstanceOf(ErrorClass);
      expectClean(error);
      expect(inspect(error, { depth: 20 })).toContain('r8_…nopq');
    });
  }

  it('ConnectionError: a reset, and a custom fetch whose error names the header', async () => {
    const { replicate } = setup({ faults: [{ route: 'account.get', type: 'reset' }] });
    expectClean(await failure(() => replicate.account.get()));
    const naming = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const authorization = new Request(input, init).headers.get('authorization');
      throw new TypeError(`fetch failed for ${authorization}`, {
        cause: Object.assign(new Error(`proxy refused ${authorization}`), {
          code: 'ECONNREFUSED',
          header: authorization,
        }),
      });
    }) as typeof fetch;
    const error = await failure(() =>
      new Replicate({ auth: TOKEN, fetch: naming, maxRetries: 0 }).account.get(),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expectClean(error);
  });

  it('ConnectionError: a body cut off mid-read', async () => {
    const { replicate } = setup({ faults: [{ route: 'account.get', type: 'truncate' }] });
    const error = await failure(() => replicate.account.get());
    expect(error).toBeInstanceOf(ConnectionError);
    expectClean(error);
  });

  it('TimeoutError', async () => {
    const { replicate } = setup(
      { faults: [{ route: 'account.get', type: 'slow', delay: 10_000 }] },
      { timeout: 100 },
    );
    const error = await failure(() => replicate.account.get());
    expect(error).toBeInstanceOf(TimeoutError);
    expectClean(error);
  });

  it('ResponseValidationError: a 200 that is not JSON, and one of the wrong shape, both echoing the token', async () => {
    for (const body of [
      `Authorization: Bearer ${TOKEN}`,
      JSON.stringify({ echo: { authorization: `Bearer ${TOKEN}` }, [TOKEN]: 1 }),
    ]) {
      const fetch = (async () =>
        new Response(body, { headers: { 'content-type': 'application/json' } })) as typeof globalThis.fetch;
      const error = await failure(() => new Replicate({ auth: TOKEN, fetch }).account.get());
      expect(error).toBeInstanceOf(ResponseValidationError);
      expectClean(error);
    }
  });

  it('PredictionFailedError from a model whose error and logs echo the token', async () => {
    const { replicate } = setup();
    const error = await failure(() => replicate.run('acme/leaky', { input: {} }));
    expect(error).toBeInstanceOf(PredictionFailedError);
    expectClean(error);
  });

  it('PredictionCanceledError (Cancel-After)', async () => {
    const { replicate } = setup();
    const error = await failure(() =>
      replicate.run('acme/slow', { input: { prompt: TOKEN.slice(0, 4) }, cancelAfter: '5s', wait: false }),
    );
    expect(error).toBeInstanceOf(PredictionCanceledError);
    expectClean(error);
  });

  it('StreamError: an error event echoing the token, a bad stream response, drops, no stream', async () => {
    const { replicate } = setup();
    const errorEvent = await failure(() => collect(replicate.stream('acme/leaky', { input: {} })));
    expect(errorEvent).toMatchObject({ name: 'StreamError', reason: 'error-event' });
    expectClean(errorEvent);

    const notSse = setup();
    const json = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname.startsWith('/v1/streams/'))
        return new Response(JSON.stringify({ echo: request.headers.get('authorization') }), {
          headers: { 'content-type': 'application/json' },
        });
      return notSse.fake.fetch(request);
    }) as typeof fetch;
    const http = await failure(() =>
      collect(new Replicate({ auth: TOKEN, fetch: json }).stream('acme/echo', { input: { prompt: 'x' } })),
    );
    expect(http).toMatchObject({ name: 'StreamError', reason: 'http' });
    expectClean(http);

    const dropping = setup({ faults: [{ route: 'stream', type: 'truncate', afterEvents: 0 }] });
    const dropped = await failure(() =>
      collect(dropping.replicate.stream('acme/echo', { input: { prompt: 'a b c d e f g' } })),
    );
    expect(dropped).toBeInstanceOf(StreamError);
    expectClean(dropped);

    const still = await failure(() => collect(replicate.stream('acme/still', { input: {} })));
    expect(still).toMatchObject({ name: 'StreamError', reason: 'not-supported' });
    expectClean(still);
  });

  it('InvalidRequestError refused before sending (bad model reference, webhook, options)', async () => {
    const { replicate } = setup();
    for (const call of [
      () => replicate.run(`acme/${TOKEN}:not-a-version`, { input: {} }),
      () => replicate.run('acme/echo', { input: {}, webhook: `http://${TOKEN}.example.com/hook` }),
      () => replicate.run('acme/echo', { input: {}, cancelAfter: TOKEN }),
    ]) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(InvalidRequestError);
      // These name what the caller passed; the caller passed the token itself on purpose here. What matters
      // is that the configured token is never added to them.
      expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(`Bearer ${TOKEN}`);
    }
  });

  it('WebhookVerificationError never echoes a secret, even an API token pasted as one', async () => {
    const body = JSON.stringify({ id: 'p', status: 'succeeded', logs: TOKEN });
    const secret = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
    const headers = await signWebhook({ body, secret, timestamp: Math.floor(NOW / 1000) });
    for (const secrets of [TOKEN, [secret, TOKEN], `whsec_${TOKEN}`]) {
      const error = await verifyWebhook({ body, headers }, { secret: secrets, now: NOW }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ name: 'WebhookVerificationError', reason: 'invalid-secret' });
      expectClean(error);
    }
    const wrong = await verifyWebhook({ body: `${body} `, headers }, { secret, now: NOW }).catch(
      (caught: unknown) => caught,
    );
    expect(wrong).toBeInstanceOf(WebhookVerificationError);
    expectClean(wrong);
  });

  it('chat completions and the OpenAI handler: upstream errors that echo the token', async () => {
    const { replicate } = setup({ faults: [{ route: 'create', type: 'server-error', status: 401 }] });
    const params = { model: 'acme/echo', messages: [{ role: 'user' as const, content: 'hi' }] };
    const chat = await failure(() => replicate.chat.completions.create(params));
    expectClean(chat);
    const handler = createOpenAIHandler(replicate);
    const response = await drive(() =>
      handler(
        new Request('https://gw.example/v1/chat/completions', {
          method: 'POST',
          body: JSON.stringify(params),
        }),
      ),
    );
    const text = await response.value!.text();
    expect(response.value!.status).toBe(401);
    expect(text).not.toContain(TOKEN);
    expect([...response.value!.headers].join('\n')).not.toContain(TOKEN);
  });
});
