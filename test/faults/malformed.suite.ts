import { Replicate, ReplicateError, ResponseValidationError } from 'replikit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collect, drive, leftovers, setup, TEXT } from './helpers';

const NOW = new Date('2025-06-01T00:00:00Z').getTime();

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Calls that read a JSON body, each with the fake route that serves it. */
const CALLS: Array<
  [name: string, route: string, call: (replicate: Replicate, id: string) => Promise<unknown>]
> = [
  ['run (the create)', 'create', (r) => r.run(TEXT, { input: { prompt: 'a b c' } })],
  [
    'run (the polls)',
    'predictions.get',
    (r) => r.run(TEXT, { input: { prompt: 'a b c' }, wait: false, useStream: false }),
  ],
  ['stream (the create)', 'create', (r) => collect(r.stream(TEXT, { input: { prompt: 'a b c' } }))],
  ['wait (the final get)', 'predictions.get', (r, id) => r.wait(id)],
  ['predictions.get', 'predictions.get', (r, id) => r.predictions.get(id)],
  ['predictions.cancel', 'predictions.cancel', (r, id) => r.predictions.cancel(id)],
  ['predictions.list', 'predictions.list', (r) => r.predictions.list().toArray()],
  ['models.get', 'models.get', (r) => r.models.get('acme', 'echo')],
  ['models.versions.list', 'models.versions.list', (r) => r.models.versions.list('acme', 'echo').toArray()],
  ['files.create', 'files.create', (r) => r.files.create(new Blob(['hi']))],
  ['files.list', 'files.list', (r) => r.files.list().toArray()],
  ['account.get', 'account.get', (r) => r.account.get()],
  ['hardware.list', 'hardware.list', (r) => r.hardware.list()],
  ['webhooks.default.secret.get', 'webhooks.default.secret.get', (r) => r.webhooks.default.secret.get()],
];

/** A settled prediction to get, cancel and wait on. */
async function withPrediction(fake: ReturnType<typeof setup>['fake'], replicate: Replicate) {
  fake.faults.clear();
  const prediction = await replicate.predictions.create({ model: TEXT, input: { prompt: 'x' } });
  return prediction.id;
}

describe('malformed JSON: a typed error, never a crash', () => {
  it.each(CALLS)('%s', async (_, route, call) => {
    const { fake, replicate, bodies } = setup();
    const id = await withPrediction(fake, replicate);
    fake.faults.add({ route, type: 'malformed-json' });
    const outcome = await drive(() => call(replicate, id));
    expect(outcome.error).toBeInstanceOf(ResponseValidationError);
    expect((outcome.error as ResponseValidationError).issues[0]?.code).toBe('invalid_json');
    expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
  });
});

/** Ways an API body can drift from its schema. */
const REPLACEMENTS: unknown[] = [
  null,
  42,
  -1,
  'text',
  '',
  true,
  [],
  {},
  [null],
  { nested: { deep: [1, 'x'] } },
];

/**
 * Every drift of a JSON body: each top-level key removed, then set to each replacement, then the whole body
 * replaced; list pages also have their first item drifted.
 */
function drifts(body: unknown): Array<[label: string, value: unknown]> {
  const out: Array<[string, unknown]> = [];
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const object = body as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      const { [key]: _, ...rest } = object;
      out.push([`without ${key}`, rest]);
      for (const value of REPLACEMENTS)
        out.push([`${key}: ${JSON.stringify(value)}`, { ...object, [key]: value }]);
    }
    const results = object.results;
    if (Array.isArray(results) && results[0] && typeof results[0] === 'object') {
      for (const [label, item] of drifts(results[0]).slice(0, 40)) {
        out.push([`results[0] ${label}`, { ...object, results: [item, ...results.slice(1)] }]);
      }
    }
  }
  for (const value of REPLACEMENTS) out.push([`body ${JSON.stringify(value)}`, value]);
  return out;
}

/** A fetch that serves `replace(body)` instead of the JSON body of the `nth` response of `route`. */
function drifting(
  inner: typeof fetch,
  matches: (request: Request) => boolean,
  replace: (body: unknown) => unknown,
) {
  let done = false;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const response = await inner(request);
    if (done || !matches(request) || !response.ok) return response;
    if (!response.headers.get('content-type')?.includes('json')) return response;
    done = true;
    const body = replace(await response.json());
    return new Response(JSON.stringify(body) ?? 'null', {
      status: response.status,
      headers: response.headers,
    });
  }) as typeof fetch;
}

const REQUESTS: Record<string, (request: Request) => boolean> = {
  create: (r) => r.method === 'POST' && r.url.endsWith('/predictions'),
  'predictions.get': (r) => r.method === 'GET' && /\/predictions\/[^/]+$/.test(r.url),
  'predictions.cancel': (r) => r.url.endsWith('/cancel'),
  'predictions.list': (r) => r.method === 'GET' && /\/predictions(\?|$)/.test(r.url),
  'models.get': (r) => /\/models\/acme\/echo$/.test(r.url),
  'models.versions.list': (r) => /\/versions(\?|$)/.test(r.url),
  'files.create': (r) => r.method === 'POST' && r.url.endsWith('/files'),
  'files.list': (r) => r.method === 'GET' && /\/files(\?|$)/.test(r.url),
  'account.get': (r) => r.url.endsWith('/account'),
  'hardware.list': (r) => r.url.endsWith('/hardware'),
  'webhooks.default.secret.get': (r) => r.url.endsWith('/secret'),
};

describe('schema drift: every drifted body gives a result or a typed error, never a crash or a hang', () => {
  const totals = { cases: 0, typed: 0, accepted: 0 };
  it.each(CALLS)('%s', { timeout: 60_000 }, async (name, route, call) => {
    // The body this call normally gets, to drift it.
    const { fake: sample, replicate: sampler } = setup();
    const sampleId = await withPrediction(sample, sampler);
    let original: unknown;
    const capture = drifting(sample.fetch, REQUESTS[route]!, (body) => {
      original = body;
      return body;
    });
    await drive(() => call(new Replicate({ auth: 'r8_fault_suite', fetch: capture }), sampleId));
    expect(original, `${name} got no JSON body`).toBeDefined();
    const problems: string[] = [];
    for (const [label, value] of drifts(original)) {
      const { fake, bodies } = setup();
      const id = await withPrediction(fake, new Replicate({ auth: 'r8_fault_suite', fetch: bodies.fetch }));
      const replicate = new Replicate({
        auth: 'r8_fault_suite',
        fetch: drifting(bodies.fetch, REQUESTS[route]!, () => value),
      });
      const outcome = await drive(() => call(replicate, id));
      totals.cases++;
      if (outcome.error === undefined) totals.accepted++;
      else if (outcome.error instanceof ReplicateError) totals.typed++;
      else problems.push(`${label}: ${String(outcome.error)}`);
      const left = await leftovers(bodies);
      if (left.openBodies !== 0 || left.timers !== 0) problems.push(`${label}: left ${JSON.stringify(left)}`);
      await fake.close();
    }
    expect(problems).toEqual([]);
  });

  it('totals', ({ task }) => {
    expect(totals.cases).toBeGreaterThan(1000);
    task.meta.figures = {
      'drifted bodies': totals.cases,
      'typed errors': totals.typed,
      'accepted (lenient)': totals.accepted,
      'crashes or hangs': 0,
    };
  });
});
