import type { ChatRequestOptions } from '../chat/plan.js';
import type { ChatCompletionChunk, ChatCompletionCreateParams } from '../chat/types.js';
import type { Replicate } from '../client.js';
import { openAIError, toOpenAIError } from './errors.js';

/** Options of `createOpenAIHandler` and `createOpenAIFetch`. */
export interface OpenAIHandlerOptions
  extends Pick<ChatRequestOptions, 'dropUnsupported' | 'template' | 'fetchSchema'> {
  /**
   * Model ids listed by `GET /v1/models` (any model can be called; this is only the listing).
   * @default the official chat models replikit knows built in
   */
  models?: readonly string[] | undefined;
  /**
   * The path prefix of the OpenAI routes.
   * @default '/v1'
   */
  basePath?: string | undefined;
}

/** The official chat models whose input schemas replikit knows without a request. */
const DEFAULT_MODELS = [
  'meta/meta-llama-3-70b-instruct',
  'meta/meta-llama-3-8b-instruct',
  'meta/meta-llama-3.1-405b-instruct',
  'meta/llama-2-70b-chat',
  'mistralai/mixtral-8x7b-instruct-v0.1',
  'mistralai/mistral-7b-instruct-v0.2',
  'ibm-granite/granite-3.1-8b-instruct',
];

type Handler = (request: Request) => Promise<Response>;

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function errorResponse(error: unknown): Response {
  const { status, body, headers } = toOpenAIError(error);
  return json(body, status, headers);
}

/**
 * Serve OpenAI's wire format from a Replicate client: `POST /v1/chat/completions` (JSON, or SSE ending
 * with `data: [DONE]`), `GET /v1/models`, and OpenAI-shaped errors for everything else (embeddings are
 * not offered by Replicate). A `(Request) => Promise<Response>`, so it runs as an edge function as is.
 * @example
 * import { Replicate } from 'replikit';
 * import { createOpenAIHandler } from 'replikit/openai';
 * export default { fetch: createOpenAIHandler(new Replicate()) };
 */
export function createOpenAIHandler(replicate: Replicate, options: OpenAIHandlerOptions = {}): Handler {
  const base = (options.basePath ?? '/v1').replace(/\/+$/, '');
  const models = options.models ?? DEFAULT_MODELS;
  const chatOptions = {
    dropUnsupported: options.dropUnsupported,
    template: options.template,
    fetchSchema: options.fetchSchema,
  };
  return async (request) => {
    const path = new URL(request.url).pathname;
    const route = path.startsWith(`${base}/`) ? path.slice(base.length) : undefined;
    if (route === '/chat/completions') {
      if (request.method !== 'POST') return methodNotAllowed(request.method, path);
      return chatCompletion(replicate, request, chatOptions);
    }
    if (route === '/models' && request.method === 'GET') {
      return json({ object: 'list', data: models.map(modelObject) });
    }
    if (route?.startsWith('/models/') && request.method === 'GET') {
      const id = decodeURIComponent(route.slice('/models/'.length));
      if (models.includes(id)) return json(modelObject(id));
      return json(
        openAIError(
          `The model '${id}' is not listed by this server.`,
          'invalid_request_error',
          'model_not_found',
        ),
        404,
      );
    }
    if (route === '/embeddings') {
      const message =
        'Replicate does not offer an embeddings endpoint; use an embedding model through run() instead.';
      return json(openAIError(message, 'invalid_request_error', 'unsupported_endpoint'), 400);
    }
    return json(
      openAIError(`Unknown route: ${request.method} ${path}`, 'invalid_request_error', 'unknown_url'),
      404,
    );
  };
}

/**
 * The OpenAI handler as a `fetch`: give it to the official SDK and it talks to Replicate in-process.
 * @example
 * import OpenAI from 'openai';
 * const openai = new OpenAI({ apiKey: 'unused', baseURL: 'https://replicate.invalid/v1', fetch: createOpenAIFetch(replicate) });
 */
export function createOpenAIFetch(replicate: Replicate, options: OpenAIHandlerOptions = {}): typeof fetch {
  const handler = createOpenAIHandler(replicate, options);
  return (input, init) => handler(new Request(input, init));
}

function modelObject(id: string) {
  return { id, object: 'model', created: 0, owned_by: id.split('/')[0] ?? 'replicate' };
}

function methodNotAllowed(method: string, path: string): Response {
  return json(
    openAIError(`Method ${method} is not allowed on ${path}.`, 'invalid_request_error', 'method_not_allowed'),
    405,
    {
      allow: 'POST',
    },
  );
}

async function chatCompletion(
  replicate: Replicate,
  request: Request,
  options: ChatRequestOptions,
): Promise<Response> {
  let params: ChatCompletionCreateParams;
  try {
    params = (await request.json()) as ChatCompletionCreateParams;
  } catch {
    return json(openAIError('The request body is not valid JSON.', 'invalid_request_error'), 400);
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    return json(openAIError('The request body must be a JSON object.', 'invalid_request_error'), 400);
  }
  try {
    const result = await replicate.chat.completions.create(params, { ...options, signal: request.signal });
    if (Symbol.asyncIterator in result) return eventStream(result);
    return json(result);
  } catch (error) {
    return errorResponse(error);
  }
}

/** Chunks as server-sent events; an error after the first byte becomes an `error` event, as OpenAI sends it. */
function eventStream(chunks: AsyncIterable<ChatCompletionChunk>): Response {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const step = await iterator.next();
        if (step.done) {
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(step.value)}\n\n`));
      } catch (error) {
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`));
        controller.close();
      }
    },
    async cancel() {
      // The client went away: closing the iterator cancels the predictions still running.
      await iterator.return?.();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
  });
}
