import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Replicate, TimeoutError } from '../../src/index';
import { fixture, prediction } from '../helpers/fixtures';
import { BASE, calls, json, networkError, problem, route } from '../helpers/server';
import { collect, delayed, settle, sseBody, sseResponse } from '../helpers/sse';

const NOW = new Date('2025-01-01T00:00:00Z').getTime();
const ID = 'ufawqhfynnddngldkgtslldrkq';
const STREAM = 'https://stream-b.svc.rno2.c.replicate.net/v1/streams/abc';
const CREATE = '/models/acme/hello/predictions';
const replicate = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const created = (overrides: Record<string, unknown> = {}) =>
  json(prediction({ status: 'starting', ...overrides }), { status: 201 });
const got = (status: string) => json(prediction({ status }));
const streaming = {
  urls: { get: `${BASE}/predictions/${ID}`, cancel: `${BASE}/predictions/${ID}/cancel`, stream: STREAM },
};
const cancels = () => calls.filter((c) => c.url.pathname === `/v1/predictions/${ID}/cancel`);
const summary = () => calls.map((c) => `${c.method} ${c.url.pathname} @${c.time - NOW}`);

/** A controller that aborts with `reason` after `ms` of fake time. */
function abortAfter(ms: number, reason: unknown = new Error('user gave up')) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), ms);
  return { signal: controller.signal, reason };
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  route('POST', `/predictions/${ID}/cancel`, got('canceled'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('run: abort at each stage', () => {
  it('creates nothing and uploads nothing with a pre-aborted signal, rejecting with its reason', async () => {
    route('POST', '/files', json(fixture('api/file-create.json'), { status: 201 }));
    route('POST', CREATE, created());
    const controller = new AbortController();
    const reason = new Error('already aborted');
    controller.abort(reason);
    const outcome = await settle(() =>
      replicate().run('acme/hello', { input: { image: new Blob(['png']) }, signal: controller.signal }),
    );
    expect(outcome.error).toBe(reason);
    expect(calls).toHaveLength(0);
  });

  it('rejects with a DOMException AbortError for a plain abort()', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await replicate()
      .run('acme/hello', { input: {}, signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(error).toBe(controller.signal.reason);
  });

  it('stops during an upload and never creates the prediction', async () => {
    route(
      'POST',
      '/files',
      delayed(5000, () => json(fixture('api/file-create.json'), { status: 201 })),
    );
    route('POST', CREATE, created());
    const { signal, reason } = abortAfter(1000);
    const outcome = await settle(() =>
      replicate().run('acme/hello', { input: { image: new Blob(['png']) }, signal }),
    );
    expect(outcome.error).toBe(reason);
    expect(outcome.at! - NOW).toBe(1000);
    expect(calls.map((c) => c.url.pathname)).toEqual(['/v1/files']);
  });

  it('rejects at once during the create and cancels the prediction when its id arrives', async () => {
    route(
      'POST',
      CREATE,
      delayed(5000, () => created()),
    );
    const { signal, reason } = abortAfter(1000);
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, signal }));
    expect(outcome.error).toBe(reason);
    expect(outcome.at! - NOW).toBe(1000);
    expect(cancels()).toHaveLength(1);
    expect(cancels()[0]!.time - NOW).toBeGreaterThanOrEqual(5000);
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(0);
  });

  it('does not cancel a prediction that was already finished when the create answered', async () => {
    route(
      'POST',
      CREATE,
      delayed(5000, () => created({ status: 'succeeded' })),
    );
    const { signal, reason } = abortAfter(1000);
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, signal }));
    expect(outcome.error).toBe(reason);
    expect(cancels()).toHaveLength(0);
  });

  it('cancels while polling and stops polling', async () => {
    route('POST', CREATE, created());
    route('GET', `/predictions/${ID}`, got('processing'));
    const { signal, reason } = abortAfter(2000);
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, signal }));
    expect(outcome.error).toBe(reason);
    expect(outcome.at! - NOW - 2000).toBeLessThan(5); // as soon as the cancel is answered
    // Polls at 500 and 1250 (msw sees each 1 ms later); abort at 2000 during the wait for the third; then the cancel.
    expect(summary()).toEqual([
      `POST /v1${CREATE} @0`,
      `GET /v1/predictions/${ID} @501`,
      `GET /v1/predictions/${ID} @1252`,
      `POST /v1/predictions/${ID}/cancel @2001`,
    ]);
  });

  it('cancels while waiting on the event stream and closes the connection', async () => {
    const body = sseBody(['event: logs\nid: 1:0\ndata: warming up\n\n'], 'hang');
    route('POST', CREATE, created(streaming));
    route('GET', STREAM, () => sseResponse(body));
    const { signal, reason } = abortAfter(3000);
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, signal }));
    expect(outcome.error).toBe(reason);
    expect(outcome.at! - NOW - 3000).toBeLessThan(5);
    expect(cancels()).toHaveLength(1);
    expect(body.cancelled).toBe(true);
    expect(calls.filter((c) => c.url.pathname === `/v1/predictions/${ID}`)).toHaveLength(0);
  });

  it.each([
    ['a 500', () => problem(500, { detail: 'Internal server error' })],
    ['a network error', () => networkError()],
    ['a 404', () => problem(404, { detail: 'Not found.' })],
  ])('still rejects with the abort reason when the cancel fails with %s', async (_, failure) => {
    route('POST', `/predictions/${ID}/cancel`, failure());
    route('POST', CREATE, created());
    route('GET', `/predictions/${ID}`, got('processing'));
    const { signal, reason } = abortAfter(1000);
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, signal }));
    expect(outcome.error).toBe(reason);
    expect(cancels()).toHaveLength(1);
  });

  it('waits at most 5 s for a cancel that does not answer', async () => {
    route(
      'POST',
      `/predictions/${ID}/cancel`,
      delayed(50_000, () => got('canceled')),
    );
    route('POST', CREATE, created());
    route('GET', `/predictions/${ID}`, got('processing'));
    const { signal, reason } = abortAfter(1000);
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, signal }));
    expect(outcome.error).toBe(reason);
    expect(outcome.at! - NOW).toBe(1000 + 5000);
    expect(cancels()).toHaveLength(1);
  });
});

describe('run: timeout', () => {
  it('cancels and throws TimeoutError when the whole run takes longer than `timeout`', async () => {
    route('POST', CREATE, created());
    route('GET', `/predictions/${ID}`, got('processing'));
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, timeout: 3000 }));
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect((outcome.error as TimeoutError).timeout).toBe(3000);
    expect((outcome.error as TimeoutError).message).toBe('Running acme/hello timed out after 3000 ms.');
    expect(outcome.at! - NOW - 3000).toBeLessThan(5);
    expect(cancels()).toHaveLength(1);
    expect(cancels()[0]!.time - NOW - 3000).toBeLessThan(5);
  });

  it('times out during a long create and cancels once the id is known', async () => {
    route(
      'POST',
      CREATE,
      delayed(20_000, () => created()),
    );
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, timeout: 3000 }));
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect(outcome.at! - NOW).toBe(3000);
    expect(cancels()).toHaveLength(1);
    expect(cancels()[0]!.time - NOW).toBeGreaterThanOrEqual(20_000);
  });

  it('reports the user abort, not the timeout, when the signal fires first', async () => {
    route('POST', CREATE, created());
    route('GET', `/predictions/${ID}`, got('processing'));
    const { signal, reason } = abortAfter(1000);
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, timeout: 3000, signal }));
    expect(outcome.error).toBe(reason);
    expect(cancels()).toHaveLength(1);
  });

  it('clears the timer of a run that finished in time', async () => {
    route('POST', CREATE, created({ status: 'succeeded', output: 'ok' }));
    const outcome = await settle(() => replicate().run('acme/hello', { input: {}, timeout: 3000 }));
    expect(outcome.value).toBe('ok');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('stream: abort at each stage', () => {
  it('creates nothing with a pre-aborted signal', async () => {
    route('POST', CREATE, created(streaming));
    const controller = new AbortController();
    controller.abort(new Error('no'));
    const outcome = await settle(() =>
      collect(replicate().stream('acme/hello', { input: {}, signal: controller.signal })),
    );
    expect(outcome.error).toBe(controller.signal.reason);
    expect(calls).toHaveLength(0);
  });

  it('rejects during the create and cancels when the id arrives', async () => {
    route(
      'POST',
      CREATE,
      delayed(5000, () => created(streaming)),
    );
    const { signal, reason } = abortAfter(1000);
    const outcome = await settle(() => collect(replicate().stream('acme/hello', { input: {}, signal })));
    expect(outcome.error).toBe(reason);
    expect(outcome.at! - NOW).toBe(1000);
    expect(cancels()).toHaveLength(1);
    expect(calls.filter((c) => c.url.host !== 'api.replicate.com')).toHaveLength(0);
  });

  it('cancels while streaming, closes the connection and rejects with the reason', async () => {
    const body = sseBody(['event: output\nid: 1:0\ndata: Once\n\n'], 'hang');
    route('POST', CREATE, created(streaming));
    route('GET', STREAM, () => sseResponse(body));
    const { signal, reason } = abortAfter(2000);
    const seen: string[] = [];
    const outcome = await settle(async () => {
      for await (const event of replicate().stream('acme/hello', { input: {}, signal })) {
        if (event.type === 'output') seen.push(event.data);
      }
    });
    expect(seen).toEqual(['Once']);
    expect(outcome.error).toBe(reason);
    expect(outcome.at! - NOW - 2000).toBeLessThan(5);
    expect(cancels()).toHaveLength(1);
    expect(body.cancelled).toBe(true);
  });
});
