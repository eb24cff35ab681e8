import type { AuthOption } from '../http/auth.js';
import type { LifecycleContext } from '../lifecycle/run.js';
import { anySignal } from '../lifecycle/signals.js';
import { meterCompletion, meterStream, reserveTokens } from '../policies/chat-tokens.js';
import { watchColdStarts } from '../policies/cold-start.js';
import { type ChatFallback, withFallback } from '../policies/fallback.js';
import type { Models } from '../resources/models.js';
import { type ChoiceResult, runChoice } from './choice.js';
import { type ChunkHead, chatChunks } from './chunks.js';
import { ModelInputsCache } from './model-inputs.js';
import { type ChatPlan, type ChatRequestOptions, planChat } from './plan.js';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from './types.js';
import { type FinishedChoice, finishReason, usageOf } from './usage.js';

/** Streaming parameters: the answer is an async iterable of chunks. */
export type ChatCompletionCreateParamsStreaming = ChatCompletionCreateParams & { stream: true };
/** Non-streaming parameters: the answer is one `chat.completion`. */
export type ChatCompletionCreateParamsNonStreaming = ChatCompletionCreateParams & { stream?: false | null };

/** The client's chat defaults, and the same completions with another key (for the `auth` chat option). */
export interface ChatSettings {
  fallback?: readonly ChatFallback[] | undefined;
  coldStartTimeout?: number | undefined;
  withAuth?: ((auth: AuthOption) => ChatCompletions) | undefined;
}

/**
 * OpenAI-style chat completions on Replicate's language models (`replicate.chat.completions`).
 * @example
 * const completion = await replicate.chat.completions.create({
 *   model: 'meta/meta-llama-3-8b-instruct',
 *   messages: [{ role: 'user', content: 'Say hi' }],
 *   max_tokens: 50,
 * });
 * console.log(completion.choices[0]?.message.content);
 */
export class ChatCompletions {
  readonly #context: LifecycleContext;
  readonly #inputs: ModelInputsCache;
  readonly #settings: ChatSettings;

  constructor(context: LifecycleContext, models: Models, settings: ChatSettings = {}) {
    this.#context = context;
    this.#inputs = new ModelInputsCache(models);
    this.#settings = settings;
  }

  /**
   * Create a chat completion: OpenAI's parameters mapped onto the model's own inputs (prompt template,
   * token-limit key, `stop_sequences`), answered as a `chat.completion`, or with `stream: true` as an
   * async iterable of `chat.completion.chunk` objects. `n > 1` runs n predictions in parallel.
   * @throws {UnsupportedParameterError} for `tools`, `logprobs`, image parts… unless `dropUnsupported`.
   * @throws {PredictionFailedError} when a prediction fails; the `signal.reason` on abort.
   * @example
   * const stream = await replicate.chat.completions.create({ model: 'meta/meta-llama-3-8b-instruct', messages, stream: true });
   * for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
   */
  create(
    params: ChatCompletionCreateParamsStreaming,
    options?: ChatRequestOptions,
  ): Promise<AsyncIterable<ChatCompletionChunk>>;
  create(
    params: ChatCompletionCreateParamsNonStreaming,
    options?: ChatRequestOptions,
  ): Promise<ChatCompletion>;
  create(
    params: ChatCompletionCreateParams,
    options?: ChatRequestOptions,
  ): Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>>;
  async create(
    params: ChatCompletionCreateParams,
    options: ChatRequestOptions = {},
  ): Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>> {
    const signal = options.signal ?? (params.signal as AbortSignal | undefined);
    signal?.throwIfAborted();
    const { withAuth, fallback } = this.#settings;
    if (options.auth !== undefined && withAuth) {
      return withAuth(options.auth).create(params, { ...options, auth: undefined });
    }
    const fallbacks = options.fallback === false ? [] : (options.fallback ?? fallback ?? []);
    if (fallbacks.length === 0) return this.#create(params, options, signal);
    // A fallback model gets its own template: the request's `template` was written for the model it named.
    return withFallback(params, fallbacks, signal, (attempt) =>
      this.#create(attempt, attempt === params ? options : { ...options, template: undefined }, signal),
    );
  }

  async #create(
    params: ChatCompletionCreateParams,
    options: ChatRequestOptions,
    signal: AbortSignal | undefined,
  ): Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>> {
    const plan = await planChat(params, { ...options, signal }, this.#inputs);
    const bucket = this.#context.http.gateway?.limiter?.tokens;
    const reservation = bucket && (await reserveTokens(bucket, plan, signal));
    // Our own controller stops sibling choices (one failed, a cold start, or the stream was closed early).
    const controller = new AbortController();
    const choiceSignal = signal ? anySignal([signal, controller.signal]) : controller.signal;
    const coldStart = options.coldStartTimeout ?? this.#settings.coldStartTimeout;
    const watch = coldStart === undefined ? undefined : watchColdStarts(this.#context, coldStart, controller);
    const context = watch?.context ?? this.#context;
    const choices = Array.from({ length: plan.n }, () => runChoice(context, plan, choiceSignal));
    const head: ChunkHead = { id: completionId(), created: Math.floor(Date.now() / 1000), model: plan.model };
    if (plan.stream) {
      const chunks = chatChunks(plan, head, choices, controller);
      const metered = reservation ? meterStream(chunks, reservation, plan) : chunks;
      return watch ? settled(metered, watch.clear) : metered;
    }
    const completion = complete(plan, head, choices, controller);
    const metered = reservation ? meterCompletion(completion, reservation) : completion;
    return watch ? metered.finally(watch.clear) : metered;
  }
}

/** A stream that runs `done` however it ends (finished, broken off, failed). */
async function* settled<T>(stream: AsyncIterable<T>, done: () => void): AsyncGenerator<T> {
  try {
    yield* stream;
  } finally {
    done();
  }
}

async function complete(
  plan: ChatPlan,
  head: ChunkHead,
  choices: AsyncGenerator<string, ChoiceResult>[],
  controller: AbortController,
): Promise<ChatCompletion> {
  const collect = async (choice: (typeof choices)[number]): Promise<FinishedChoice> => {
    let text = '';
    for (;;) {
      const step = await choice.next();
      if (step.done) return { ...step.value, text };
      text += step.value;
    }
  };
  let finished: FinishedChoice[];
  try {
    finished = await Promise.all(choices.map(collect));
  } catch (error) {
    // One choice failed: stop (and cancel) the others, then report the first failure.
    controller.abort(error);
    await Promise.allSettled(choices.map((choice) => choice.return(undefined as never)));
    throw error;
  }
  return {
    ...head,
    object: 'chat.completion',
    choices: finished.map((choice, index) => ({
      index,
      message: { role: 'assistant', content: choice.text, refusal: null },
      finish_reason: finishReason(plan, choice),
      logprobs: null,
    })),
    usage: usageOf(plan, finished),
    replicate: { predictions: finished.map((choice) => choice.prediction.id) },
  };
}

/** `chatcmpl-` and 24 random hex digits, like OpenAI's ids. */
function completionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `chatcmpl-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
