import { inspect } from 'node:util';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  FileOutput,
  InvalidRequestError,
  NotFoundError,
  PaymentRequiredError,
  PredictionCanceledError,
  PredictionFailedError,
  RateLimitError,
  Replicate,
  type ReplicateOptions,
  ResponseValidationError,
  ServerError,
  StreamError,
  TimeoutError,
} from 'replikit';
import { createOpenAIHandler } from 'replikit/openai';
import { createFakeReplicate, type FakeReplicateOptions, failingModel, textModel } from 'replikit/testing';
import { signWebhook, verifyWebhook, WebhookVerificationError } from 'replikit/webhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/output';
import { HttpClient } from '../../src/http/core';
import { streamEvents } from '../../src/lifecycle/stream';
import { collect, drive } from '../faults/helpers';

const TOKEN = 'r8_LeakCanary0123456789abcdefghijklmnopq';
const OTHER = 'r8_SecondKeyZyxwvutsrqponmlkjihgfedcba98';
const NOW = new Date('2025-06-01T00:00:00Z').getTime();

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Every way a value is commonly shown or shipped. */
function renderings(value: unknown): string[] {
  const out = [
    String(value),
    inspect(value, { depth: 20 }),
    inspect(value, { depth: 20, showHidden: true, getters: true }),
    JSON.stringify(value, (_, item) => (typeof item === 'bigint' ? String(item) : item)) ?? '',
  ];
  for (let error = value, depth = 0; error instanceof Error && depth < 10; error = error.cause, depth++) {
    out.push(error.message, error.stack ?? '', String(error));
  }
  return out;
}

function expectClean(value: unknown, ...tokens: string[]): void {
  for (const text of renderings(value)) {
    for (const token of [TOKEN, ...tokens]) {
      const at = text.indexOf(token);
      expect(at < 0 ? '' : text.slice(Math.max(0, at - 200), at + token.length + 20)).toBe('');
    }
  }
}

/**
 * A fetch in front of the fake that behaves like the worst proxy: every error response echoes the request's
 * Authorization header in its title, detail, invalid_fields, an extra field and a response header.
 */
function echoing(inner: typeof fetch): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const authorization = request.headers.get('authorization') ?? '';
    const response = await inner(request);
    if (response.ok || !authorization) return response;
    const token = authorization.replace(/^Bearer\s+/i, '');
    await response.body?.cancel();
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/problem+json');
    headers.set('x-echo-authorization', authorization);
    const body = {
      title: authorization,
      detail: `The token ${token} was rejected`,
      status: response.status,
      invalid_fields: [{ type: 'echo', field: token, description: `got ${token}` }],
      request: { headers: { authorization } },
      [token]: token,
    };
    return new Response(JSON.stringify(body), { status: response.status, headers });
  }) as typeof fetch;
}

function setup(options: FakeReplicateOptions = {}, client: ReplicateOptions = {}) {
  const fake = createFakeReplicate({
    presets: false,
    rateLimit: false,
    models: {
      'acme/echo': textModel({
        respond: (input) => String(input.prompt ?? ''),
        tokenDelay: 0,
        startDelay: 0,
      }),
      'acme/slow': textModel({ respond: 'late', tokenDelay: 0, startDelay: 60_000 }),
      'acme/still': textModel({ respond: 'no stream', tokenDelay: 0, startDelay: 0, streams: false }),
      'acme/leaky': failingModel({
        error: `upstream refused Authorization: Bearer ${TOKEN}`,
        logs: [`env REPLICATE_API_TOKEN=${TOKEN}`],
        after: 0,
        streams: true,
      }),
    },
    ...options,
  });
  const replicate = new Replicate({ auth: TOKEN, fetch: echoing(fake.fetch), maxRetries: 0, ...client });
  return { fake, replicate };
}

const failure = async (call: () => Promise<unknown>) => {
  const outcome = await drive(call);
  if (!('error' in outcome)) throw new Error('expected the call to fail');
  return outcome.error;
};

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

describe('the token stays on Replicate: foreign URLs never receive it', () => {
  /** Records every request that leaves the client, with its Authorization header. */
  function recording(inner: typeof fetch) {
    const seen: Array<{ url: string; authorization: string | null }> = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push({ url: request.url, authorization: request.headers.get('authorization') });
      if (
        new URL(request.url).hostname.endsWith('.example') ||
        new URL(request.url).hostname === 'evil.example.com'
      )
        return new Response('{}', { headers: { 'content-type': 'application/json' } });
      return inner(request);
    }) as typeof globalThis.fetch;
    return { fetch, seen };
  }
  const allowed = (url: string) => {
    const { protocol, hostname, origin } = new URL(url);
    return (
      origin === 'https://api.replicate.com' ||
      (protocol === 'https:' &&
        ['replicate.com', 'replicate.delivery', 'replicate.net'].some(
          (d) => hostname === d || hostname.endsWith(`.${d}`),
        ))
    );
  };

  it('a pagination `next` on a foreign host is requested through the base URL', async () => {
    const { fake } = setup();
    const pages = [
      {
        results: [{ id: 'a', status: 'succeeded' }],
        next: `https://evil.example.com/v1/predictions?cursor=c2`,
        previous: null,
      },
      { results: [{ id: 'b', status: 'succeeded' }], next: null, previous: null },
    ];
    let page = 0;
    const lists = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname === '/v1/predictions' && request.method === 'GET')
        return new Response(JSON.stringify(pages[page++]), {
          headers: { 'content-type': 'application/json' },
        });
      return fake.fetch(request);
    }) as typeof fetch;
    const { fetch, seen } = recording(lists);
    const ids = (await new Replicate({ auth: TOKEN, fetch }).predictions.list().toArray()).map((p) => p.id);
    expect(ids).toEqual(['a', 'b']);
    expect(seen.map((s) => new URL(s.url).host)).toEqual(['api.replicate.com', 'api.replicate.com']);
    expect(new URL(seen[1]!.url).searchParams.get('cursor')).toBe('c2');
  });

  it('stream URLs and file outputs on look-alike and foreign hosts get no token', async () => {
    const hosts = [
      'https://evil.example.com/v1/streams/x',
      'https://replicate.com.evil.example/v1/streams/x',
      'https://evilreplicate.com/x',
      'https://replicate.delivery.evil.example/x.png',
      'http://replicate.delivery/x.png',
      'http://api.replicate.com/v1/streams/x',
      'https://api.replicate.com@evil.example/x',
      'https://xn--replicate-9ya.com/x',
      'https://stream.replicate.com/v1/streams/x',
      'https://replicate.delivery/pbxt/x.png',
      'https://API.REPLICATE.COM/v1/x',
    ];
    const { fake } = setup();
    const { fetch, seen } = recording(fake.fetch);
    const http = new HttpClient({ auth: TOKEN, fetch, maxRetries: 0 });
    const prediction = (url: string) => ({ id: 'p', status: 'processing' as const, urls: { stream: url } });
    for (const url of hosts) {
      await drive(() => collect(streamEvents(http, prediction(url), { maxReconnects: 0 })).catch(() => {}));
      await drive(() => new FileOutput(url, http).blob().catch(() => {}));
    }
    const leaks = seen.filter((s) => s.authorization !== null && !allowed(s.url));
    expect(leaks).toEqual([]);
    // …and the genuine hosts did get it, so the check can fail.
    expect(seen.filter((s) => s.authorization !== null).map((s) => new URL(s.url).host)).toContain(
      'stream.replicate.com',
    );
  });

  it('a run whose outputs live on a foreign host hands them back as plain URLs; only Replicate files are fetched with it', async () => {
    const { fake } = setup({
      models: {
        'acme/painter': textModel({
          respond: ['https://cdn.example/out-0.png', 'https://replicate.delivery/pbxt/out-1.png'],
          tokenDelay: 0,
          startDelay: 0,
        }),
      },
    });
    const { fetch, seen } = recording(fake.fetch);
    const outputs = (
      await drive(() => new Replicate({ auth: TOKEN, fetch }).run<unknown[]>('acme/painter', { input: {} }))
    ).value!;
    expect(outputs[0]).toBe('https://cdn.example/out-0.png');
    await drive(() => (outputs[1] as { blob(): Promise<Blob> }).blob().catch(() => undefined));
    expect(seen.filter((s) => s.authorization !== null && !allowed(s.url))).toEqual([]);
    expect(
      seen.some(
        (s) => new URL(s.url).hostname === 'replicate.delivery' && s.authorization === `Bearer ${TOKEN}`,
      ),
    ).toBe(true);
  });
});

describe('CLI output never shows the token', () => {
  function io(env: Record<string, string>): Io & { out: string; err: string } {
    const result = {
      out: '',
      err: '',
      stdout: { write: (text: string) => (result.out += text), isTTY: false },
      stderr: { write: (text: string) => (result.err += text), isTTY: false },
      stdin: (async function* () {})(),
      env,
    };
    return result;
  }

  const COMMANDS: Array<[string, string[], FakeReplicateOptions['faults']]> = [
    [
      'run: a 401 echoing the token',
      ['run', 'acme/echo', '-i', 'prompt=hi'],
      [{ route: 'create', type: 'server-error', status: 401 }],
    ],
    [
      'run: a 422 echoing it',
      ['run', 'acme/echo', '-i', 'prompt=hi'],
      [{ route: 'create', type: 'server-error', status: 422 }],
    ],
    [
      'run: a 500 echoing it',
      ['run', 'acme/echo', '-i', 'prompt=hi', '--json'],
      [{ route: 'create', type: 'server-error', status: 500 }],
    ],
    ['run: a failed prediction whose error echoes it', ['run', 'acme/leaky'], []],
    ['run --stream: an error event echoing it', ['run', 'acme/leaky', '--stream'], []],
    [
      'run --stream --json',
      ['run', 'acme/echo', '-i', 'prompt=hi', '--stream', '--json'],
      [{ route: 'stream', type: 'server-error', status: 403 }],
    ],
    [
      'chat: a 402 echoing it',
      ['chat', 'acme/echo', 'hello'],
      [{ route: 'create', type: 'server-error', status: 402 }],
    ],
    [
      'predictions list: a 429 echoing it',
      ['predictions', 'list'],
      [{ route: 'predictions.list', type: 'server-error', status: 429 }],
    ],
    [
      'predictions get: a 404 echoing it',
      ['predictions', 'get', 'abc', '--json'],
      [{ route: 'predictions.get', type: 'server-error', status: 404 }],
    ],
    [
      'predictions cancel: a reset',
      ['predictions', 'cancel', 'abc'],
      [{ route: 'predictions.cancel', type: 'reset' }],
    ],
    [
      'cost <id>: a 503 echoing it',
      ['cost', 'abc'],
      [{ route: 'predictions.get', type: 'server-error', status: 503 }],
    ],
    ['run: success, --json', ['run', 'acme/echo', '-i', 'prompt=hi', '--json'], []],
  ];

  it.each(COMMANDS)('%s', async (_, argv, faults) => {
    // The token reaches the CLI the way it does in real life: REPLICATE_API_TOKEN in the environment.
    const streams = io({ REPLICATE_API_TOKEN: TOKEN });
    const factory = async (_fake: boolean, env: Io['env']) =>
      setup({ faults }, { auth: env.REPLICATE_API_TOKEN, maxRetries: 0 }).replicate;
    const code = (await drive(() => main(argv, streams, new AbortController().signal, factory))).value;
    expect(code).toBeDefined();
    expect(streams.out + streams.err).not.toContain(TOKEN);
    expect(streams.out + streams.err).not.toContain(TOKEN.slice(3, -5));
  });
});

describe('hooks and key pools show fingerprints, never keys', () => {
  it('onRequest, onResponse, onError and onUsage payloads, with a pool of two keys', async () => {
    const payloads: unknown[] = [];
    const keep = (event: unknown) => {
      payloads.push(event);
    };
    const hooks = { onRequest: keep, onResponse: keep, onError: keep, onUsage: keep };
    const { replicate } = setup(
      { faults: [{ route: 'predictions.get', type: 'server-error', status: 401, times: 1 }] },
      { auth: [TOKEN, OTHER], ...hooks } as ReplicateOptions,
    );
    await drive(() => replicate.run('acme/echo', { input: { prompt: 'a b' } }));
    await drive(() => collect(replicate.stream('acme/echo', { input: { prompt: 'c d' } })));
    await drive(() => replicate.predictions.get('missing').catch(() => undefined));
    expect(payloads.length).toBeGreaterThan(6);
    for (const payload of payloads) expectClean(payload, OTHER);
  });

  it('hook payloads of a prediction whose error echoes the key it was sent with', async () => {
    const payloads: unknown[] = [];
    const keep = (event: unknown) => {
      payloads.push(event);
    };
    const hooks = { onRequest: keep, onResponse: keep, onError: keep, onUsage: keep };
    const { replicate } = setup({}, hooks as ReplicateOptions);
    await drive(() => replicate.run('acme/leaky', { input: {} }).catch(() => undefined));
    await drive(() => collect(replicate.stream('acme/leaky', { input: {} })).catch(() => undefined));
    expect(payloads.length).toBeGreaterThan(4);
    for (const payload of payloads) expectClean(payload);
  });

  it('a pool whose keys are all refused fails with a clear error that names no key', async () => {
    const fake = createFakeReplicate({
      presets: false,
      rateLimit: false,
      auth: 'r8_the_only_valid_key_000000000000',
    });
    const replicate = new Replicate({
      auth: [TOKEN, OTHER],
      fetch: echoing(fake.fetch),
      maxRetries: 0,
    } as ReplicateOptions);
    const error = await failure(() => replicate.account.get());
    expect(error).toBeInstanceOf(AuthenticationError);
    expectClean(error, OTHER);
  });
});
