import { chatModelRef } from '../chat/model-inputs.js';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from '../chat/types.js';
import { ConnectionError, RateLimitError, ServerError, TimeoutError } from '../errors.js';
import { PredictionFailedError, StreamError } from '../lifecycle/errors.js';

/**
 * What a fallback function learns besides the parameters.
 * @example
 * const fallback: ChatFallbackFunction = async (params, { signal, error }) => {
 *   console.warn('falling back after', String(error));
 *   return otherProvider.chat(params, { signal });
 * };
 */
export interface FallbackContext {
  /** The caller's signal: abort your request with it. */
  signal: AbortSignal | undefined;
  /** Why the previous model failed. */
  error: unknown;
}

/**
 * An OpenAI-compatible chat function used as a fallback: it gets the request's parameters (with `stream`
 * as asked) and answers a completion, or an async iterable of chunks for a stream.
 * @example
 * const viaOpenAI: ChatFallbackFunction = (params, { signal }) =>
 *   openai.chat.completions.create({ ...params, model: 'gpt-4o-mini' } as never, { signal }) as never;
 */
export type ChatFallbackFunction = (
  params: ChatCompletionCreateParams,
  context: FallbackContext,
) => Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>>;

/**
 * A fallback: another Replicate model (any reference chat accepts), or an OpenAI-compatible function.
 * @example
 * const fallback: ChatFallback[] = ['meta/meta-llama-3-8b-instruct', (params) => openai.chat.completions.create(params) as never];
 */
export type ChatFallback = string | ChatFallbackFunction;

/**
 * Whether a failed completion is worth another model: the service failed (5xx, 429 after retries, a timeout or
 * cold start, a lost connection or stream, a failed prediction), not the request. Never after an abort.
 * @example
 * isFallbackWorthy(new ServerError('Replicate API 503: busy')); // true
 */
export function isFallbackWorthy(error: unknown): boolean {
  return (
    error instanceof ServerError ||
    error instanceof RateLimitError ||
    error instanceof TimeoutError ||
    error instanceof ConnectionError ||
    error instanceof PredictionFailedError ||
    error instanceof StreamError
  );
}

type Create = (
  params: ChatCompletionCreateParams,
) => Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>>;

/**
 * Run a chat request, then its fallbacks in order while the failures are worth it. The answer of a fallback
 * names its model (`model`) and the model it replaced (`replicate.fallbackFrom`). A stream commits to a model
 * at its first content chunk: the role chunks before it are held back, and a failure after it is thrown.
 */
export function withFallback(
  params: ChatCompletionCreateParams,
  fallbacks: readonly ChatFallback[],
  signal: AbortSignal | undefined,
  create: Create,
): Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>> {
  const attempts = [
    () => create(params),
    ...fallbacks.map(
      (target) => (error: unknown) =>
        typeof target === 'string' ? create({ ...params, model: target }) : target(params, { signal, error }),
    ),
  ];
  const from = () => chatModelRef(params.model).id;
  if (params.stream !== true) return complete(attempts, from, signal);
  return open(attempts, 0, undefined, signal).then((first) => streamed(attempts, first, from, signal));
}

type Answer = ChatCompletion | AsyncIterable<ChatCompletionChunk>;
type Attempt = (error: unknown) => Promise<Answer>;

/** Whether to give up on `error` from attempt `index` instead of trying the next one. */
function final(error: unknown, index: number, attempts: Attempt[], signal: AbortSignal | undefined) {
  return signal?.aborted || !isFallbackWorthy(error) || index >= attempts.length - 1;
}

/** The first attempt from `index` on whose request is accepted (for a stream: planned and returned). */
async function open(attempts: Attempt[], index: number, last: unknown, signal: AbortSignal | undefined) {
  for (let at = index; ; at++) {
    try {
      return { index: at, answer: await (attempts[at] as Attempt)(last) };
    } catch (error) {
      if (final(error, at, attempts, signal)) throw error;
      last = error;
    }
  }
}

async function complete(attempts: Attempt[], from: () => string, signal: AbortSignal | undefined) {
  const { index, answer } = await open(attempts, 0, undefined, signal);
  const completion = answer as ChatCompletion;
  if (index === 0) return completion;
  const predictions = completion.replicate?.predictions ?? [];
  return { ...completion, replicate: { ...completion.replicate, predictions, fallbackFrom: from() } };
}

async function* streamed(
  attempts: Attempt[],
  first: { index: number; answer: Answer },
  from: () => string,
  signal: AbortSignal | undefined,
): AsyncGenerator<ChatCompletionChunk> {
  let { index, answer } = first;
  for (;;) {
    const at = index;
    const tag = (chunk: ChatCompletionChunk) =>
      at === 0 ? chunk : { ...chunk, replicate: { fallbackFrom: from() } };
    const held: ChatCompletionChunk[] = [];
    let committed = false;
    try {
      for await (const chunk of answer as AsyncIterable<ChatCompletionChunk>) {
        if (!committed && !chunk.choices.some((c) => c.delta.content || c.finish_reason)) {
          held.push(chunk);
          continue;
        }
        if (!committed) yield* held.splice(0).map(tag);
        committed = true;
        yield tag(chunk);
      }
      yield* held.map(tag);
      return;
    } catch (error) {
      if (committed || final(error, index, attempts, signal)) throw error;
      ({ index, answer } = await open(attempts, index + 1, error, signal));
    }
  }
}
