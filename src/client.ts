import { ChatCompletions } from './chat/completions';
import type { AuthOption } from './http/auth';
import { type ClientOptions, HttpClient } from './http/core';
import { type LifecycleContext, type RunOptions, runPrediction } from './lifecycle/run';
import type { PredictionEvent } from './lifecycle/stream';
import { type StreamOptions, streamPrediction } from './lifecycle/stream-run';
import { type WaitOptions, waitForPrediction } from './lifecycle/wait';
import {
  AccountResource,
  Collections,
  HardwareResource,
  type SearchParams,
  SearchResource,
  WebhooksResource,
} from './resources/catalog';
import { Deployments } from './resources/deployments';
import { Files } from './resources/files';
import { Models } from './resources/models';
import { Predictions } from './resources/predictions';
import { Trainings } from './resources/trainings';
import type { Prediction } from './schemas/prediction';
import type { SearchResult } from './schemas/search';
import { usageReporter } from './usage';

/** Options of `new Replicate()`. */
export type ReplicateOptions = ClientOptions;

/** Handed from `withAuth` to the constructor it calls (synchronously), so the new client shares the HTTP core. */
let sharedHttp: HttpClient | undefined;

/**
 * The Replicate API client. Construction does no I/O and reads no environment: the token is resolved on
 * the first request, so the client can be built at module scope in edge runtimes.
 * @example
 * import { Replicate } from 'replikit';
 * const replicate = new Replicate(); // REPLICATE_API_TOKEN from the environment
 * const prediction = await replicate.predictions.create({ model: 'black-forest-labs/flux-schnell', input: { prompt: 'a fox' }, wait: 60 });
 */
export class Replicate {
  /** Create, get, cancel and list predictions. */
  readonly predictions: Predictions;
  /** Models, versions, README, examples, legacy search. */
  readonly models: Models;
  /** Deployments and their predictions. */
  readonly deployments: Deployments;
  /** Trainings (fine-tunes). */
  readonly trainings: Trainings;
  /** Curated collections of models. */
  readonly collections: Collections;
  /** Hardware SKUs. */
  readonly hardware: HardwareResource;
  /** The token's account. */
  readonly account: AccountResource;
  /** Uploaded files. */
  readonly files: Files;
  /** The default webhook signing secret. */
  readonly webhooks: WebhooksResource;
  /** OpenAI-style chat completions on Replicate's language models. */
  readonly chat: { readonly completions: ChatCompletions };
  readonly #http: HttpClient;
  readonly #search: SearchResource;
  readonly #lifecycle: LifecycleContext;
  readonly #options: ReplicateOptions;

  constructor(options: ReplicateOptions = {}) {
    const http = sharedHttp ?? new HttpClient(options);
    sharedHttp = undefined;
    this.#options = options;
    this.#http = http;
    this.predictions = new Predictions(http);
    this.models = new Models(http, this.predictions);
    this.deployments = new Deployments(http, this.predictions);
    this.trainings = new Trainings(http);
    this.collections = new Collections(http);
    this.hardware = new HardwareResource(http);
    this.account = new AccountResource(http);
    this.files = new Files(http);
    this.webhooks = new WebhooksResource(http);
    this.#search = new SearchResource(http);
    this.#lifecycle = {
      http,
      predictions: this.predictions,
      files: this.files,
      usage: usageReporter(options.onUsage),
    };
    const { fallback, coldStartTimeout } = options;
    const withAuth = (auth: AuthOption) => this.withAuth(auth).chat.completions;
    this.chat = {
      completions: new ChatCompletions(this.#lifecycle, this.models, {
        fallback,
        coldStartTimeout,
        withAuth,
      }),
    };
  }

  /**
   * A client whose every request uses `auth` (a key or a pool) instead of `auth` and `authByModel`: a per-request
   * key, e.g. each tenant's own. It shares this client's rate limits, hooks and other options. Cheap to make.
   * @example
   * const output = await replicate.withAuth(tenant.replicateKey).run('black-forest-labs/flux-schnell', { input });
   */
  withAuth(auth: AuthOption): Replicate {
    sharedHttp = this.#http.withAuth(auth);
    try {
      return new Replicate(this.#options);
    } finally {
      sharedHttp = undefined;
    }
  }

  /**
   * Run a model and return its output: creates the prediction with `Prefer: wait` (60 s), then keeps
   * waiting (event stream, else polling with backoff) until it is terminal.
   * @throws {PredictionFailedError} when the prediction fails (with its `error` and `logs`).
   * @throws {PredictionCanceledError} when it is canceled or aborted (e.g. by `cancelAfter`).
   * @throws the `signal.reason` on abort, or `TimeoutError` after `timeout`; the prediction is canceled either way.
   * @example
   * const output = await replicate.run('black-forest-labs/flux-schnell', { input: { prompt: 'a red fox' } });
   */
  async run<Output = unknown, Input = Record<string, unknown>>(
    ref: string,
    options: RunOptions<Input>,
  ): Promise<Output> {
    return (await runPrediction<Output, Input>(this.#lifecycle, ref, options)).output as Output;
  }

  /**
   * Like `run`, but resolves with the whole succeeded prediction (id, metrics for cost, logs, output).
   * @example
   * const prediction = await replicate.runPrediction('meta/meta-llama-3-8b-instruct', { input: { prompt: 'Hi' } });
   * console.log(prediction.metrics?.output_token_count);
   */
  runPrediction<Output = unknown, Input = Record<string, unknown>>(
    ref: string,
    options: RunOptions<Input>,
  ): Promise<Prediction<Output>> {
    return runPrediction<Output, Input>(this.#lifecycle, ref, options);
  }

  /**
   * Run a model and yield its server-sent events (`output`, `logs`, `done`) as they arrive.
   * @throws {StreamError} on an `error` event, a model that does not stream, or a stream that keeps dropping.
   * @example
   * for await (const event of replicate.stream('meta/meta-llama-3-8b-instruct', { input: { prompt: 'Tell a joke' } })) {
   *   if (event.type === 'output') process.stdout.write(event.data);
   * }
   */
  stream<Input = Record<string, unknown>>(
    ref: string,
    options: StreamOptions<Input>,
  ): AsyncGenerator<PredictionEvent, void, undefined> {
    return streamPrediction(this.#lifecycle, ref, options);
  }

  /**
   * Wait until a prediction is terminal and return it (any terminal status: check `status`).
   * @example
   * const prediction = await replicate.predictions.create({ model: 'acme/slow-model', input: {} });
   * const done = await replicate.wait(prediction, { timeout: 600_000 });
   */
  async wait<Output = unknown>(
    prediction: Prediction | string,
    options?: WaitOptions,
  ): Promise<Prediction<Output>> {
    const startedAt = Date.now();
    const current =
      typeof prediction === 'string'
        ? await this.predictions.get(prediction, { signal: options?.signal })
        : prediction;
    const final = await waitForPrediction(this.#http, this.predictions, current, options);
    this.#lifecycle.usage?.(final, startedAt);
    return final as Prediction<Output>;
  }

  /** The API base URL requests go to. */
  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /**
   * Search models, collections and docs (`GET /search`).
   * @example
   * const { models } = await replicate.search('upscale images', { limit: 5 });
   */
  search(query: string, params?: SearchParams): Promise<SearchResult> {
    return this.#search.run(query, params);
  }
}
