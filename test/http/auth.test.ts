import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { fingerprint, redact, resolveToken } from '../../src/http/auth';
import { HttpClient } from '../../src/http/core';
import { AuthenticationError, Replicate } from '../../src/index';
import { prediction } from '../helpers/fixtures';
import { BASE, calls, json, problem, route } from '../helpers/server';

const TOKEN = 'r8_abcdefghijklmnopqrstuvwxyz0123456789';
// Not port 9: fetch refuses it ("bad port" list), before msw ever sees the request.
const PROXY = 'http://127.0.0.1:8787/proxy/v1';
const ok = () => json(prediction({ id: 'abc' }));

describe('auth option', () => {
  it('calls an auth function on every request and sends what it returns', async () => {
    const tokens = ['r8_first_token_1111', 'r8_second_token_2222'];
    const auth = vi.fn(() => tokens.shift());
    route('GET', '/predictions/abc', ok());
    const replicate = new Replicate({ auth, baseUrl: BASE });
    expect(auth).not.toHaveBeenCalled();
    await replicate.predictions.get('abc');
    await replicate.predictions.get('abc');
    expect(auth).toHaveBeenCalledTimes(2);
    expect(calls.map((call) => call.headers.get('authorization'))).toEqual([
      'Bearer r8_first_token_1111',
      'Bearer r8_second_token_2222',
    ]);
  });

  it('prefers an explicit token over REPLICATE_API_TOKEN', async () => {
    vi.stubEnv('REPLICATE_API_TOKEN', 'r8_from_env');
    route('GET', '/predictions/abc', ok());
    await new Replicate({ auth: TOKEN, baseUrl: BASE }).predictions.get('abc');
    expect(calls[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it.each([
    ['no auth and an empty REPLICATE_API_TOKEN', undefined],
    ['an empty string', ''],
    ['a function returning undefined', () => undefined],
    ['a function returning an empty string', () => ''],
  ])('throws AuthenticationError before any request with %s', async (_, auth) => {
    vi.stubEnv('REPLICATE_API_TOKEN', '');
    route('GET', '/predictions/abc', ok());
    const error = await new Replicate({ auth, baseUrl: BASE }).predictions
      .get('abc')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toContain('REPLICATE_API_TOKEN');
    expect((error as AuthenticationError).status).toBeUndefined();
    expect(calls).toHaveLength(0);
  });

  it('resolveToken reads the environment only when no auth is given', () => {
    vi.stubEnv('REPLICATE_API_TOKEN', 'r8_env');
    expect(resolveToken(undefined)).toBe('r8_env');
    expect(resolveToken('r8_given')).toBe('r8_given');
    expect(resolveToken(() => 'r8_fn')).toBe('r8_fn');
  });
});

describe('where the token goes', () => {
  const send = (url: string, auth: string | (() => string) = TOKEN) =>
    new HttpClient({ auth, baseUrl: BASE }).send({ method: 'GET', path: '', url });

  it('sends the token to the configured API origin', async () => {
    route('GET', `${BASE}/files/x`, new Response('ok'));
    await send(`${BASE}/files/x`);
    expect(calls[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it.each(['https://replicate.delivery/pbxt/out.png', 'https://stream.replicate.com/v1/files/abc'])(
    "sends the token to Replicate's own https host %s",
    async (url) => {
      route('GET', url, new Response('ok'));
      await send(url);
      expect(calls[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    },
  );

  it.each([
    'https://evil.example/v1/predictions',
    'https://replicate.delivery.evil.example/out.png',
    'https://evilreplicate.com/out.png',
    'http://replicate.delivery/pbxt/out.png',
    'http://api.replicate.com/v1/predictions',
  ])('never sends the token to %s', async (url) => {
    route('GET', url, new Response('ok'));
    const auth = vi.fn(() => TOKEN);
    await send(url, auth);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.get('authorization')).toBeNull();
    // The token is not even resolved for a foreign host.
    expect(auth).not.toHaveBeenCalled();
  });

  it('fetches a foreign URL without any token configured', async () => {
    vi.stubEnv('REPLICATE_API_TOKEN', '');
    route('GET', 'https://cdn.example/out.png', new Response('png'));
    const response = await new HttpClient({ baseUrl: BASE }).send({
      method: 'GET',
      path: '',
      url: 'https://cdn.example/out.png',
    });
    expect(await response.text()).toBe('png');
  });
});

describe('custom baseUrl', () => {
  it('sends requests and the token to a base URL with a path, trailing slash trimmed', async () => {
    route('GET', `${PROXY}/predictions/abc`, ok());
    const replicate = new Replicate({ auth: TOKEN, baseUrl: `${PROXY}/` });
    expect(replicate.baseUrl).toBe(PROXY);
    const result = await replicate.predictions.get('abc');
    expect(result.id).toBe('abc');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url.href).toBe(`${PROXY}/predictions/abc`);
    expect(calls[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('posts a create to the proxy path', async () => {
    route('POST', `${PROXY}/models/acme/hello/predictions`, json(prediction(), { status: 201 }));
    await new Replicate({ auth: TOKEN, baseUrl: PROXY }).predictions.create({
      model: 'acme/hello',
      input: {},
    });
    expect(calls[0]!.url.pathname).toBe('/proxy/v1/models/acme/hello/predictions');
  });

  it('does not send the proxy token to another host on the same machine', async () => {
    route('GET', 'http://127.0.0.1:8788/proxy/v1/x', new Response('ok'));
    await new HttpClient({ auth: TOKEN, baseUrl: PROXY }).send({
      method: 'GET',
      path: '',
      url: 'http://127.0.0.1:8788/proxy/v1/x',
    });
    expect(calls[0]!.headers.get('authorization')).toBeNull();
  });
});

describe('fingerprint and redact', () => {
  it('keeps the prefix and the last four characters of a token', () => {
    expect(fingerprint(TOKEN)).toBe('r8_…6789');
    expect(fingerprint(TOKEN)).not.toContain('abcdef');
  });

  it('reveals nothing of a short token', () => {
    expect(fingerprint('12345678')).toBe('…');
    expect(fingerprint('')).toBe('…');
  });

  it('replaces every occurrence of the token', () => {
    expect(redact(`a ${TOKEN} b ${TOKEN}`, TOKEN)).toBe('a r8_…6789 b r8_…6789');
  });

  it('leaves text without the token, or without a token, unchanged', () => {
    expect(redact('nothing here', TOKEN)).toBe('nothing here');
    expect(redact('nothing here', undefined)).toBe('nothing here');
    expect(redact('nothing here', '')).toBe('nothing here');
  });

  it('redacts a token the API echoes back in an error body', async () => {
    route(
      'GET',
      '/predictions/abc',
      problem(401, { title: 'Unauthenticated', detail: `Bad token ${TOKEN}` }),
    );
    const error = await new Replicate({ auth: TOKEN, baseUrl: BASE }).predictions
      .get('abc')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).detail).toBe('Bad token r8_…6789');
    expect((error as AuthenticationError).status).toBe(401);
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it('keeps the token out of the inspected client', () => {
    const replicate = new Replicate({ auth: TOKEN, baseUrl: BASE });
    expect(inspect(replicate, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(replicate)).not.toContain(TOKEN);
  });
});
