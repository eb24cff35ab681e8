import { describe, expect, it } from 'vitest';
import { FileOutput, NotFoundError, PredictionFailedError, Replicate, StreamError } from '../../src/index';
import type { PredictionEvent } from '../../src/lifecycle/stream';
import { fixture, prediction } from '../helpers/fixtures';
import { BASE, calls, json, problem, route } from '../helpers/server';
import {
  collect,
  LLAMA_TEXT,
  randomSplits,
  splitBytes,
  sseBody,
  sseFixture,
  sseResponse,
} from '../helpers/sse';

const ID = 'ufawqhfynnddngldkgtslldrkq';
const STREAM = 'https://stream.replicate.com/v1/streams/abc';
const CREATE = '/models/acme/hello/predictions';
const replicate = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const created = (overrides: Record<string, unknown> = {}) =>
  json(prediction({ status: 'starting', urls: { stream: STREAM }, ...overrides }), { status: 201 });
const text = (events: PredictionEvent[]) => events.map((e) => (e.type === 'output' ? e.data : '')).join('');
const cancels = () => calls.filter((c) => c.url.pathname.endsWith('/cancel'));

describe('stream: recorded streams', () => {
  const recorded = fixture('sse/llama-2-70b-chat.create.json') as { id: string; urls: { stream: string } };
  const body = sseFixture('llama-2-70b-chat.sse');

  it.each([
    ['as recorded', (t: string) => [t]],
    ['byte by byte', (t: string) => splitBytes(t, 1)],
    ['cut at random places', (t: string) => randomSplits(t, 99)],
    ['with CRLF, cut at random places', (t: string) => randomSplits(t.replaceAll('\n', '\r\n'), 5)],
  ])('streams the recorded llama-2-70b-chat joke %s', async (_, cut) => {
    route('POST', '/models/meta/llama-2-70b-chat/predictions', json(recorded, { status: 201 }));
    route('GET', recorded.urls.stream, () => sseResponse(cut(body)));
    const events = await collect(
      replicate().stream('meta/llama-2-70b-chat', {
        input: { prompt: 'tell me a joke about opentelemetry' },
      }),
    );
    expect(text(events)).toBe(LLAMA_TEXT);
    expect(events.filter((e) => e.type === 'output')).toHaveLength(24);
    expect(events.at(-1)).toEqual({ type: 'done', id: '1707756343:7' });
    const [create, stream] = calls;
    expect(create!.headers.has('prefer')).toBe(false);
    expect(stream!.url.href).toBe(recorded.urls.stream);
    expect(stream!.headers.get('accept')).toBe('text/event-stream');
    expect(stream!.headers.get('authorization')).toBe('Bearer r8_test'); // a Replicate host (replicate.net)
    expect(stream!.headers.has('last-event-id')).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it("connects to the stream URL of replicate-python's recorded create", async () => {
    const python = fixture('sse/llama-2-70b-chat-python.create.json') as { urls: { stream: string } };
    route('POST', '/predictions', json(python, { status: 201 }));
    route('GET', python.urls.stream, () => sseResponse(sseFixture('js-multiple-events.sse')));
    const version = '02e509c789964a7ea8736978a43525956ef40397be9033abf9fd2badfe68c9e3';
    const events = await collect(replicate().stream(`meta/llama-2-70b-chat:${version}`, { input: {} }));
    expect(events).toEqual([
      { type: 'output', data: 'hello world', id: 'EVENT_1' },
      { type: 'output', data: 'hello dave', id: 'EVENT_2' },
      { type: 'done', id: 'EVENT_3' },
    ]);
    expect(calls[1]!.url.href).toBe(
      'https://streaming-api.svc.us.c.replicate.net/v1/predictions/4awn473bsrztjzlx2b6ufoxkkm',
    );
  });
});

describe('stream: events', () => {
  it('yields typed output, logs and done events, with the reason of a non-successful done', async () => {
    route('POST', CREATE, created());
    route(
      'GET',
      STREAM,
      sseResponse(
        ': hi\n\nevent: logs\nid: 5:0\ndata: booting\n\nevent: output\nid: 5:1\ndata:  Hi\n\nevent: done\nid: 5:2\ndata: {"reason":"canceled"}\n\n',
      ),
    );
    const events = await collect(replicate().stream('acme/hello', { input: {} }));
    expect(events).toEqual([
      { type: 'logs', data: 'booting', id: '5:0' },
      { type: 'output', data: ' Hi', id: '5:1' },
      { type: 'done', reason: 'canceled', id: '5:2' },
    ]);
  });

  it.each([
    ['js-error.sse', 'An unexpected error occurred'],
    [null, 'CUDA error: out of memory'],
  ])('throws StreamError (error-event) on an error event (%s)', async (name, message) => {
    const body = name
      ? sseFixture(name)
      : 'event: output\nid: 1\ndata: hello world\n\nevent: error\nid: 2\ndata: {"detail":"CUDA error: out of memory"}\n\n';
    route('POST', CREATE, created());
    route('GET', STREAM, sseResponse(body));
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of replicate().stream('acme/hello', { input: {} })) {
        if (event.type === 'output') seen.push(event.data);
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['hello world']);
    expect(error).toBeInstanceOf(StreamError);
    expect(error).toMatchObject({ reason: 'error-event', message: `Prediction ${ID} failed: ${message}` });
    expect((error as StreamError).prediction?.id).toBe(ID);
  });

  it('throws StreamError (http) when the stream URL does not answer with text/event-stream', async () => {
    route('POST', CREATE, created());
    route('GET', STREAM, json({ not: 'a stream' }));
    const error = await collect(replicate().stream('acme/hello', { input: {} })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StreamError', reason: 'http' });
    expect((error as Error).message).toContain('application/json');
  });

  it('throws the typed API error when the stream URL answers 404', async () => {
    route('POST', CREATE, created());
    route('GET', STREAM, problem(404, { detail: 'stream not found' }));
    const error = await collect(replicate().stream('acme/hello', { input: {} })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
  });
});

describe('stream: stopping early', () => {
  it('closes the connection on break and leaves the prediction running by default', async () => {
    const body = sseBody(
      ['event: output\nid: 1:0\ndata: one\n\n', 'event: output\nid: 1:1\ndata: two\n\n'],
      'hang',
    );
    route('POST', CREATE, created());
    route('GET', STREAM, () => sseResponse(body));
    route('POST', `/predictions/${ID}/cancel`, json(prediction({ status: 'canceled' })));
    for await (const event of replicate().stream('acme/hello', { input: {} })) {
      expect(event).toEqual({ type: 'output', data: 'one', id: '1:0' });
      break;
    }
    expect(body.cancelled).toBe(true);
    expect(cancels()).toHaveLength(0);
  });

  it('also cancels the prediction on break with cancelOnBreak', async () => {
    const body = sseBody(['event: output\nid: 1:0\ndata: one\n\n'], 'hang');
    route('POST', CREATE, created());
    route('GET', STREAM, () => sseResponse(body));
    route('POST', `/predictions/${ID}/cancel`, json(prediction({ status: 'canceled' })));
    for await (const _ of replicate().stream('acme/hello', { input: {}, cancelOnBreak: true })) break;
    expect(body.cancelled).toBe(true);
    expect(cancels()).toHaveLength(1);
    expect(cancels()[0]!.url.pathname).toBe(`/v1/predictions/${ID}/cancel`);
  });

  it('does not cancel with cancelOnBreak when the loop stops at done', async () => {
    route('POST', CREATE, created());
    route('GET', STREAM, () => sseResponse(sseFixture('js-done.sse')));
    route('POST', `/predictions/${ID}/cancel`, json(prediction({ status: 'canceled' })));
    for await (const event of replicate().stream('acme/hello', { input: {}, cancelOnBreak: true })) {
      if (event.type === 'done') break;
    }
    expect(cancels()).toHaveLength(0);
  });
});

describe('stream: models that do not stream', () => {
  it('throws StreamError (not-supported) and cancels the prediction nobody will read', async () => {
    route('POST', CREATE, created({ urls: { get: `${BASE}/predictions/${ID}` } }));
    route('POST', `/predictions/${ID}/cancel`, json(prediction({ status: 'canceled' })));
    const error = await collect(replicate().stream('acme/hello', { input: {} })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect(error).toMatchObject({ reason: 'not-supported' });
    expect((error as Error).message).toBe(
      "acme/hello does not stream; pass fallback: 'wait' to get its output once.",
    );
    expect(cancels()).toHaveLength(1);
  });

  it("yields the final output once, then done, with fallback: 'wait'", async () => {
    route('POST', CREATE, created({ urls: {} }));
    route(
      'GET',
      `/predictions/${ID}`,
      json(prediction({ status: 'succeeded', output: ['Hello', ' world'] })),
    );
    const events = await collect(replicate().stream('acme/hello', { input: {}, fallback: 'wait' }));
    expect(events).toEqual([
      { type: 'output', data: 'Hello', id: undefined },
      { type: 'output', data: ' world', id: undefined },
      { type: 'done', id: undefined },
    ]);
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(1);
  });

  it("yields a file output as FileOutput and a failure as PredictionFailedError with fallback: 'wait'", async () => {
    const url = 'https://replicate.delivery/xezq/abc/out-0.webp';
    route('POST', CREATE, created({ urls: {} }));
    route('GET', `/predictions/${ID}`, json(prediction({ status: 'succeeded', output: url })));
    const [first] = await collect(replicate().stream('acme/hello', { input: {}, fallback: 'wait' }));
    expect(first).toMatchObject({ type: 'output', data: url });
    expect((first as { file?: FileOutput }).file).toBeInstanceOf(FileOutput);

    route('GET', `/predictions/${ID}`, json(prediction({ status: 'failed', error: 'nope' })));
    const error = await collect(replicate().stream('acme/hello', { input: {}, fallback: 'wait' })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PredictionFailedError);
  });
});

describe('stream: file streams', () => {
  it('wraps every chunk of a /v1/files/ stream (data URI and URL) in a FileOutput', async () => {
    route('POST', CREATE, created({ urls: { stream: 'https://stream.replicate.com/v1/files/abcd' } }));
    route('GET', 'https://stream.replicate.com/v1/files/abcd', () =>
      sseResponse(splitBytes(sseFixture('js-file-outputs.sse'), 9)),
    );
    const events = await collect(replicate().stream('acme/hello', { input: {} }));
    const files = events.flatMap((e) => (e.type === 'output' && e.file ? [e.file] : []));
    expect(files).toHaveLength(2);
    expect(files.every((file) => file instanceof FileOutput)).toBe(true);
    expect(String(files[1])).toBe('https://delivery.replicate.com/my_file.png');
    const png = new Uint8Array(await files[0]!.arrayBuffer());
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect((await files[0]!.blob()).type).toBe('image/png');
    expect(events.at(-1)).toEqual({ type: 'done', id: 'EVENT_3' });
  });

  it('wraps delivery URLs in a text stream but leaves text alone', async () => {
    route('POST', CREATE, created());
    route(
      'GET',
      STREAM,
      sseResponse(
        'event: output\ndata: https://replicate.delivery/pbxt/x/out.png\n\nevent: output\ndata: just text\n\nevent: done\ndata: {}\n\n',
      ),
    );
    const [image, words] = await collect(replicate().stream('acme/hello', { input: {} }));
    expect((image as { file?: FileOutput }).file?.url.href).toBe('https://replicate.delivery/pbxt/x/out.png');
    expect(words).toEqual({ type: 'output', data: 'just text', id: undefined });
  });

  it('does not crash on an empty or non-URL chunk in a file stream', async () => {
    route('POST', CREATE, created({ urls: { stream: 'https://stream.replicate.com/v1/files/abcd' } }));
    route(
      'GET',
      'https://stream.replicate.com/v1/files/abcd',
      sseResponse(
        'event: output\ndata: \n\nevent: output\ndata: https://replicate.delivery/a.png\n\nevent: done\ndata: {}\n\n',
      ),
    );
    const events = await collect(replicate().stream('acme/hello', { input: {} }));
    expect(events[0]).toEqual({ type: 'output', data: '', id: undefined });
    expect((events[1] as { file?: FileOutput }).file).toBeInstanceOf(FileOutput);
  });
});
