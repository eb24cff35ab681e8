import { calls, json, route } from './server';

/** How the fake language model answers. */
export interface ChatModelScript {
  /** `owner/name` served at `/models/owner/name/predictions`. */
  model?: string;
  /** Output tokens of each prediction (by its index, 0-based, in creation order). */
  tokens?: (index: number) => string[];
  /** `metrics` of the final prediction; `null` for none. */
  metrics?: Record<string, number> | null;
  /** Serve `urls.stream` (true) or answer the create with the whole output (false). */
  streaming?: boolean;
  /** Final status. */
  status?: 'succeeded' | 'failed';
}

const STREAM = 'https://stream.replicate.com/v1/streams';

/** The prediction JSON of the fake model. */
function predictionJson(
  id: string,
  model: string,
  status: string,
  output: string[] | null,
  metrics: unknown,
) {
  return {
    id,
    model,
    version: 'hidden',
    input: {},
    output,
    logs: '',
    error: status === 'failed' ? 'CUDA out of memory' : null,
    status,
    created_at: '2024-07-01T10:00:00.000Z',
    ...(metrics ? { metrics } : {}),
    urls: {
      get: `https://api.replicate.com/v1/predictions/${id}`,
      cancel: `https://api.replicate.com/v1/predictions/${id}/cancel`,
      stream: `${STREAM}/${id}`,
    },
  };
}

/** Server-sent events of a token stream ending with `done`. */
export function sse(tokens: string[], end = 'event: done\ndata: {}\n\n'): string {
  return tokens.map((token, i) => `event: output\nid: ${i + 1}\ndata: ${token}\n\n`).join('') + end;
}

/**
 * A fake Replicate language model on msw: creates, the event stream, the final GET and cancel.
 * Returns the create bodies it received, in order.
 */
export function chatModel(script: ChatModelScript = {}): {
  inputs: () => Array<Record<string, unknown>>;
  canceled: () => string[];
} {
  const model = script.model ?? 'meta/meta-llama-3-8b-instruct';
  const tokens = script.tokens ?? (() => ['Hello', ' there', '!']);
  const metrics =
    script.metrics === undefined
      ? { input_token_count: 21, output_token_count: 3, predict_time: 0.4 }
      : script.metrics;
  const status = script.status ?? 'succeeded';
  let count = 0;
  const ids = new Map<string, number>();
  route('POST', `/models/${model}/predictions`, () => {
    const index = count++;
    const id = `pred${index}`;
    ids.set(id, index);
    if (script.streaming === false)
      return json(predictionJson(id, model, status, tokens(index), metrics), { status: 201 });
    return json(predictionJson(id, model, 'starting', null, null), { status: 201 });
  });
  route('GET', `${STREAM}/:id`, ({ url }) => {
    const id = new URL(url).pathname.split('/').pop()!;
    const body =
      status === 'failed'
        ? sse([], 'event: error\ndata: {"detail":"CUDA out of memory"}\n\n')
        : sse(tokens(ids.get(id)!));
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  });
  route('GET', '/predictions/:id', ({ url }) => {
    const id = new URL(url).pathname.split('/').pop()!;
    return json(predictionJson(id, model, status, tokens(ids.get(id)!), metrics));
  });
  route('POST', '/predictions/:id/cancel', ({ url }) => {
    const id = new URL(url).pathname.split('/').at(-2)!;
    return json(predictionJson(id, model, 'canceled', null, null));
  });
  return {
    inputs: () =>
      calls
        .filter(
          (call) => call.method === 'POST' && call.url.pathname.endsWith(`/models/${model}/predictions`),
        )
        .map((call) => (JSON.parse(call.body) as { input: Record<string, unknown> }).input),
    canceled: () =>
      calls
        .filter((call) => call.url.pathname.endsWith('/cancel'))
        .map((call) => call.url.pathname.split('/').at(-2)!),
  };
}
