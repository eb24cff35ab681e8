import { Replicate } from 'replikit';
import { createOpenAIHandler } from 'replikit/openai';
import { describe, expect, it } from 'vitest';
import { chatModel } from '../helpers/chat-model';
import { problem, route } from '../helpers/server';

const handler = (options = {}) => createOpenAIHandler(new Replicate({ auth: 'r8_test' }), options);
const post = (path: string, body: unknown) =>
  new Request(`https://gateway.test${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const chat = { model: 'meta/meta-llama-3-8b-instruct', messages: [{ role: 'user', content: 'Hi' }] };

describe('createOpenAIHandler', () => {
  it('answers POST /v1/chat/completions with a chat.completion', async () => {
    chatModel();
    const response = await handler()(post('/v1/chat/completions', chat));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = await response.json();
    expect(body).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { content: 'Hello there!' } }],
    });
  });

  it('streams server-sent events ending with data: [DONE]', async () => {
    chatModel();
    const response = await handler()(post('/v1/chat/completions', { ...chat, stream: true }));
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello there!');
  });

  it('lists the configured models', async () => {
    const response = await handler({ models: ['meta/meta-llama-3-8b-instruct'] })(
      new Request('https://gateway.test/v1/models'),
    );
    expect(await response.json()).toEqual({
      object: 'list',
      data: [{ id: 'meta/meta-llama-3-8b-instruct', object: 'model', created: 0, owned_by: 'meta' }],
    });
    const one = await handler()(new Request('https://gateway.test/v1/models/meta/llama-2-70b-chat'));
    expect(await one.json()).toMatchObject({ id: 'meta/llama-2-70b-chat', object: 'model' });
  });

  it.each([
    ['POST', '/v1/embeddings', 400, 'unsupported_endpoint', /no.*embeddings|not offer an embeddings/],
    ['GET', '/v1/nothing', 404, 'unknown_url', /Unknown route/],
    ['GET', '/v1/chat/completions', 405, 'method_not_allowed', /not allowed/],
    ['GET', '/v1/models/acme/unknown', 404, 'model_not_found', /not listed/],
  ])('%s %s → %i in OpenAI error shape', async (method, path, status, code, message) => {
    const response = await handler()(
      new Request(`https://gateway.test${path}`, { method, body: method === 'POST' ? '{}' : null }),
    );
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
    expect(body.error).toHaveProperty('type');
    expect(body.error).toHaveProperty('param');
  });

  it('rejects a body that is not JSON or not an object', async () => {
    for (const body of ['{nope', '[1]']) {
      const response = await handler()(post('/v1/chat/completions', body));
      expect(response.status).toBe(400);
      expect((await response.json()).error.type).toBe('invalid_request_error');
    }
  });

  it.each([
    [
      422,
      { title: 'Input validation failed', detail: 'prompt is required', status: 422 },
      {},
      422,
      'invalid_request_error',
    ],
    [
      401,
      { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 },
      {},
      401,
      'authentication_error',
    ],
    [
      402,
      { title: 'Insufficient credit', detail: 'You have insufficient credit', status: 402 },
      {},
      402,
      'insufficient_quota',
    ],
    [
      404,
      { title: 'Not found', detail: 'The requested resource could not be found.', status: 404 },
      {},
      404,
      'invalid_request_error',
    ],
    [
      429,
      { title: 'Request was throttled', detail: 'Expected available in 3 seconds.', status: 429 },
      { 'retry-after': '3' },
      429,
      'rate_limit_error',
    ],
  ])(
    'translates a Replicate %i into an OpenAI error',
    async (replicateStatus, body, headers, status, type) => {
      route(
        'POST',
        '/models/meta/meta-llama-3-8b-instruct/predictions',
        problem(replicateStatus, body, headers),
      );
      const replicate = new Replicate({ auth: 'r8_test', maxRetries: 0 });
      const response = await createOpenAIHandler(replicate)(post('/v1/chat/completions', chat));
      expect(response.status).toBe(status);
      const error = (await response.json()).error;
      expect(error.type).toBe(type);
      expect(error.message).toContain(body.detail);
      if (status === 429) expect(response.headers.get('retry-after')).toBe('3');
    },
  );

  it('a failed prediction is a 500 the SDKs are told not to retry', async () => {
    chatModel({ streaming: false, status: 'failed' });
    const response = await handler()(post('/v1/chat/completions', chat));
    expect(response.status).toBe(500);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect((await response.json()).error).toMatchObject({ type: 'server_error', code: 'prediction_failed' });
  });

  it('an unsupported parameter is a 400 naming it', async () => {
    const response = await handler()(
      post('/v1/chat/completions', { ...chat, tools: [{ type: 'function' }] }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ param: 'tools', code: 'unsupported_parameter' });
  });

  it('an error in the middle of a stream becomes an error event', async () => {
    chatModel({ status: 'failed' });
    const response = await handler()(post('/v1/chat/completions', { ...chat, stream: true }));
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(JSON.parse(events.at(-1)!.slice('data: '.length))).toMatchObject({
      error: { code: 'prediction_failed' },
    });
  });
});
