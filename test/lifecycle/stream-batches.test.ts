import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpClient } from '../../src/http/core';
import { Replicate, StreamError } from '../../src/index';
import { readEventBatches } from '../../src/lifecycle/sse';
import { type PredictionEvent, streamEvents } from '../../src/lifecycle/stream';
import { prediction } from '../helpers/fixtures';
import { BASE, calls, json, route } from '../helpers/server';
import { collect, settle, sseBody, sseResponse, streamOf } from '../helpers/sse';

// The client reads a stream one network read at a time: each read's events are handed out from one batch.
// These cases put several events in one read, or split them across reads, and stop in the middle of one.

const NOW = new Date('2025-01-01T00:00:00Z').getTime();
const ID = 'ufawqhfynnddngldkgtslldrkq';
const STREAM = 'https://stream.replicate.com/v1/streams/abc';
const CREATE = '/models/acme/hello/predictions';
const replicate = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const connections = () => calls.filter((c) => c.url.href === STREAM);
const cancels = () => calls.filter((c) => c.url.pathname === `/v1/predictions/${ID}/cancel`);
const outputs = (events: PredictionEvent[]) => events.flatMap((e) => (e.type === 'output' ? [e.data] : []));

/** Output events `from..to` (exclusive) as one string: what a single network read can carry. */
const events = (from: number, to: number) =>
  Array.from(
    { length: to - from },
    (_, i) => `event: output\nid: 1735689600:${from + i}\ndata: t${from + i}\n\n`,
  ).join('');
const DONE = 'event: done\nid: 1735689601:0\ndata: {}\n\n';
const tokens = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `t${from + i}`);

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  route('POST', CREATE, json(prediction({ status: 'starting', urls: { stream: STREAM } }), { status: 201 }));
  route('POST', `/predictions/${ID}/cancel`, json(prediction({ status: 'canceled' })));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('readEventBatches', () => {
  const encode = (...pieces: string[]) => pieces.map((piece) => new TextEncoder().encode(piece));
  const ids = (batches: Array<Array<{ id?: string | undefined }>>) => batches.map((b) => b.map((m) => m.id));

  it('yields all the events of one read in one batch', async () => {
    const batches = await collect(readEventBatches(streamOf(encode(events(0, 50)))));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((m) => m.data)).toEqual(tokens(0, 50));
  });

  it('yields an event split across reads with the read that completes it, and nothing for a comment', async () => {
    const body = events(0, 3);
    const cut = body.indexOf('data: t1') + 3;
    const batches = await collect(
      readEventBatches(streamOf(encode(body.slice(0, cut), body.slice(cut), ': hi\n\n'))),
    );
    expect(ids(batches)).toEqual([['1735689600:0'], ['1735689600:1', '1735689600:2']]);
  });
});

describe('stream: several events per read', () => {
  it('delivers every event of a read that holds many, in order and once each', async () => {
    route('GET', STREAM, () => sseResponse([events(0, 500) + DONE]));
    const outcome = await settle(() => collect(replicate().stream('acme/hello', { input: {} })));
    expect(outputs(outcome.value!)).toEqual(tokens(0, 500));
    expect(outcome.value!.at(-1)).toEqual({ type: 'done', id: '1735689601:0' });
  });

  it('resumes a drop after a batch from its last event, losing and repeating nothing', async () => {
    route(
      'GET',
      STREAM,
      () => sseResponse([events(0, 10)], 'reset'),
      () => sseResponse([events(5, 20), events(20, 30) + DONE]),
    );
    const outcome = await settle(async () => {
      const seen: PredictionEvent[] = [];
      for await (const event of replicate().stream('acme/hello', { input: {} })) {
        seen.push(event);
        await new Promise((resolve) => setTimeout(resolve, 1)); // a consumer slower than the reads
      }
      return seen;
    });
    expect(outputs(outcome.value!)).toEqual(tokens(0, 30));
    expect(connections().map((c) => c.headers.get('last-event-id'))).toEqual([null, '1735689600:9']);
  });

  it('delivers the events before an error event of the same read, then throws StreamError', async () => {
    const failing = 'event: error\nid: 1735689600:3\ndata: {"detail":"CUDA out of memory"}\n\n';
    route('GET', STREAM, () => sseResponse([events(0, 3) + failing + events(4, 6)]));
    const seen: PredictionEvent[] = [];
    const outcome = await settle(async () => {
      for await (const event of replicate().stream('acme/hello', { input: {} })) seen.push(event);
    });
    expect(outputs(seen)).toEqual(tokens(0, 3));
    expect(outcome.error).toBeInstanceOf(StreamError);
    expect(outcome.error).toMatchObject({ reason: 'error-event' });
  });

  it('stops at a done in the middle of a read and closes the connection', async () => {
    const body = sseBody([events(0, 2) + DONE + events(2, 4)], 'hang');
    route('GET', STREAM, () => sseResponse(body));
    const outcome = await settle(() =>
      collect(
        streamEvents(new HttpClient({ auth: 'r8_test' }), {
          id: ID,
          status: 'processing',
          urls: { stream: STREAM },
        }),
      ),
    );
    expect(outcome.value!.map((e) => e.type)).toEqual(['output', 'output', 'done']);
    expect(body.cancelled).toBe(true);
  });
});

describe('stream: stopping in the middle of a read', () => {
  it('after an abort, rejects with its reason at the next event, cancels and closes the connection', async () => {
    const body = sseBody([events(0, 5)], 'hang');
    route('GET', STREAM, () => sseResponse(body));
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const seen: string[] = [];
    const outcome = await settle(async () => {
      for await (const event of replicate().stream('acme/hello', { input: {}, signal: controller.signal })) {
        if (event.type === 'output') seen.push(event.data);
        if (seen.length === 2) controller.abort(reason);
      }
    });
    expect(seen).toEqual(tokens(0, 2));
    expect(outcome.error).toBe(reason);
    expect(cancels()).toHaveLength(1);
    expect(body.cancelled).toBe(true);
  });

  it('closes the connection on a break, and cancels the prediction with cancelOnBreak', async () => {
    const body = sseBody([events(0, 5)], 'hang');
    route('GET', STREAM, () => sseResponse(body));
    const seen: string[] = [];
    await settle(async () => {
      for await (const event of replicate().stream('acme/hello', { input: {}, cancelOnBreak: true })) {
        if (event.type === 'output') seen.push(event.data);
        if (seen.length === 3) break;
      }
    });
    expect(seen).toEqual(tokens(0, 3));
    expect(body.cancelled).toBe(true);
    expect(cancels()).toHaveLength(1);
    expect(connections()).toHaveLength(1);
  });
});
