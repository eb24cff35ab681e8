import { describe, expect, it, vi } from 'vitest';
import { type Page, Paginator, Replicate } from '../src/index';
import { prediction } from './helpers/fixtures';
import { BASE, calls, json, route } from './helpers/server';

const TOKEN = 'r8_paginator_token_0000';
const client = (baseUrl = BASE) => new Replicate({ auth: TOKEN, baseUrl });
const item = (id: string) => prediction({ id });
const page = (ids: string[], next: string | null | undefined) =>
  json({ next, previous: null, results: ids.map(item) });

/** Three pages of two predictions each, linked by cursors c2 and c3. */
function threePages() {
  route(
    'GET',
    '/predictions',
    page(['p1', 'p2'], `${BASE}/predictions?cursor=c2`),
    page(['p3', 'p4'], `${BASE}/predictions?cursor=c3`),
    page(['p5', 'p6'], null),
  );
}

describe('Paginator over predictions.list', () => {
  it('yields every item of every page with for await', async () => {
    threePages();
    const ids: string[] = [];
    for await (const p of client().predictions.list()) ids.push(p.id);
    expect(ids).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    expect(calls).toHaveLength(3);
    expect(calls.map((call) => call.url.searchParams.get('cursor'))).toEqual([null, 'c2', 'c3']);
    expect(calls.every((call) => call.headers.get('authorization') === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('yields page by page with .pages()', async () => {
    threePages();
    const pages: Page<{ id: string }>[] = [];
    for await (const each of client().predictions.list().pages()) pages.push(each);
    expect(pages.map((each) => each.results.map((p) => p.id))).toEqual([
      ['p1', 'p2'],
      ['p3', 'p4'],
      ['p5', 'p6'],
    ]);
    expect(pages.map((each) => each.next)).toEqual([
      `${BASE}/predictions?cursor=c2`,
      `${BASE}/predictions?cursor=c3`,
      null,
    ]);
  });

  it.each([
    [1, 1, ['p1']],
    [2, 1, ['p1', 'p2']],
    [3, 2, ['p1', 'p2', 'p3']],
    [6, 3, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']],
    [100, 3, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']],
  ])('toArray(%i) fetches %i page(s) and no more', async (limit, fetched, ids) => {
    threePages();
    const items = await client().predictions.list().toArray(limit);
    expect(items.map((p) => p.id)).toEqual(ids);
    expect(calls).toHaveLength(fetched);
  });

  it('toArray(0) fetches nothing; toArray() fetches everything', async () => {
    threePages();
    expect(await client().predictions.list().toArray(0)).toEqual([]);
    expect(calls).toHaveLength(0);
    expect(await client().predictions.list().toArray()).toHaveLength(6);
    expect(calls).toHaveLength(3);
  });

  it('stops fetching when the consumer breaks out of for await', async () => {
    threePages();
    for await (const p of client().predictions.list()) {
      if (p.id === 'p3') break;
    }
    expect(calls).toHaveLength(2);
  });

  it('takes only the cursor from a next URL on another host and asks the API for it', async () => {
    const evil = vi.fn();
    route('GET', 'https://evil.example/*', () => {
      evil();
      return json({ next: null, previous: null, results: [item('stolen')] });
    });
    route(
      'GET',
      '/predictions',
      page(['p1'], 'https://evil.example/v1/predictions?cursor=abc'),
      page(['p2'], null),
    );
    const ids = (await client().predictions.list().toArray()).map((p) => p.id);
    expect(ids).toEqual(['p1', 'p2']);
    expect(evil).not.toHaveBeenCalled();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.url.href).toBe(`${BASE}/predictions?cursor=abc`);
    expect(calls.every((call) => call.url.hostname === 'api.replicate.com')).toBe(true);
  });

  it('follows the cursor through a proxy base URL although next names api.replicate.com', async () => {
    const proxy = 'http://127.0.0.1:8787/proxy/v1';
    route(
      'GET',
      `${proxy}/predictions`,
      page(['p1'], 'https://api.replicate.com/v1/predictions?cursor=xyz'),
      page(['p2'], null),
    );
    const ids = (await client(proxy).predictions.list().toArray()).map((p) => p.id);
    expect(ids).toEqual(['p1', 'p2']);
    expect(calls.map((call) => call.url.href)).toEqual([
      `${proxy}/predictions`,
      `${proxy}/predictions?cursor=xyz`,
    ]);
  });

  it.each([
    ['null', null],
    ['the string "null"', 'null'],
    ['a missing next', undefined],
    ['an empty string', ''],
    ['a next URL without a query', `${BASE}/predictions`],
  ])('stops after one page on %s', async (_, next) => {
    route('GET', '/predictions', page(['p1'], next), page(['never'], null));
    const ids = (await client().predictions.list().toArray()).map((p) => p.id);
    expect(ids).toEqual(['p1']);
    expect(calls).toHaveLength(1);
  });

  it('keeps filters such as created_after through the next URL query', async () => {
    const since = '2025-01-01T00:00:00.000Z';
    route(
      'GET',
      '/predictions',
      page(['p1'], `${BASE}/predictions?created_after=${encodeURIComponent(since)}&cursor=c2`),
      page(['p2'], null),
    );
    await client()
      .predictions.list({ createdAfter: new Date(since), source: 'web' })
      .toArray();
    expect(calls).toHaveLength(2);
    expect(calls[0]!.url.searchParams.get('created_after')).toBe(since);
    expect(calls[0]!.url.searchParams.get('source')).toBe('web');
    expect(calls[1]!.url.searchParams.get('created_after')).toBe(since);
    expect(calls[1]!.url.searchParams.get('cursor')).toBe('c2');
  });

  it('keeps the first request filters when the next URL carries only the cursor', async () => {
    const since = '2025-01-01T00:00:00.000Z';
    route('GET', '/predictions', page(['p1'], `${BASE}/predictions?cursor=c2`), page(['p2'], null));
    await client()
      .predictions.list({ createdAfter: new Date(since) })
      .toArray();
    expect(calls[1]!.url.searchParams.get('created_after')).toBe(since);
    expect(calls[1]!.url.searchParams.get('cursor')).toBe('c2');
  });

  it('propagates a failing page after yielding the pages before it', async () => {
    route(
      'GET',
      '/predictions',
      page(['p1'], `${BASE}/predictions?cursor=c2`),
      json({ detail: 'not found' }, { status: 404 }),
    );
    const seen: string[] = [];
    const error = await (async () => {
      for await (const p of client().predictions.list()) seen.push(p.id);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['p1']);
    expect((error as Error).name).toBe('NotFoundError');
  });
});

describe('Paginator with a plain fetcher', () => {
  it('passes the initial query, then the next query, to the fetcher', async () => {
    const fetcher = vi.fn(async (query: Record<string, unknown>) =>
      query.cursor === undefined
        ? { next: 'https://api.replicate.com/v1/things?limit=2&cursor=b', results: [1, 2] }
        : { next: null, results: [3] },
    );
    const all = await new Paginator<number>(fetcher, { limit: 2 }).toArray();
    expect(all).toEqual([1, 2, 3]);
    expect(fetcher.mock.calls.map(([query]) => query)).toEqual([{ limit: 2 }, { limit: '2', cursor: 'b' }]);
  });

  it('can be iterated twice, each time from the first page', async () => {
    const fetcher = vi.fn(async () => ({ next: null, results: ['a'] }));
    const list = new Paginator<string>(fetcher);
    expect(await list.toArray()).toEqual(['a']);
    expect(await list.toArray()).toEqual(['a']);
    expect(fetcher).toHaveBeenCalledTimes(2);
  });
});
