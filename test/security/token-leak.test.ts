import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/core';
import {
  AuthenticationError,
  ConnectionError,
  FileOutput,
  InvalidRequestError,
  NotFoundError,
  RateLimitError,
  Replicate,
  ResponseValidationError,
  ServerError,
} from '../../src/index';
import { streamEvents } from '../../src/lifecycle/stream';
import { BASE, calls, json, networkError, route } from '../helpers/server';

const TOKEN = 'r8_Sup3rSecretTokenValue0123456789abcdef';
const client = (options: { fetch?: typeof fetch } = {}) =>
  new Replicate({ auth: TOKEN, baseUrl: BASE, maxRetries: 0, ...options });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the call should have failed'),
    (error: unknown) => error as Error,
  );
const problem = (status: number, body: unknown, type = 'application/problem+json') =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': type },
  });

/** Every way an error is commonly shown or shipped: none may contain the token. */
function expectNoToken(error: Error): void {
  expect(error.message).not.toContain(TOKEN);
  expect(String(error)).not.toContain(TOKEN);
  expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
  expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(TOKEN);
  expect(JSON.stringify(error)).not.toContain(TOKEN);
  expect(error.stack ?? '').not.toContain(TOKEN);
}

describe('errors never carry the token, even when a server echoes it back', () => {
  const bearer = `Bearer ${TOKEN}`;
  it.each([
    [
      '401 echoing it in title and detail',
      401,
      AuthenticationError,
      { title: bearer, detail: `Bad token ${TOKEN}` },
    ],
    [
      '422 echoing it in invalid_fields',
      422,
      InvalidRequestError,
      { detail: 'Invalid input', invalid_fields: [{ type: 'x', field: TOKEN, description: `got ${TOKEN}` }] },
    ],
    [
      '429 echoing the request headers',
      429,
      RateLimitError,
      { detail: 'slow', request: { authorization: bearer } },
    ],
    ['500 as plain text', 500, ServerError, `upstream said: authorization=${bearer}`],
    ['404 as HTML with a JSON type', 404, NotFoundError, `<html><body><pre>${bearer}</pre></body></html>`],
  ])('%s', async (_, status, Class, body) => {
    const type = typeof body === 'string' && status === 500 ? 'text/plain' : 'application/json';
    route('GET', '/predictions/abc', problem(status, body, type));
    const error = await failure(client().predictions.get('abc'));
    expect(error).toBeInstanceOf(Class);
    expectNoToken(error);
    // The redaction keeps a recognisable fingerprint, not nothing.
    expect(inspect(error, { depth: 10 })).toContain('r8_…cdef');
    expect(calls[0]!.headers.get('authorization')).toBe(bearer);
  });

  it('a 200 body that echoes the request (a base URL pointing at an echo service)', async () => {
    route('GET', '/predictions/abc', json({ headers: { Authorization: `Bearer ${TOKEN}` } }));
    const error = await failure(client().predictions.get('abc'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expectNoToken(error);
    expect((error as ResponseValidationError).value).toEqual({
      headers: { Authorization: 'Bearer r8_…cdef' },
    });
  });

  it('a network failure, and a custom fetch whose error names the header', async () => {
    route('GET', '/predictions/abc', networkError());
    expectNoToken(await failure(client().predictions.get('abc')));
    const seen: string[] = [];
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      const authorization = new Headers(init?.headers).get('authorization') ?? '';
      seen.push(authorization);
      const cause = new Error(`proxy refused ${authorization}`);
      throw new TypeError('fetch failed', { cause });
    };
    const error = await failure(client({ fetch: fetch as typeof globalThis.fetch }).predictions.get('abc'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(seen[0]).toMatch(/^Bearer r8_/);
    expectNoToken(error);
  });

  it('a stream URL that answers 401 with the token', async () => {
    const url = 'https://stream.replicate.com/v1/streams/abc';
    route('GET', url, problem(401, { detail: `token ${TOKEN} expired` }));
    const stream = streamEvents(new HttpClient({ auth: TOKEN }), {
      id: 'p',
      status: 'processing',
      urls: { stream: url },
    });
    const error = await failure(stream.next());
    expect(error).toBeInstanceOf(AuthenticationError);
    expectNoToken(error);
  });
});

describe('the client and what it hands out never show the token', () => {
  it.each([
    ['a string token', TOKEN],
    ['an auth function', () => TOKEN],
  ])('with %s', async (_, auth) => {
    route('GET', '/predictions', json({ next: null, previous: null, results: [] }));
    const replicate = new Replicate({ auth, baseUrl: BASE });
    const http = new HttpClient({ auth, baseUrl: BASE });
    const paginator = replicate.predictions.list();
    await paginator.toArray();
    const file = new FileOutput('https://replicate.delivery/pbxt/out.png', http);
    for (const value of [
      replicate,
      replicate.predictions,
      replicate.models.versions,
      http,
      paginator,
      file,
    ]) {
      expect(inspect(value, { depth: 10, showHidden: true })).not.toContain(TOKEN);
      expect(JSON.stringify(value) ?? '').not.toContain(TOKEN);
      expect(String(value)).not.toContain(TOKEN);
    }
  });
});

describe('the Authorization header stays on Replicate hosts', () => {
  const http = () => new HttpClient({ auth: TOKEN, baseUrl: BASE });
  const png = () =>
    new Response(new Uint8Array([137, 80, 78, 71]), { headers: { 'content-type': 'image/png' } });

  it('a FileOutput on a foreign host downloads without it; one on replicate.delivery with it', async () => {
    route('GET', 'https://cdn.example.com/out.png', png());
    route('GET', 'https://replicate.delivery/pbxt/out.png', png());
    expect((await new FileOutput('https://cdn.example.com/out.png', http()).blob()).size).toBe(4);
    expect(
      (await new FileOutput('https://replicate.delivery/pbxt/out.png', http()).arrayBuffer()).byteLength,
    ).toBe(4);
    expect(calls.map((call) => [call.url.host, call.headers.get('authorization')])).toEqual([
      ['cdn.example.com', null],
      ['replicate.delivery', `Bearer ${TOKEN}`],
    ]);
  });

  it('a file stream chunk pointing at a foreign host becomes a FileOutput that gets no token', async () => {
    const url = 'https://stream.replicate.com/v1/files/abcd';
    const sse =
      'event: output\nid: 1\ndata: https://cdn.example.com/out.png\n\nevent: done\nid: 2\ndata: {}\n\n';
    route('GET', url, new Response(sse, { headers: { 'content-type': 'text/event-stream' } }));
    route('GET', 'https://cdn.example.com/out.png', png());
    const events = [];
    for await (const event of streamEvents(http(), {
      id: 'p',
      status: 'processing',
      urls: { stream: url },
    })) {
      events.push(event);
    }
    const file = events[0]?.type === 'output' ? events[0].file : undefined;
    expect(file).toBeInstanceOf(FileOutput);
    await (await file!.stream()).cancel();
    expect(calls.map((call) => [call.url.host, call.headers.get('authorization')])).toEqual([
      ['stream.replicate.com', `Bearer ${TOKEN}`],
      ['cdn.example.com', null],
    ]);
  });

  it('a Replicate file URL that redirects to a foreign host does not carry it across', async () => {
    const redirect = new Response(null, {
      status: 302,
      headers: { location: 'https://cdn.example.com/out.png' },
    });
    route('GET', 'https://replicate.delivery/pbxt/moved.png', redirect);
    route('GET', 'https://cdn.example.com/out.png', png());
    expect((await new FileOutput('https://replicate.delivery/pbxt/moved.png', http()).blob()).size).toBe(4);
    expect(calls.map((call) => [call.url.host, call.headers.get('authorization')])).toEqual([
      ['replicate.delivery', `Bearer ${TOKEN}`],
      ['cdn.example.com', null],
    ]);
  });
});
