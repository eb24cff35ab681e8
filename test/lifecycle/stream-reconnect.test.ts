import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Replicate, StreamError } from '../../src/index';
import type { PredictionEvent } from '../../src/lifecycle/stream';
import { prediction } from '../helpers/fixtures';
import { BASE, calls, json, route } from '../helpers/server';
import {
  collect,
  LLAMA_TEXT,
  randomSplits,
  type SseEnd,
  settle,
  sseFixture,
  sseResponse,
} from '../helpers/sse';

const NOW = new Date('2025-01-01T00:00:00Z').getTime();
const ID = 'ufawqhfynnddngldkgtslldrkq';
const STREAM = 'https://streaming-api.svc.us.c.replicate.net/v1/streams/abc';
const CREATE = '/models/acme/hello/predictions';
const replicate = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const connections = () => calls.filter((c) => c.url.href === STREAM);
const outputs = (events: PredictionEvent[]) => events.flatMap((e) => (e.type === 'output' ? [e.data] : []));

/** The recorded llama stream as separate events (each with its trailing blank line). */
const LLAMA_EVENTS = sseFixture('llama-2-70b-chat.sse')
  .split(/(?<=\n\n)/)
  .filter((event) => event.startsWith('event:'));

/** A stream URL whose connections each send `events[from..to)` and then end as `end` says. */
function serve(...connectionsPlan: Array<[from: number, to: number, end?: SseEnd]>) {
  route(
    'GET',
    STREAM,
    ...connectionsPlan.map(
      ([from, to, end]) =>
        () =>
          sseResponse(LLAMA_EVENTS.slice(from, to), end ?? 'close'),
    ),
  );
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  route('POST', CREATE, json(prediction({ status: 'starting', urls: { stream: STREAM } }), { status: 201 }));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('stream: resuming a dropped connection', () => {
  it('has the 25 recorded events to play with', () => {
    expect(LLAMA_EVENTS).toHaveLength(25);
  });

  it('reconnects with Last-Event-ID after 250 ms when the connection ends before done', async () => {
    serve([0, 10], [10, 25]);
    const outcome = await settle(() => collect(replicate().stream('acme/hello', { input: {} })));
    expect(outcome.error).toBeUndefined();
    expect(outputs(outcome.value!).join('')).toBe(LLAMA_TEXT);
    const [first, second] = connections();
    expect(connections()).toHaveLength(2);
    expect(first!.headers.has('last-event-id')).toBe(false);
    expect(second!.headers.get('last-event-id')).toBe('1707756342:5');
    expect(second!.headers.get('accept')).toBe('text/event-stream');
    // 250 ms after the first connection ended (its 10 events take a few ms of fake time to arrive).
    expect(second!.time - first!.time).toBeGreaterThanOrEqual(250);
    expect(second!.time - first!.time).toBeLessThan(250 + 20);
  });

  it('never delivers an event twice when the server replays from the start', async () => {
    serve([0, 8], [0, 17], [3, 25]);
    const outcome = await settle(() => collect(replicate().stream('acme/hello', { input: {} })));
    const events = outcome.value!;
    expect(outputs(events).join('')).toBe(LLAMA_TEXT);
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(events).toHaveLength(25);
    expect(connections().map((c) => c.headers.get('last-event-id'))).toEqual([
      null,
      '1707756342:3',
      '1707756342:12',
    ]);
  });

  it('resumes after a reset in the middle of the body (a network error, not a clean end)', async () => {
    serve([0, 6, 'reset'], [6, 25]);
    const outcome = await settle(() => collect(replicate().stream('acme/hello', { input: {} })));
    expect(outcome.error).toBeUndefined();
    expect(outputs(outcome.value!).join('')).toBe(LLAMA_TEXT);
    expect(connections()[1]!.headers.get('last-event-id')).toBe('1707756342:1');
  });

  it('resumes a body cut at random places as well', async () => {
    const body = LLAMA_EVENTS.join('');
    const cut = body.indexOf('id: 1707756342:9');
    route(
      'GET',
      STREAM,
      () => sseResponse(randomSplits(body.slice(0, cut), 3)),
      () => sseResponse(randomSplits(body, 11)),
    );
    const outcome = await settle(() => collect(replicate().stream('acme/hello', { input: {} })));
    expect(outputs(outcome.value!).join('')).toBe(LLAMA_TEXT);
    expect(connections()[1]!.headers.get('last-event-id')).toBe('1707756342:8');
  });
});

describe('stream: giving up', () => {
  it('gives up after 3 reconnections in a row without a new event (4 connections), 250, 500, 1000 ms apart', async () => {
    serve([0, 2], [2, 2], [2, 2], [2, 2], [2, 25]);
    const seen: string[] = [];
    const outcome = await settle(async () => {
      for await (const event of replicate().stream('acme/hello', { input: {} })) {
        if (event.type === 'output') seen.push(event.data);
      }
    });
    expect(outcome.error).toBeInstanceOf(StreamError);
    expect(outcome.error).toMatchObject({ reason: 'disconnected' });
    expect((outcome.error as Error).message).toBe(
      `The stream of prediction ${ID} ended before "done" 4 times in a row.`,
    );
    expect(seen).toEqual(['', 'Sure']);
    const times = connections().map((c) => c.time);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((time, i) => time - times[i]!);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual([250, 500, 1000][i]!);
      expect(gap).toBeLessThan([250, 500, 1000][i]! + 10);
    });
  });

  it('starts the budget again after a connection that delivered new events', async () => {
    serve([0, 2], [2, 4], [4, 6], [6, 8], [8, 10], [10, 25]);
    const outcome = await settle(() => collect(replicate().stream('acme/hello', { input: {} })));
    expect(outputs(outcome.value!).join('')).toBe(LLAMA_TEXT);
    const times = connections().map((c) => c.time);
    expect(times).toHaveLength(6);
    // Every drop followed progress: each waits the first delay, none doubles.
    for (const [i, time] of times.slice(1).entries()) {
      expect(time - times[i]!).toBeGreaterThanOrEqual(250);
      expect(time - times[i]!).toBeLessThan(260);
    }
  });

  it('honours maxReconnects and reconnectDelay', async () => {
    serve([0, 2], [2, 2], [2, 25]);
    const outcome = await settle(() =>
      collect(replicate().stream('acme/hello', { input: {}, maxReconnects: 1, reconnectDelay: 2000 })),
    );
    expect(outcome.error).toMatchObject({ name: 'StreamError', reason: 'disconnected' });
    const [first, second] = connections();
    expect(connections()).toHaveLength(2);
    expect(second!.time - first!.time).toBeGreaterThanOrEqual(2000);
    expect(second!.time - first!.time).toBeLessThan(2010);
  });

  it('does not reconnect at all with maxReconnects: 0', async () => {
    serve([0, 2], [2, 25]);
    const outcome = await settle(() =>
      collect(replicate().stream('acme/hello', { input: {}, maxReconnects: 0 })),
    );
    expect(outcome.error).toMatchObject({ reason: 'disconnected' });
    expect(connections()).toHaveLength(1);
  });

  it('gives up with StreamError (disconnected) when every connection is reset, keeping the cause', async () => {
    // After the first, each connection resends the event already delivered: no progress.
    serve([0, 1, 'reset'], [0, 1, 'reset'], [0, 1, 'reset'], [0, 1, 'reset']);
    const outcome = await settle(() => collect(replicate().stream('acme/hello', { input: {} })));
    expect(outcome.error).toBeInstanceOf(StreamError);
    expect(outcome.error).toMatchObject({ reason: 'disconnected' });
    expect((outcome.error as Error).cause).toBeDefined();
    expect(connections()).toHaveLength(4);
  });
});

describe('run: resuming the stream it waits on', () => {
  it('reconnects, then GETs the final prediction after done', async () => {
    serve([0, 5], [5, 25]);
    route('GET', `/predictions/${ID}`, json(prediction({ status: 'succeeded', output: [LLAMA_TEXT] })));
    const outcome = await settle(() => replicate().run<string[]>('acme/hello', { input: {} }));
    expect(outcome.value).toEqual([LLAMA_TEXT]);
    expect(connections()).toHaveLength(2);
    expect(calls.filter((c) => c.url.pathname === `/v1/predictions/${ID}`)).toHaveLength(1);
  });
});
