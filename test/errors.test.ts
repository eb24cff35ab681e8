import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PaymentRequiredError,
  RateLimitError,
  Replicate,
  ReplicateError,
  ResponseValidationError,
  ServerError,
  TimeoutError,
} from '../src/index';
import { prediction } from './helpers/fixtures';
import { BASE, calls, json, networkError, route } from './helpers/server';

const client = (timeout?: number) =>
  new Replicate({ auth: 'r8_errors', baseUrl: BASE, maxRetries: 0, ...(timeout ? { timeout } : {}) });
const get = (timeout?: number) =>
  client(timeout)
    .predictions.get('abc')
    .then(
      () => expect.unreachable('the call should have failed'),
      (error: unknown) => error,
    );
const recorded = (file: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/recordings/${file}`, import.meta.url), 'utf8')).interactions[0]
    .response.body as string;
/** A response as Replicate sends errors: problem+json, its rate-limit headers and a request id. */
const reply = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, {
    status,
    headers: {
      'content-type': 'application/problem+json',
      'ratelimit-remaining': '2999',
      'x-request-id': `req_${status}`,
      ...headers,
    },
  });

type ErrorClass = new (...args: never[]) => ApiError;
const CREDIT =
  'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit.';
// Bodies: recorded (401, 404), quoted from Replicate's docs and issues (402, 429, 500), or, where no
// real body is known (400, 403, 409), the problem shape Replicate uses.
const CASES: Array<[number, ErrorClass, string]> = [
  [400, InvalidRequestError, '{"title":"Bad request","detail":"Malformed JSON","status":400}'],
  [401, AuthenticationError, recorded('replicate-python__run-without-token__2023-10-05.json')],
  [402, PaymentRequiredError, JSON.stringify({ title: 'Insufficient credit', detail: CREDIT })],
  [403, AuthenticationError, '{"title":"Forbidden","detail":"You do not have access to this model"}'],
  [404, NotFoundError, recorded('replicate-python__trainings-create__invalid-destination__2023-08-16.json')],
  [409, ApiError, '{"title":"Conflict","detail":"The deployment is still running","status":409}'],
  [429, RateLimitError, '{"detail":"Request was throttled. Expected available in 1 second."}'],
  [500, ServerError, '{"detail":"Internal server error"}'],
];

describe('HTTP errors through the client', () => {
  it.each(CASES)('%i → %o', async (status, Class, body) => {
    const want = JSON.parse(body);
    route('GET', '/predictions/abc', reply(status, body, { 'retry-after': '1' }));
    const error = (await get()) as ApiError;
    expect(error).toBeInstanceOf(Class);
    expect([error instanceof ApiError, error instanceof ReplicateError, error instanceof Error]).toEqual([
      true,
      true,
      true,
    ]);
    expect(error.name).toBe(Class.name);
    expect(error.status).toBe(status);
    expect(error.title).toBe(want.title);
    expect(error.detail).toBe(want.detail);
    expect(error.message).toBe(`Replicate API ${status}: ${want.detail}`);
    expect(String(error)).toBe(`${Class.name}: Replicate API ${status}: ${want.detail}`);
    expect(error.problem).toEqual(JSON.parse(body));
    expect(error.requestId).toBe(`req_${status}`);
    expect(error.headers.get('ratelimit-remaining')).toBe('2999');
    expect(error.invalidFields).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('separates the subclasses: a 404 is not an AuthenticationError, a 401 not a NotFoundError', async () => {
    route('GET', '/predictions/abc', reply(404, '{"detail":"Not found."}'));
    const error = await get();
    for (const Other of [InvalidRequestError, AuthenticationError, RateLimitError, ServerError]) {
      expect(error).not.toBeInstanceOf(Other);
    }
  });

  it('gives a 422 its invalid fields (the body of Replicate changelog 2024-05-01)', async () => {
    const invalid_fields = [
      { type: 'required', field: '', description: 'input is required' },
      {
        type: 'additional_property_not_allowed',
        field: '',
        description: 'Additional property inptu is not allowed',
      },
    ];
    route(
      'GET',
      '/predictions/abc',
      reply(422, JSON.stringify({ detail: '- input is required', invalid_fields })),
    );
    const error = (await get()) as InvalidRequestError;
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.status).toBe(422);
    expect(error.invalidFields).toEqual(invalid_fields);
    expect(error.message).toBe('Replicate API 422: - input is required');
  });

  it('reads retryAfter in seconds from a 429, or an HTTP-date', async () => {
    route('GET', '/predictions/abc', reply(429, '{"detail":"Slow down"}', { 'retry-after': '30' }));
    expect(((await get()) as RateLimitError).retryAfter).toBe(30);
    const at = new Date(Date.now() + 90_000).toUTCString();
    route('GET', '/predictions/abc', reply(429, '{"detail":"Slow down"}', { 'retry-after': at }));
    expect(((await get()) as RateLimitError).retryAfter).toBeOneOf([89, 90]);
    route('GET', '/predictions/abc', reply(429, '{"detail":"Slow down"}'));
    expect(((await get()) as RateLimitError).retryAfter).toBeUndefined();
  });

  it('falls back to the title, then to the status, for the message', async () => {
    route('GET', '/predictions/abc', reply(503, '{"title":"Service Unavailable"}'));
    expect(((await get()) as ServerError).message).toBe('Replicate API 503: Service Unavailable');
    route('GET', '/predictions/abc', new Response(null, { status: 502 }));
    const empty = (await get()) as ServerError;
    expect([empty.message, empty.problem, empty.requestId]).toEqual([
      'Replicate API 502: HTTP 502',
      undefined,
      undefined,
    ]);
  });

  it('uses cf-ray as the request id when there is no x-request-id', async () => {
    route(
      'GET',
      '/predictions/abc',
      new Response('{"detail":"x"}', { status: 500, headers: { 'cf-ray': '8a1b2c3d4e5f-SJC' } }),
    );
    expect(((await get()) as ServerError).requestId).toBe('8a1b2c3d4e5f-SJC');
  });

  it("turns the load balancer's recorded plain-text 404 into a NotFoundError with its text", async () => {
    const body = 'response 404 (backend NotFound), service rules for the path non-existent\n';
    route(
      'GET',
      '/predictions/abc',
      new Response(body, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
    );
    const error = (await get()) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.detail).toBe(body.trim());
    expect(error.title).toBeUndefined();
  });

  it('turns an HTML 404 sent as application/json into a NotFoundError with the page text', async () => {
    const html =
      '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>' +
      '<p>The requested URL was not found on this server.</p></body></html>';
    route(
      'GET',
      '/predictions/abc',
      new Response(html, { status: 404, headers: { 'content-type': 'application/json; charset=utf-8' } }),
    );
    const error = (await get()) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.detail).toBe('404 Not Found Not Found The requested URL was not found on this server.');
    expect(error.message).not.toContain('<');
  });
});

describe('errors without an HTTP error status', () => {
  it('ConnectionError: no response, with the network failure as cause', async () => {
    route('GET', '/predictions/abc', networkError());
    const error = (await get()) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toBeInstanceOf(ReplicateError);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error.name).toBe('ConnectionError');
    expect(error.message).toMatch(/^Could not reach Replicate: \S/);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('ConnectionError: the connection drops while the body is read', async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":"abc",'));
        controller.error(new Error('socket hang up'));
      },
    });
    // A fetch of our own: msw would surface the broken body as a failed fetch, before the client reads it.
    const fetch = async () => new Response(body, { headers: { 'content-type': 'application/json' } });
    const error = (await new Replicate({ auth: 'r8_errors', baseUrl: BASE, maxRetries: 0, fetch }).predictions
      .get('abc')
      .catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe('The connection closed while reading the response body.');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('TimeoutError: the attempt took longer than the timeout', async () => {
    route('GET', '/predictions/abc', async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return json(prediction({ id: 'abc' }));
    });
    const error = (await get(50)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ReplicateError);
    expect(error).not.toBeInstanceOf(ApiError);
    expect([error.name, error.timeout, error.message]).toEqual([
      'TimeoutError',
      50,
      'The request timed out after 50 ms.',
    ]);
  });

  it('ResponseValidationError: a 200 body of the wrong shape, with issues and the raw value', async () => {
    const value = { ...prediction({ id: undefined, status: 'queued' }), webhook_completed: null };
    route('GET', '/predictions/abc', json(value));
    const error = (await get()) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toBeInstanceOf(ReplicateError);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error.name).toBe('ResponseValidationError');
    expect(error.issues.map((issue) => [issue.code, issue.path])).toEqual([
      ['invalid_type', ['id']],
      ['invalid_value', ['status']],
    ]);
    expect(error.value).toEqual(JSON.parse(JSON.stringify(value)));
    expect(error.message).toMatch(/^Unexpected response shape for \/predictions\/abc: id: .+; status: .+/);
  });

  it('ResponseValidationError: a 200 body that is not JSON keeps the text', async () => {
    route(
      'GET',
      '/predictions/abc',
      new Response('<html>maintenance</html>', { headers: { 'content-type': 'text/html' } }),
    );
    const error = (await get()) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.issues).toEqual([{ code: 'invalid_json', path: [], message: 'Body is not valid JSON' }]);
    expect(error.value).toBe('<html>maintenance</html>');
    expect(error.message).toBe('Replicate returned a body that is not JSON for /predictions/abc.');
  });
});
