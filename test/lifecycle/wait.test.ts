import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Prediction, Replicate, TimeoutError } from '../../src/index';
import { prediction } from '../helpers/fixtures';
import { BASE, calls, json, networkError, problem, route } from '../helpers/server';
import { settle, sseResponse } from '../helpers/sse';

const NOW = new Date('2025-01-01T00:00:00Z').getTime();
const ID = 'ufawqhfynnddngldkgtslldrkq';
const STREAM = 'https://stream.replicate.com/v1/streams/abc';
const replicate = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const running = (overrides: Record<string, unknown> = {}) =>
  prediction({ status: 'processing', ...overrides }) as Prediction;
const got = (status: string, overrides: Record<string, unknown> = {}) =>
  json(prediction({ status, ...overrides }));
const withStream = {
  urls: { get: `${BASE}/predictions/${ID}`, cancel: `${BASE}/predictions/${ID}/cancel`, stream: STREAM },
};
const summary = () => calls.map((c) => `${c.method} ${c.url.host}${c.url.pathname}`);
const GET = `GET api.replicate.com/v1/predictions/${ID}`;
const CANCEL = `POST api.replicate.com/v1/predictions/${ID}/cancel`;
const STREAMED = 'GET stream.replicate.com/v1/streams/abc';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  route('POST', `/predictions/${ID}/cancel`, got('canceled'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('wait: polling', () => {
  it('polls a prediction object until it is terminal and returns it', async () => {
    route(
      'GET',
      `/predictions/${ID}`,
      got('processing'),
      got('succeeded', { output: 'hi', metrics: { predict_time: 1 } }),
    );
    const outcome = await settle(() => replicate().wait(running()));
    expect(outcome.value).toMatchObject({
      id: ID,
      status: 'succeeded',
      output: 'hi',
      metrics: { predict_time: 1 },
    });
    expect(summary()).toEqual([GET, GET]);
    expect(calls[0]!.time - NOW).toBe(500);
  });

  it('takes an id: GETs it at once, then polls', async () => {
    route('GET', `/predictions/${ID}`, got('starting'), got('processing'), got('succeeded'));
    const outcome = await settle(() => replicate().wait(ID));
    expect(outcome.value?.status).toBe('succeeded');
    expect(calls.map((c) => c.time - NOW)).toEqual([0, 501, 1252]);
  });

  it.each(['failed', 'canceled', 'aborted'])(
    'returns a %s prediction instead of throwing',
    async (status) => {
      route('GET', `/predictions/${ID}`, got(status, { error: status === 'failed' ? 'boom' : null }));
      const outcome = await settle(() => replicate().wait(running()));
      expect(outcome.error).toBeUndefined();
      expect(outcome.value?.status).toBe(status);
    },
  );

  it('returns a terminal prediction as is, without any request', async () => {
    const done = prediction({ status: 'succeeded', output: 1 }) as Prediction;
    expect(await replicate().wait(done)).toBe(done);
    expect(calls).toHaveLength(0);
  });

  it('uses pollInterval', async () => {
    route('GET', `/predictions/${ID}`, got('processing'), got('succeeded'));
    await settle(() => replicate().wait(running(), { pollInterval: 2000 }));
    expect(calls.map((c) => c.time - NOW)).toEqual([2000, 5001]);
  });
});

describe('wait: timeout and abort', () => {
  it('throws TimeoutError after `timeout` without canceling by default', async () => {
    route('GET', `/predictions/${ID}`, got('processing'));
    const outcome = await settle(() => replicate().wait(running(), { timeout: 4000 }));
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect((outcome.error as TimeoutError).message).toBe(
      `Waiting for prediction ${ID} timed out after 4000 ms.`,
    );
    expect(outcome.at! - NOW).toBe(4000);
    expect(summary()).not.toContain(CANCEL);
    // No poll after the timeout.
    expect(calls.every((c) => c.time - NOW <= 4000)).toBe(true);
  });

  it('cancels on timeout with cancelOnAbort: true', async () => {
    route('GET', `/predictions/${ID}`, got('processing'));
    const outcome = await settle(() => replicate().wait(running(), { timeout: 4000, cancelOnAbort: true }));
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect(summary().at(-1)).toBe(CANCEL);
  });

  it('rejects with signal.reason on abort, canceling only with cancelOnAbort: true', async () => {
    route('GET', `/predictions/${ID}`, got('processing'));
    for (const cancelOnAbort of [false, true]) {
      calls.length = 0;
      const controller = new AbortController();
      const reason = new Error(`stop ${cancelOnAbort}`);
      setTimeout(() => controller.abort(reason), 1000);
      const outcome = await settle(() =>
        replicate().wait(running(), { signal: controller.signal, cancelOnAbort }),
      );
      expect(outcome.error).toBe(reason);
      expect(summary().includes(CANCEL)).toBe(cancelOnAbort);
    }
  });
});

describe('wait: the event stream', () => {
  it('waits for done on urls.stream, then GETs the final prediction once', async () => {
    route('GET', STREAM, () =>
      sseResponse('event: output\nid: 1:0\ndata: hi\n\nevent: done\nid: 1:1\ndata: {}\n\n'),
    );
    route('GET', `/predictions/${ID}`, got('succeeded', { output: ['hi'] }));
    const outcome = await settle(() => replicate().wait(running(withStream)));
    expect(outcome.value?.output).toEqual(['hi']);
    expect(summary()).toEqual([STREAMED, GET]);
    expect(calls[0]!.time).toBe(NOW);
  });

  it('polls on when the prediction is not terminal yet right after done', async () => {
    route('GET', STREAM, () => sseResponse('event: done\ndata: {}\n\n'));
    route('GET', `/predictions/${ID}`, got('processing'), got('succeeded'));
    const outcome = await settle(() => replicate().wait(running(withStream)));
    expect(outcome.value?.status).toBe('succeeded');
    expect(summary()).toEqual([STREAMED, GET, GET]);
    expect(calls[2]!.time - calls[1]!.time).toBeGreaterThanOrEqual(500);
  });

  it('returns the failed prediction after an error event', async () => {
    route('GET', STREAM, () => sseResponse('event: error\ndata: {"detail":"CUDA out of memory"}\n\n'));
    route('GET', `/predictions/${ID}`, got('failed', { error: 'CUDA out of memory' }));
    const outcome = await settle(() => replicate().wait(running(withStream)));
    expect(outcome.value).toMatchObject({ status: 'failed', error: 'CUDA out of memory' });
    expect(summary()).toEqual([STREAMED, GET]);
  });

  it('polls instead with useStream: false', async () => {
    route('GET', STREAM, () => sseResponse('event: done\ndata: {}\n\n'));
    route('GET', `/predictions/${ID}`, got('succeeded'));
    await settle(() => replicate().wait(running(withStream), { useStream: false }));
    expect(summary()).toEqual([GET]);
  });

  it.each([
    ['answers JSON instead of an event stream', () => json({ detail: 'no' })],
    ['answers 404', () => problem(404, { detail: 'Stream not found' })],
    ['answers 500 every time', () => problem(500, { detail: 'Internal server error' })],
    ['is unreachable', () => networkError()],
  ])('falls back to polling when the stream URL %s', async (_, failure) => {
    route('GET', STREAM, failure());
    route('GET', `/predictions/${ID}`, got('processing'), got('succeeded', { output: 'polled' }));
    const outcome = await settle(() => replicate().wait(running(withStream)));
    expect(outcome.error).toBeUndefined();
    expect(outcome.value?.output).toBe('polled');
    expect(summary().filter((call) => call === GET).length).toBeGreaterThanOrEqual(2);
  });
});
