import { inspect } from 'node:util';
import { Replicate, type ReplicateOptions } from 'replikit';
import { createFakeReplicate, type FakeReplicateOptions, failingModel, textModel } from 'replikit/testing';
import { expect } from 'vitest';
import { drive } from '../faults/helpers';

/**
 * What the secrets suites share: the tokens they watch for, the renderings they search, a proxy that echoes
 * the Authorization header into every error, and a fake with a model whose error and logs hold the token.
 */

export const TOKEN = 'r8_LeakCanary0123456789abcdefghijklmnopq';
export const OTHER = 'r8_SecondKeyZyxwvutsrqponmlkjihgfedcba98';
export const NOW = new Date('2025-06-01T00:00:00Z').getTime();

/** Every way a value is commonly shown or shipped. */
export function renderings(value: unknown): string[] {
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

export function expectClean(value: unknown, ...tokens: string[]): void {
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
export function echoing(inner: typeof fetch): typeof fetch {
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

export function setup(options: FakeReplicateOptions = {}, client: ReplicateOptions = {}) {
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

export const failure = async (call: () => Promise<unknown>) => {
  const outcome = await drive(call);
  if (!('error' in outcome)) throw new Error('expected the call to fail');
  return outcome.error;
};
