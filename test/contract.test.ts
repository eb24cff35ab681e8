import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Replicate } from '../src/index';
import { fixture } from './helpers/fixtures';
import {
  matchOperations,
  type Operation,
  operation,
  operations,
  parameter,
  parameterErrors,
  pathParameters,
  requestBodyErrors,
  responseErrors,
  spec,
} from './helpers/openapi';
import { BASE, calls, json, type RecordedCall, route } from './helpers/server';

/**
 * The client against Replicate's own OpenAPI file: every operation is driven through `Replicate`, msw records
 * the request, and the method, path, query, headers and body are validated against the spec with ajv.
 */

import { CASES_A, type ContractCase as Case, VERSION } from './helpers/contract-cases-a';
import { CASES_B } from './helpers/contract-cases-b';

const client = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const cases: Case[] = [...CASES_A, ...CASES_B];

function reply(c: Case): Response {
  if (c.body) return json(fixture(`api/${c.body}.json`), { status: c.status });
  if (c.raw) return new Response(c.raw.text, { status: c.status, headers: { 'content-type': c.raw.type } });
  return new Response(null, { status: c.status });
}

/** `Cancel-After` grammar from the parameter's description (the spec gives no pattern): seconds, >= 5. */
function cancelAfterSeconds(value: string): number | undefined {
  const match = /^(?:(\d+)|(?=\d)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?)$/.exec(value);
  if (!match) return undefined;
  const [, bare, h = '0', m = '0', s = '0'] = match;
  return bare !== undefined ? Number(bare) : Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** The multipart body as the spec's object: file parts as their text, `metadata` parsed as JSON. */
async function multipartObject(call: RecordedCall): Promise<Record<string, unknown>> {
  const form = await new Response(call.body, {
    headers: { 'content-type': call.headers.get('content-type') ?? '' },
  }).formData();
  const object: Record<string, unknown> = {};
  for (const [key, value] of form) {
    const text = typeof value === 'string' ? value : await value.text();
    object[key] = key === 'metadata' ? JSON.parse(text) : text;
  }
  return object;
}

/** Every contract violation of one recorded request, as readable strings (empty when it conforms). */
async function violations(call: RecordedCall, op: Operation): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(pathParameters(op, call.url))) {
    const param = parameter(op, 'path', name);
    if (!param) problems.push(`path parameter ${name} is not declared`);
    else problems.push(...parameterErrors(param, value).map((e) => `path ${name}: ${e}`));
  }
  for (const [name, value] of call.url.searchParams) {
    const param = parameter(op, 'query', name);
    if (!param) problems.push(`query parameter ${name} is not declared`);
    else problems.push(...parameterErrors(param, value).map((e) => `query ${name}: ${e}`));
  }
  for (const param of op.parameters.filter((p) => p.required && p.in === 'query')) {
    if (!call.url.searchParams.has(param.name)) problems.push(`required query ${param.name} missing`);
  }
  for (const name of ['prefer', 'cancel-after']) {
    const value = call.headers.get(name);
    if (value === null) continue;
    const param = parameter(op, 'header', name);
    if (!param) {
      problems.push(`header ${name} sent to an operation that does not declare it`);
      continue;
    }
    problems.push(...parameterErrors(param, value).map((e) => `header ${name}: ${e}`));
    if (name === 'cancel-after' && !((cancelAfterSeconds(value) ?? 0) >= 5)) {
      problems.push(`header cancel-after ${value} is not a duration of at least 5 s`);
    }
  }
  const mediaType = call.headers.get('content-type')?.split(';')[0]?.trim();
  if (!op.requestBody) {
    if (call.body !== '') problems.push(`body sent to ${op.id}, which takes none`);
    return problems;
  }
  if (!mediaType || !op.requestBody.content[mediaType]) {
    problems.push(
      `content-type ${mediaType} is not one of ${Object.keys(op.requestBody.content).join(', ')}`,
    );
    return problems;
  }
  const value =
    mediaType === 'application/json'
      ? JSON.parse(call.body)
      : mediaType === 'multipart/form-data'
        ? await multipartObject(call)
        : call.body;
  problems.push(...requestBodyErrors(op, mediaType, value).map((e) => `body: ${e}`));
  return problems;
}

describe('contract with replicate-openapi.json', () => {
  it('has the 37 operations the client must reach, and the cases drive every one', () => {
    expect(operations).toHaveLength(37);
    expect(new Set(cases.map((c) => c.operationId))).toEqual(new Set(operations.map((op) => op.id)));
  });

  it.each(cases.map((c) => [`${c.operationId}: ${c.name}`, c] as const))('%s', async (_, c) => {
    const op = operation(c.operationId);
    route(op.method, op.mswPath, reply(c));
    await c.call(client());
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(matchOperations(call.method, call.url).map((match) => match.id)).toEqual([c.operationId]);
    expect(await violations(call, op)).toEqual([]);
    // A request with a body must say what it is; the spec's bodies are all one media type per operation.
    if (op.requestBody?.required) expect(call.body).not.toBe('');
  });
});

describe('the checks have teeth', () => {
  const create = operation('predictions.create');

  it('rejects a stray top-level key in a prediction request (additionalProperties: false)', () => {
    expect(requestBodyErrors(create, 'application/json', { version: VERSION, input: {} })).toEqual([]);
    expect(
      requestBodyErrors(create, 'application/json', { version: VERSION, input: {}, webhook_completed: 'x' }),
    ).toEqual(['(root) must NOT have additional properties']);
    expect(
      requestBodyErrors(operation('models.predictions.create'), 'application/json', {
        input: {},
        version: VERSION,
      }),
    ).toEqual(['(root) must NOT have additional properties']);
  });

  it('rejects an unknown webhook event and a missing input', () => {
    expect(
      requestBodyErrors(create, 'application/json', {
        version: VERSION,
        input: {},
        webhook_events_filter: ['done'],
      }),
    ).toEqual(['/webhook_events_filter/0 must be equal to one of the allowed values']);
    expect(requestBodyErrors(create, 'application/json', { version: VERSION })).toEqual([
      "(root) must have required property 'input'",
    ]);
  });

  it('checks Prefer against the spec pattern and Cancel-After against its grammar', () => {
    const prefer = parameter(create, 'header', 'Prefer')!;
    expect(parameterErrors(prefer, 'wait')).toEqual([]);
    expect(parameterErrors(prefer, 'wait=60')).toEqual([]);
    expect(parameterErrors(prefer, 'wait=0')).toHaveLength(1);
    expect(parameterErrors(prefer, 'wait=1.5')).toHaveLength(1);
    expect(parameterErrors(prefer, 'respond-async')).toHaveLength(1);
    expect(cancelAfterSeconds('1h30m45s')).toBe(5445);
    expect(cancelAfterSeconds('30')).toBe(30);
    expect(cancelAfterSeconds('')).toBeUndefined();
    expect(cancelAfterSeconds('5 m')).toBeUndefined();
  });

  it('flags a query parameter outside its schema and a header the operation does not take', async () => {
    const search = operation('search');
    route('GET', '/search', json(fixture('api/search.json')));
    await fetch(`${BASE}/search?query=x&limit=51&page=2`, { headers: { prefer: 'wait' } });
    expect(await violations(calls[0]!, search)).toEqual([
      'query limit: (root) must be <= 50',
      'query parameter page is not declared',
      'header prefer sent to an operation that does not declare it',
    ]);
  });

  it('flags a stray body key, a short Cancel-After and a multipart body without `content`', async () => {
    route('POST', '/predictions', json(fixture('api/prediction-create-version.json'), { status: 201 }));
    route('POST', '/files', json(fixture('api/file-create.json'), { status: 201 }));
    await fetch(`${BASE}/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cancel-after': '4s' },
      body: JSON.stringify({
        version: VERSION,
        input: {},
        stream: true,
        webhook_completed: 'https://x.test',
      }),
    });
    const form = new FormData();
    form.append('filename', 'a.txt');
    await fetch(`${BASE}/files`, { method: 'POST', body: form });
    expect(await violations(calls[0]!, create)).toEqual([
      'header cancel-after 4s is not a duration of at least 5 s',
      'body: (root) must NOT have additional properties',
    ]);
    expect(await violations(calls[1]!, operation('files.create'))).toEqual([
      "body: (root) must have required property 'content'",
    ]);
  });

  it('matches each request to exactly one path template', () => {
    const ids = (method: string, path: string) =>
      matchOperations(method, new URL(`${BASE}${path}`)).map((op) => op.id);
    expect(ids('QUERY', '/models')).toEqual(['models.search']);
    expect(ids('GET', '/models/a/b/readme')).toEqual(['models.readme.get']);
    expect(ids('DELETE', '/models/a/b/versions/c')).toEqual(['models.versions.delete']);
    expect(ids('POST', '/models/a/b/versions/c/trainings')).toEqual(['trainings.create']);
    expect(ids('GET', '/models/a')).toEqual([]);
    expect(ids('PUT', '/models/a/b')).toEqual([]);
  });
});

/**
 * Where the recorded bodies differ from the spec. Each entry is a known, explained difference: the client's
 * schemas accept these shapes, and a new difference fails the test.
 */
const RESPONSE_DRIFT: Record<string, string[]> = {
  // Recorded 2024-04: create responses had no output/data_removed yet, and urls.web only exists since 2025.
  'prediction-create-version': [
    "(root) must have required property 'output'",
    "(root) must have required property 'data_removed'",
    "/urls must have required property 'web'",
  ],
  'prediction-create-model-wait': ["/urls must have required property 'web'"],
  // Spec bug: version is oneOf [string, enum "hidden"], so "hidden" matches both branches and fails oneOf.
  'prediction-get-flux': ['/version must match exactly one schema in oneOf'],
  'model-examples': ['/results/0/version must match exactly one schema in oneOf'],
  // The older serializer (sorted keys) sends logs: null and no data_removed.
  'prediction-cancel': [
    "(root) must have required property 'data_removed'",
    '/logs must be string',
    "/urls must have required property 'web'",
  ],
  'predictions-list': [0, 1].flatMap((i) => [
    `/results/${i} must have required property 'model'`,
    `/results/${i} must have required property 'data_removed'`,
    `/results/${i}/urls must have required property 'web'`,
  ]),
  // A canceled training has output: null and logs: null; the spec says object and string.
  'training-cancel': ['/logs must be string', '/output must be object'],
};

describe('response fixtures against the spec', () => {
  const seen = new Set<string>();
  const fixtures = cases.filter((c) => c.body && !seen.has(c.body) && seen.add(c.body));

  it.each(fixtures.map((c) => [`${c.body} (${c.operationId} ${c.status})`, c] as const))('%s', (_, c) => {
    const errors = responseErrors(operation(c.operationId), c.status, fixture(`api/${c.body}.json`));
    expect(errors).toEqual(RESPONSE_DRIFT[c.body!] ?? []);
  });

  it('the readme is text/plain and the download application/octet-stream, as the spec declares', () => {
    const readme = operation('models.readme.get').responses['200']?.content;
    const download = operation('files.download').responses['200']?.content;
    expect(Object.keys(readme ?? {})).toEqual(['text/plain']);
    expect(Object.keys(download ?? {})).toEqual(['application/octet-stream']);
    expect(readFileSync(new URL('./fixtures/api/readme.md', import.meta.url), 'utf8')).toMatch(/^# /);
    expect((spec.info as { version: string }).version).toBe('1.0.0-a1');
  });
});
