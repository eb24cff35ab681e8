import type { SingleAuth } from './http/auth.js';
import { type ClientOptions, HttpClient } from './http/core.js';
import { invalid } from './identifiers.js';
import { type LifecycleContext, type RunOptions, runPrediction } from './lifecycle/run.js';
import type { PredictionEvent } from './lifecycle/stream.js';
import { type StreamOptions, streamPrediction } from './lifecycle/stream-run.js';
import { type WaitOptions, waitForPrediction } from './lifecycle/wait.js';
import { hasPolicies, type PolicyOptions } from './policies/options.js';
import { CoreFiles } from './resources/files.js';
import { CorePredictions } from './resources/predictions.js';
import type { Prediction } from './schemas/prediction.js';

/** Options of `new ReplicateCore()`: those of `new Replicate()` without the policies and `onUsage`, and one key. */
export type ReplicateCoreOptions = Omit<ClientOptions, keyof PolicyOptions | 'auth' | 'onUsage'> & {
  /**
   * API token, or a function returning one per request. Key pools need `Replicate`.
   * @default process.env.REPLICATE_API_TOKEN, read on the first request
   */
  auth?: SingleAuth | undefined;
};

/** Each client's lifecycle context, for `Replicate`, which adds to the core. Never exported from the package. */
const contexts = new WeakMap<ReplicateCore, LifecycleContext>();
/**
 * An HTTP core handed to the next client constructed: by `Replicate` to its `super` (a core with its policies),
 * and by `withAuth` to the `Replicate` it makes (a core sharing its parent's limits).
 */
let handed: HttpClient | undefined;

/** Internal: have the next client constructed use `http`; returns `options`, for `new C(…)` or `super(…)`. */
export function handOver<T>(options: T, http: HttpClient): T {
  handed = http;
  return options;
}

/** Internal: the HTTP core handed over for the client being constructed, if any; taken once. */
export function takeHanded(): HttpClient | undefined {
  const http = handed;
  handed = undefined;
  return http;
}

/** Internal: the lifecycle context (HTTP core, predictions, files, usage) of a client. */
export function contextOf(client: ReplicateCore): LifecycleContext {
  return contexts.get(client)!;
}

/**
 * The Replicate client for tight bundles (edge functions, browsers): `run`, `stream`, `wait` and creating,
 * getting and canceling predictions and uploading files, without chat, the catalog resources (models,
 * deployments, trainings…), listing, `onUsage` or the policies (rate limits, key pools, hooks) that `Replicate`
 * adds: about half its bundle size; see README "Size".
 * Construction does no I/O and reads no environment.
 * @example
 * import { ReplicateCore } from 'replikit';
 * const replicate = new ReplicateCore(); // REPLICATE_API_TOKEN from the environment
 * const [url] = await replicate.run('black-forest-labs/flux-schnell', { input: { prompt: 'a fox' } });
 */
export class ReplicateCore {
  /** Create, get and cancel predictions (`Replicate`'s also lists them). */
  readonly predictions: CorePredictions;
  /** Upload files (`Replicate`'s also lists, gets, deletes and downloads them). */
  readonly files: CoreFiles;

  constructor(options: ReplicateCoreOptions = {}) {
    const http = takeHanded() ?? new HttpClient(checkCoreOptions(options));
    const { predictions, files } = this.resources(http);
    this.predictions = predictions;
    this.files = files;
    contexts.set(this, { http, predictions: this.predictions, files: this.files });
  }

  /** Internal: the resources of a client; `Replicate`'s can list and manage (a method, so the core's bundle leaves them out). */
  protected resources(http: HttpClient): { predictions: CorePredictions; files: CoreFiles } {
    return { predictions: new CorePredictions(http), files: new CoreFiles(http) };
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
    return (await runPrediction<Output, Input>(contextOf(this), ref, options)).output as Output;
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
    return runPrediction<Output, Input>(contextOf(this), ref, options);
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
    return streamPrediction(contextOf(this), ref, options);
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
    const context = contextOf(this);
    const current =
      typeof prediction === 'string'
        ? await this.predictions.get(prediction, { signal: options?.signal })
        : prediction;
    const final = await waitForPrediction(context.http, this.predictions, current, options);
    context.usage?.done(final, startedAt);
    return final as Prediction<Output>;
  }

  /** The API base URL requests go to. */
  get baseUrl(): string {
    return contextOf(this).http.baseUrl;
  }
}

/** Policy options given to the core (from JavaScript, or through a cast) would be silently ignored: refuse them. */
function checkCoreOptions(options: ReplicateCoreOptions): ClientOptions {
  const all = options as ClientOptions;
  if (hasPolicies(all) || all.fallback !== undefined || all.coldStartTimeout !== undefined || all.onUsage) {
    throw invalid('options', 'ReplicateCore has no policies, fallback or onUsage: use `Replicate` for them.');
  }
  return all;
}
