import { FileOutput, Replicate } from 'replikit';
import { textModel } from 'replikit/testing';
import { describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/core';
import { streamEvents } from '../../src/lifecycle/stream';
import { collect, drive } from '../faults/helpers';
import { useFakeClock } from '../helpers/clock';
import { NOW, setup, TOKEN } from './secrets-helpers';

useFakeClock(NOW);

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
