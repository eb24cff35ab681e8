import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod/mini';
import { HttpClient, parseBody } from '../src/http/core';
import {
  type ApiError,
  AuthenticationError,
  FileOutput,
  NotFoundError,
  predictionSchema,
  problemSchema,
  Replicate,
  trainingSchema,
} from '../src/index';
import { StreamError } from '../src/lifecycle/errors';
import { type PredictionEvent, streamEvents } from '../src/lifecycle/stream';
import { ALL, expected, FILES, type Interaction, isSse, load, operation } from './helpers/recordings';
import { calls, server } from './helpers/server';
import { readServerSentEvents } from './helpers/sse';

describe('every recorded response parses with its schema', () => {
  it.each(FILES)('%s', (file) => {
    for (const interaction of load(file).filter((each) => !isSse(each))) {
      const { request, response } = interaction;
      const { pathname } = new URL(request.url);
      if (response.status >= 400) {
        if (response.headers['content-type']?.includes('json')) {
          expect(problemSchema.safeParse(JSON.parse(response.body)).success).toBe(true);
        }
        continue;
      }
      const { schema } = operation(request);
      if (!schema) expect(response.body).toBe('');
      else expect(parseBody(response.body, schema, pathname)).toEqual(expected(response.body));
    }
  });

  it('covers all 247 interactions with a known operation or a stream', () => {
    expect(FILES).toHaveLength(44);
    expect(ALL).toHaveLength(247);
    expect(ALL.filter(isSse)).toHaveLength(10);
    const requests = ALL.filter((each) => !isSse(each)).map((each) => each.request);
    expect(requests.map((request) => operation(request).method)).toEqual(requests.map((r) => r.method));
  });
});

/** A body that arrives in the recorded chunks (some hand-written streams split lines on purpose). */
function chunked({ body, body_chunks }: Interaction['response']): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of body_chunks ?? [body]) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

/** Serve the recorded responses in order, whatever the request (which is recorded in `calls`). */
function replay(responses: Interaction['response'][]): void {
  server.use(
    http.all('*', ({ request }) => {
      const { method, headers } = request;
      calls.push({ method, url: new URL(request.url), headers, body: '', time: 0 });
      const response = responses.shift()!;
      const body = response.status === 204 ? null : chunked(response);
      return new Response(body, { status: response.status, headers: response.headers });
    }),
  );
}

describe('every recorded exchange replays through the client', () => {
  it.each(FILES)('%s', async (file) => {
    const interactions = load(file).filter((each) => !isSse(each));
    replay(interactions.map((each) => each.response));
    for (const [index, { request, response }] of interactions.entries()) {
      const url = new URL(request.url);
      const baseUrl = url.origin + (url.pathname.startsWith('/v1/') ? '/v1' : '');
      const client = new Replicate({ auth: 'r8_recordings', baseUrl, maxRetries: 0 });
      const { call, params } = operation(request);
      const outcome = await call(client, params, request).then(
        (value) => ({ value, error: undefined }),
        (error: unknown) => ({ value: undefined, error }),
      );
      const sent = calls[index]!;
      const path = request.reconstructed ? sent.url.pathname : url.pathname;
      expect(`${sent.method} ${sent.url.pathname}`).toBe(`${request.method} ${path}`);
      if (request.headers.prefer) expect(sent.headers.get('prefer')).toBe(request.headers.prefer);
      if (response.status < 400) {
        expect(outcome.error).toBeUndefined();
        expect(outcome.value).toEqual(response.status === 204 ? undefined : expected(response.body));
        continue;
      }
      const error = outcome.error as ApiError;
      expect(error).toBeInstanceOf(response.status === 401 ? AuthenticationError : NotFoundError);
      expect(error.status).toBe(response.status);
      const problem = response.headers['content-type']?.includes('json') ? JSON.parse(response.body) : {};
      expect(error.detail).toBe(problem.detail ?? response.body.trim());
      expect(error.title).toBe(problem.title);
    }
    expect(calls).toHaveLength(interactions.length);
  });
});

const LINES = 'hello,\nthis is a new line,\nand this is a new line too';
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const JOKE =
  "Sure, here's a joke about OpenTelemetry:\n\nWhy did the OpenTelemetry agent go to therapy?\n\n" +
  'Because it was feeling a little "disconnected" from its trace!\n\n' +
  'I hope that brought a smile to your face! Is there anything else I can assist you with?';
type End = 'done' | 'error-event' | 'disconnected';
/** What each hand-written stream (by index) must yield: its output chunks and how it ends. */
const HAND_WRITTEN: Array<[string[], End]> = [
  [['hello world'], 'done'],
  [['hello world', 'hello dave'], 'done'],
  [['hello world'], 'done'], // after a `: hi` comment
  [[LINES], 'done'], // multi-line data
  [[LINES], 'done'], // written in three chunks
  [[LINES], 'done'], // chunks split inside field names
  [['hello world'], 'disconnected'], // no `done`
  [['hello world'], 'error-event'],
  [[PIXEL, 'https://delivery.replicate.com/my_file.png'], 'done'], // a file stream
];

describe('every recorded event stream', () => {
  const streams = ALL.filter(isSse).map((each) => ({ ...each, key: `${each.file}#${each.index}` }));

  it.each(streams)('$key parses with the SSE reader and replays through streamEvents', async (recorded) => {
    // The real llama-2 stream: 24 chunks (the first empty, some multi-line) that join into one reply.
    const [outputs, end] = recorded.file.startsWith('openllmetry')
      ? [[JOKE], 'done']
      : HAND_WRITTEN[recorded.index]!;
    const count = recorded.file.startsWith('openllmetry') ? 24 : outputs.length;
    const messages = [];
    for await (const message of readServerSentEvents(chunked(recorded.response))) messages.push(message);
    const data = messages.filter((m) => m.event === 'output').map((m) => m.data);
    expect([data.length, data.join('')]).toEqual([count, outputs.join('')]);
    expect(messages.some((m) => m.event === 'done')).toBe(end === 'done');

    replay([recorded.response]);
    const http = new HttpClient({ auth: 'r8_recordings' });
    const prediction = { id: 'p1', status: 'processing' as const, urls: { stream: recorded.request.url } };
    const events: PredictionEvent[] = [];
    const error = await (async () => {
      for await (const event of streamEvents(http, prediction, { maxReconnects: 0 })) events.push(event);
    })().catch((e: unknown) => e);
    expect(events.flatMap((event) => (event.type === 'output' ? [event.data] : []))).toEqual(data);
    if (end === 'done') expect(events.at(-1)).toMatchObject({ type: 'done' });
    else expect([error instanceof StreamError, (error as StreamError).reason]).toEqual([true, end]);
    if (recorded.request.url.includes('/v1/files/')) {
      expect(events.filter((e) => e.type === 'output').every((e) => e.file instanceof FileOutput)).toBe(true);
    }
    expect(calls[0]!.headers.get('accept')).toBe('text/event-stream');
  });
});

describe('the quirks of real data', () => {
  const parse = <S extends z.ZodMiniType>(file: string, index: number, schema: S) =>
    parseBody(load(file)[index]!.response.body, schema, 'recording');

  it('accepts version "hidden" and opaque version ids', () => {
    const flux = parse('prism__predictions-image-flux-schnell__2025-11-04.json', 1, predictionSchema);
    expect([flux.version, flux.status, flux.metrics?.image_count]).toEqual(['hidden', 'succeeded', 1]);
    const file = 'replicate-python__models-predictions-create-prefer-wait__2024-10-04.json';
    expect(parse(file, 0, predictionSchema).version).toBe('dp-a557b7387b4940df25b23f779dc534c4');
  });

  it('accepts an old, finished prediction without model, with webhook_completed', () => {
    const old = parse('replicate-python__predictions-get__2023-08-28b.json', 0, predictionSchema);
    expect(old).not.toHaveProperty('model');
    expect(old).toHaveProperty('webhook_completed', null);
    expect(old.status).toBe('succeeded');
  });

  it('keeps timestamps with 0 to 9 fractional digits verbatim', () => {
    const stamps = ALL.flatMap(({ response }) =>
      [...response.body.matchAll(/"\w+_at": ?"(\d{4}-[^"]+)"/g)].map((m) => m[1]!),
    );
    const digits = new Set(stamps.map((stamp) => /\.(\d+)/.exec(stamp)?.[1]?.length ?? 0));
    expect([...digits].sort()).toEqual([0, 2, 3, 5, 6, 8, 9]);
    const file = 'openllmetry__models-predictions-create-stream-sse__2024-02-12b.json';
    expect(parse(file, 0, predictionSchema).created_at).toBe('2024-02-12T16:45:41.730471035Z');
  });

  it('has JSON with both charset spellings (which the replay reads like plain application/json)', () => {
    const types = new Set(
      ALL.filter((i) => i.response.status < 300).map((i) => i.response.headers['content-type']),
    );
    expect(types).toContain('application/json; charset=UTF-8');
    expect(types).toContain('application/json; charset=utf-8');
  });

  it('reads the 2023 training status "running" as "processing"', () => {
    const training = parse('replicate-python__trainings-get__2023-08-16.json', 0, trainingSchema);
    expect(training.status).toBe('processing');
    expect(trainingSchema.safeParse({ id: 't', status: 'queued' }).success).toBe(false);
  });
});
