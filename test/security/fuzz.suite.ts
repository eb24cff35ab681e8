import { Replicate, ReplicateError } from 'replikit';
import { createFakeReplicate, textModel } from 'replikit/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../src/testing/random';
import { collect, realTurns, trackBodies } from '../faults/helpers';

/**
 * Seeded fuzzing of what callers and servers hand the client: model references, inputs, options, and the
 * bytes of event streams. Every case must end (within a bound of fake time and of requests) in a result or
 * a typed `ReplicateError`, never an untyped error, a hang, a busy loop or a leak.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 4_242);
const NOW = new Date('2025-06-01T00:00:00Z').getTime();
/** More requests than this for one call is a busy loop. */
const MAX_REQUESTS = 200;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * `typed`: a ReplicateError. `refused`: another error (a TypeError for a value outside the option's type)
 * thrown before any request was sent. `own`: the caller's own exception (a throwing getter or stream),
 * passed through unchanged. Anything else is a failure.
 */
type Verdict = 'ok' | 'typed' | 'refused' | 'own' | { untyped: string } | 'hang' | 'busy' | 'leak';

/** Messages of the exceptions the generated inputs throw themselves. */
const OWN = new Set(['getter', 'toJSON', 'proxy', 'read']);

/** Build a fresh fake and client, run `call`, and classify how it ended. */
async function trial(
  call: (replicate: Replicate) => Promise<unknown>,
  options: { client?: Record<string, unknown>; stream?: (connection: number) => Uint8Array[] } = {},
): Promise<{ verdict: Verdict; paths: string[] }> {
  const fake = createFakeReplicate({
    presets: false,
    rateLimit: false,
    models: {
      'acme/echo': textModel({
        respond: (input) => String(input.prompt ?? 'none'),
        tokenDelay: 0,
        startDelay: 0,
      }),
      'acme/slow': textModel({ respond: 'slow', tokenDelay: 0, startDelay: 5_000 }),
    },
  });
  const paths: string[] = [];
  let connections = 0;
  const serve = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (options.stream && new URL(request.url).pathname.startsWith('/v1/streams/')) {
      const chunks = options.stream(connections++);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    }
    return fake.fetch(request);
  }) as typeof globalThis.fetch;
  const bodies = trackBodies(serve);
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    paths.push(`${request.method} ${new URL(request.url).pathname}`);
    if (paths.length > MAX_REQUESTS) throw new Error('busy loop');
    return bodies.fetch(request);
  }) as typeof globalThis.fetch;
  let verdict: Verdict | undefined;
  let replicate: Replicate;
  try {
    replicate = new Replicate({ auth: 'r8_fuzz', fetch, ...options.client });
  } catch (error) {
    // Thrown by the constructor: nothing was sent.
    return { verdict: error instanceof ReplicateError ? 'typed' : 'refused', paths };
  }
  let settled = false;
  (async () => {
    try {
      await call(replicate);
      verdict = 'ok';
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      const overflow = error instanceof RangeError && /call stack/.test(message);
      verdict =
        message === 'busy loop'
          ? 'busy'
          : error instanceof ReplicateError
            ? 'typed'
            : OWN.has(message)
              ? 'own'
              : paths.length === 0 && !overflow
                ? 'refused'
                : { untyped: `${summarize(error)}${paths.length ? ` after ${paths.length} requests` : ''}` };
      if (error instanceof Error) classes.set(error.name, (classes.get(error.name) ?? 0) + 1);
    } finally {
      settled = true;
    }
  })();
  for (let spent = 0; !settled && spent < 30 * 60_000; spent += 5_000) {
    await realTurns();
    await vi.advanceTimersByTimeAsync(5_000);
  }
  if (!settled) verdict = 'hang';
  if (paths.length > MAX_REQUESTS) verdict = 'busy';
  await vi.advanceTimersByTimeAsync(120_000);
  if (typeof verdict === 'string' && ['ok', 'typed', 'refused', 'own'].includes(verdict)) {
    if (vi.getTimerCount() !== 0 || bodies.open !== 0) verdict = 'leak';
  }
  await fake.close();
  vi.clearAllTimers();
  return { verdict: verdict ?? 'hang', paths };
}

function summarize(value: unknown): string {
  return value instanceof Error
    ? `${value.name}: ${value.message.slice(0, 160)}`
    : String(value).slice(0, 160);
}

/** Error classes seen across every trial, for the figures. */
const classes = new Map<string, number>();
const outcomes = { ok: 0, typed: 0, refused: 0, own: 0 };

function tally(results: Array<{ label: string; verdict: Verdict }>) {
  const bad: string[] = [];
  for (const { label, verdict } of results) {
    if (verdict === 'ok' || verdict === 'typed' || verdict === 'refused' || verdict === 'own')
      outcomes[verdict]++;
    else bad.push(`${label} → ${typeof verdict === 'string' ? verdict : `untyped ${verdict.untyped}`}`);
  }
  return { bad };
}

const random = seededRandom(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
const chars = [...'acmeECHO019/:._-~ %?#@\\\'"<>\u0000\n\t\u00e9\u4e2d\ud83e\udd99/../..'];
const randomText = (max: number) => Array.from({ length: int(max) }, () => pick(chars)).join('');

function modelRefs(count: number): string[] {
  const valid = [
    'acme/echo',
    'acme/slow',
    'deployments/acme/echo',
    `acme/echo:${'a'.repeat(64)}`,
    'b'.repeat(64),
  ];
  const refs: string[] = [
    '',
    ' ',
    '/',
    'acme/',
    '/echo',
    'acme//echo',
    'acme/echo/',
    'acme/echo/predictions',
    'acme/../account',
    '../../account',
    'acme/..',
    'acme/.',
    'deployments/acme',
    'deployments/acme/echo/extra',
    'acme/echo:',
    `acme/echo:${'A'.repeat(64)}`,
    `acme/echo:${'a'.repeat(63)}`,
    'acme/echo?x=1',
    'acme/echo#frag',
    'acme%2Fecho',
    'acme/echo%2F..%2F..',
    'acme/echo\n',
    ' acme/echo',
    'https://evil.example/acme/echo',
    'acme/é',
    'acme/🦙',
    'x'.repeat(10_000),
    `${'a'.repeat(5_000)}/${'b'.repeat(5_000)}`,
  ];
  while (refs.length < count) {
    const base = pick(valid);
    const at = int(base.length + 1);
    refs.push(
      pick([
        () => base.slice(0, at) + randomText(4) + base.slice(at),
        () => base.slice(0, at) + base.slice(at + 1 + int(3)),
        () => randomText(40),
        () => base.toUpperCase(),
        () => `${randomText(8)}/${randomText(8)}`,
      ])(),
    );
  }
  return refs;
}

/** Input values a caller might pass, sane and not. */
function inputs(count: number): Array<[string, () => unknown]> {
  const cyclic = (): unknown => {
    const a: Record<string, unknown> = { prompt: 'x' };
    a.self = a;
    return a;
  };
  const deep = (depth: number): unknown => {
    let value: unknown = 'leaf';
    for (let index = 0; index < depth; index++) value = { nested: value };
    return value;
  };
  const cases: Array<[string, () => unknown]> = [
    ['empty object', () => ({})],
    ['null', () => null],
    ['undefined', () => undefined],
    ['a string', () => 'prompt'],
    ['a number', () => 42],
    ['an array', () => ['a', 'b']],
    ['a cyclic object', cyclic],
    ['a BigInt', () => ({ prompt: 'x', n: 10n })],
    ['a symbol', () => ({ prompt: 'x', s: Symbol('s') })],
    ['a function', () => ({ prompt: 'x', f: () => 1 })],
    ['NaN and Infinity', () => ({ prompt: 'x', a: Number.NaN, b: Number.POSITIVE_INFINITY })],
    [
      'a Date, a Map, a Set, a RegExp',
      () => ({ prompt: 'x', d: new Date(0), m: new Map([[1, 2]]), s: new Set([1]), r: /x/ }),
    ],
    [
      'a getter that throws',
      () => ({
        prompt: 'x',
        get boom() {
          throw new Error('getter');
        },
      }),
    ],
    [
      'a toJSON that throws',
      () => ({
        prompt: 'x',
        v: {
          toJSON() {
            throw new Error('toJSON');
          },
        },
      }),
    ],
    [
      'a Proxy that throws',
      () =>
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('proxy');
            },
          },
        ),
    ],
    ['a __proto__ key', () => JSON.parse('{"prompt":"x","__proto__":{"polluted":true}}')],
    ['a 1 MB prompt', () => ({ prompt: 'x'.repeat(1_000_000) })],
    ['nesting 200 deep', () => ({ prompt: 'x', deep: deep(200) })],
    ['nesting 20,000 deep', () => ({ prompt: 'x', deep: deep(20_000) })],
    // biome-ignore lint/suspicious/noSparseArray: a hole is the point of this case
    ['a sparse array', () => ({ prompt: 'x', list: [1, , 3] })],
    ['lone surrogates', () => ({ prompt: '\ud800x\udfff' })],
    ['a NUL byte', () => ({ prompt: 'a\u0000b' })],
    ['a nested Blob', () => ({ prompt: 'x', files: [{ file: new Blob(['hi']) }] })],
    ['an empty Blob', () => ({ prompt: 'x', file: new Blob([]) })],
    ['a typed array', () => ({ prompt: 'x', bytes: new Uint8Array([1, 2, 3]) })],
    [
      'a ReadableStream that errors',
      () => ({
        prompt: 'x',
        file: new ReadableStream({
          start(c) {
            c.error(new Error('read'));
          },
        }),
      }),
    ],
    ['a class instance', () => ({ prompt: 'x', at: new URL('https://example.com') })],
  ];
  while (cases.length < count) {
    const value = randomJson(4);
    cases.push([`random ${JSON.stringify(value).slice(0, 40)}`, () => value]);
  }
  return cases;
}

function randomJson(depth: number): unknown {
  const kind = int(depth > 0 ? 7 : 4);
  if (kind === 0) return randomText(20);
  if (kind === 1) return pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1]);
  if (kind === 2) return pick([true, false, null]);
  if (kind === 3) return randomText(3);
  if (kind === 4) return Array.from({ length: int(4) }, () => randomJson(depth - 1));
  return Object.fromEntries(Array.from({ length: int(4) }, () => [randomText(6), randomJson(depth - 1)]));
}

/** Option values to try, for each option of run and of the client. */
const ODD = [
  undefined,
  null,
  0,
  -1,
  0.5,
  61,
  1e12,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  '5m',
  'x',
  true,
  false,
  [],
  {},
  'https://evil.example/',
  '\r\nX-Injected: 1',
];
const RUN_OPTIONS = [
  'wait',
  'cancelAfter',
  'webhook',
  'webhookEventsFilter',
  'timeout',
  'pollInterval',
  'maxPollInterval',
  'useStream',
  'fileEncoding',
  'fileOutput',
  'signal',
  'onProgress',
];
const STREAM_OPTIONS = [
  'cancelAfter',
  'maxReconnects',
  'reconnectDelay',
  'cancelOnBreak',
  'fallback',
  'signal',
];
const CLIENT_OPTIONS = ['maxRetries', 'timeout', 'maxRetryAfter', 'userAgent', 'baseUrl', 'auth'];

/** Event-stream bodies built from real fragments and garbage, split at random byte offsets. */
function sseBodies(): (connection: number) => Uint8Array[] {
  const encoder = new TextEncoder();
  const fragments = [
    () =>
      `event: output\nid: ${pick(['1:0', '1:1', '2:0', '0:0', 'x', '', '9999999999999:1'])}\ndata: ${randomText(8)}\n\n`,
    () => `data: ${randomText(10)}\n`,
    () => `event: ${pick(['logs', 'output', 'error', 'done', 'unknown', ''])}\n`,
    () => `id: ${randomText(5)}\n`,
    () => `retry: ${pick(['0', '-1', 'abc', '99999999999'])}\n`,
    () => ': comment\n',
    () => '\r\n',
    () => '\n\n',
    () => 'event: done\ndata: {}\n\n',
    () => `event: error\ndata: ${pick(['{"detail":"boom"}', 'not json', ''])}\n\n`,
    () => `event: done\ndata: ${pick(['{"reason":"canceled"}', '[', '"x"', 'null'])}\n\n`,
    () => `data: ${'y'.repeat(pick([0, 10, 70_000]))}\n\n`,
    () => randomText(12),
  ];
  return () => {
    const text = Array.from({ length: int(12) }, () => pick(fragments)()).join('');
    const bytes = encoder.encode(text);
    const raw = random() < 0.1 ? new Uint8Array([...bytes, 0xff, 0xfe, 0xc3]) : bytes; // invalid UTF-8 tail
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < raw.length; ) {
      const size = 1 + int(64);
      chunks.push(raw.slice(at, at + size));
      at += size;
    }
    return chunks;
  };
}

describe('fuzzed input: a result or a typed error, never a hang, a busy loop or an untyped error', () => {
  const figures: Record<string, number> = {};

  it('model references', { timeout: 120_000 }, async () => {
    const results = [];
    const endpoints: string[] = [];
    for (const ref of modelRefs(300)) {
      const { verdict, paths } = await trial((r) => r.run(ref, { input: { prompt: 'x' }, wait: false }));
      results.push({ label: JSON.stringify(ref.slice(0, 60)), verdict });
      for (const path of paths) {
        if (
          !/^POST \/v1\/(models\/[^/]+\/[^/]+|deployments\/[^/]+\/[^/]+)?\/?predictions$|^(GET|POST) \/v1\/predictions\/[a-z0-9]+(\/cancel)?$|^GET \/v1\/streams\//.test(
            path,
          )
        ) {
          endpoints.push(`${JSON.stringify(ref)} reached ${path}`);
        }
      }
    }
    const { bad } = tally(results);
    expect(bad).toEqual([]);
    expect(endpoints).toEqual([]);
    figures['model references'] = results.length;
  });

  it('inputs', { timeout: 120_000 }, async () => {
    const results = [];
    for (const [label, value] of inputs(200)) {
      for (const kind of ['run', 'stream'] as const) {
        const { verdict } = await trial((r) =>
          kind === 'run'
            ? r.run('acme/echo', { input: value() as Record<string, unknown> })
            : collect(r.stream('acme/echo', { input: value() as Record<string, unknown> })),
        );
        results.push({ label: `${kind}: ${label}`, verdict });
      }
    }
    const { bad } = tally(results);
    expect(bad).toEqual([]);
    figures.inputs = results.length;
  });

  it('options of run, stream and the client', { timeout: 120_000 }, async () => {
    const results = [];
    for (const value of ODD) {
      for (const option of RUN_OPTIONS) {
        const { verdict } = await trial((r) => r.run('acme/slow', { input: {}, [option]: value } as never));
        results.push({ label: `run ${option}: ${JSON.stringify(value)}`, verdict });
      }
      for (const option of STREAM_OPTIONS) {
        const { verdict } = await trial((r) =>
          collect(r.stream('acme/echo', { input: {}, [option]: value } as never)),
        );
        results.push({ label: `stream ${option}: ${JSON.stringify(value)}`, verdict });
      }
      for (const option of CLIENT_OPTIONS) {
        const { verdict } = await trial((r) => r.run('acme/echo', { input: {} }), {
          client: { [option]: value },
        });
        results.push({ label: `client ${option}: ${JSON.stringify(value)}`, verdict });
      }
    }
    const { bad } = tally(results);
    expect(bad).toEqual([]);
    figures.options = results.length;
  });

  it('event-stream bytes', { timeout: 120_000 }, async () => {
    const results = [];
    for (let index = 0; index < 400; index++) {
      const seen = new Set<string>();
      let duplicate = false;
      const { verdict } = await trial(
        async (r) => {
          for await (const event of r.stream('acme/echo', { input: { prompt: 'x' } })) {
            if (event.id && event.type !== 'done') {
              if (seen.has(event.id)) duplicate = true;
              seen.add(event.id);
            }
          }
        },
        { stream: sseBodies() },
      );
      results.push({
        label: `stream #${index}`,
        verdict: duplicate ? ({ untyped: 'an event id delivered twice' } as Verdict) : verdict,
      });
    }
    const { bad } = tally(results);
    expect(bad).toEqual([]);
    figures['event-stream bodies'] = results.length;
  });

  it('totals', ({ task }) => {
    task.meta.figures = {
      seed: String(SEED),
      ...figures,
      'a result': outcomes.ok,
      'a ReplicateError': outcomes.typed,
      'refused before any request (a value outside the type)': outcomes.refused,
      "the caller's own exception, unchanged": outcomes.own,
      'error classes': [...classes]
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${n}`)
        .join(', '),
      'untyped errors, hangs, busy loops, leaks': 0,
    };
  });
});
