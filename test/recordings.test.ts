import { readdirSync, readFileSync } from 'node:fs';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { HttpClient, parseBody } from '../src/http/core';
import {
  type ApiError,
  AuthenticationError,
  collectionSchema,
  collectionSummarySchema,
  FileOutput,
  fileSchema,
  hardwareSchema,
  modelSchema,
  NotFoundError,
  type Paginator,
  pageSchema,
  predictionSchema,
  problemSchema,
  Replicate,
  trainingSchema,
  versionSchema,
} from '../src/index';
import { StreamError } from '../src/lifecycle/errors';
import { readServerSentEvents } from '../src/lifecycle/sse';
import { type PredictionEvent, streamEvents } from '../src/lifecycle/stream';
import { calls, server } from './helpers/server';

/** One recorded exchange; the format is described in test/fixtures/recordings/README.md. */
interface Interaction {
  // `reconstructed`: rebuilt from test code, not recorded (Prism and PHP fixtures).
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: string | null;
    reconstructed?: boolean;
  };
  response: { status: number; headers: Record<string, string>; body: string; body_chunks?: string[] };
}
type Request = Interaction['request'];
type Call = (client: Replicate, params: Record<string, string>, request: Request) => Promise<unknown>;

const DIR = new URL('./fixtures/recordings/', import.meta.url);
const FILES = readdirSync(DIR).filter((name) => name.endsWith('.json'));
const load = (file: string): Interaction[] =>
  JSON.parse(readFileSync(new URL(file, DIR), 'utf8')).interactions;
const ALL = FILES.flatMap((file) =>
  load(file).map((interaction, index) => ({ file, index, ...interaction })),
);
const isSse = ({ response }: Interaction) =>
  response.headers['content-type']?.startsWith('text/event-stream');

const first = async <T>(paginator: Paginator<T>) => (await paginator.pages().next()).value;
const json = (request: Request) => JSON.parse(request.body ?? '{}') as Record<string, unknown>;
const waitOf = (prefer: string | undefined) =>
  prefer === undefined ? undefined : prefer === 'wait' ? true : Number(prefer.slice(5));

/** Every operation the recordings exercise: the schema its response must satisfy and the client call. */
const OPERATIONS: Array<{ method: string; path: RegExp; schema?: z.ZodMiniType; call: Call }> = [];
function op(method: string, template: string, schema: z.ZodMiniType | undefined, call: Call): void {
  // The optional /v1 lets the recorded 404 of `GET /collections` (an old client bug) match its operation.
  const path = new RegExp(`^(?:/v1)?${template.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`);
  OPERATIONS.push(schema ? { method, path, schema, call } : { method, path, call });
}
op('GET', '/predictions', pageSchema(predictionSchema), (r) => first(r.predictions.list()));
op('POST', '/predictions', predictionSchema, (r, _, request) => {
  const { version, input } = json(request) as { version: string; input: Record<string, unknown> };
  const wait = waitOf(request.headers.prefer);
  // Prism's reconstructed requests name an official model in `version`; the client routes those by model.
  const target = /^[^/:]+\/[^/:]+$/.test(version) ? { model: version } : { version };
  return r.predictions.create({ ...target, input, wait });
});
op('GET', '/predictions/:id', predictionSchema, (r, p) => r.predictions.get(p.id!));
op('POST', '/predictions/:id/cancel', predictionSchema, (r, p) => r.predictions.cancel(p.id!));
op('POST', '/models/:owner/:name/predictions', predictionSchema, (r, p, request) =>
  r.models.predictions.create(p.owner!, p.name!, {
    input: json(request).input as Record<string, unknown>,
    wait: waitOf(request.headers.prefer),
  }),
);
op('GET', '/models', pageSchema(modelSchema), (r) => first(r.models.list()));
op('QUERY', '/models', pageSchema(modelSchema), (r, _, request) => first(r.models.search(request.body!)));
op('POST', '/models', modelSchema, (r, _, request) => r.models.create(json(request) as never));
op('GET', '/models/:owner/:name', modelSchema, (r, p) => r.models.get(p.owner!, p.name!));
op('GET', '/models/:owner/:name/versions', pageSchema(versionSchema), (r, p) =>
  first(r.models.versions.list(p.owner!, p.name!)),
);
op('GET', '/models/:owner/:name/versions/:id', versionSchema, (r, p) =>
  r.models.versions.get(p.owner!, p.name!, p.id!),
);
op('POST', '/models/:owner/:name/versions/:id/trainings', trainingSchema, (r, p, request) => {
  const { destination, input } = json(request) as { destination: string; input: Record<string, unknown> };
  // The client refuses the recorded "<invalid>" before sending; a well-formed name still reaches the 404.
  const safe = /^[^/<>]+\/[^/<>]+$/.test(destination) ? destination : 'acme/missing';
  return r.trainings.create(p.owner!, p.name!, p.id!, { destination: safe, input });
});
op('GET', '/trainings/:id', trainingSchema, (r, p) => r.trainings.get(p.id!));
op('POST', '/trainings/:id/cancel', trainingSchema, (r, p) => r.trainings.cancel(p.id!));
op('GET', '/collections', pageSchema(collectionSummarySchema), (r) => first(r.collections.list()));
op('GET', '/collections/:slug', collectionSchema, (r, p) => r.collections.get(p.slug!));
op('GET', '/hardware', z.array(hardwareSchema), (r) => r.hardware.list());
op('POST', '/files', fileSchema, (r) => r.files.create(new Blob([], { type: 'text/plain' })));
op('GET', '/files', pageSchema(fileSchema), (r) => first(r.files.list()));
op('GET', '/files/:id', fileSchema, (r, p) => r.files.get(p.id!));
op('DELETE', '/files/:id', undefined, (r, p) => r.files.delete(p.id!));

function operation({ method, url }: Request) {
  const { pathname } = new URL(url);
  for (const candidate of OPERATIONS) {
    const match = candidate.method === method ? candidate.path.exec(pathname) : null;
    if (match) return { ...candidate, params: { ...match.groups } };
  }
  throw new Error(`No operation for ${method} ${pathname}`);
}

/**
 * What the client should hand back: the body as sent. The one exception is the 2023 training status
 * "running", the old name of "processing" (the maintainers later renamed it in the cassette).
 */
const expected = (text: string) => {
  const value = JSON.parse(text);
  return value?.status === 'running' ? { ...value, status: 'processing' } : value;
};

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
