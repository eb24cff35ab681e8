import { cancelAfterHeader, preferHeader } from '../durations.js';
import { type FileEncoding, prepareInput } from '../files/inputs.js';
import { wrapFileOutputs } from '../files/output.js';
import type { HttpClient } from '../http/core.js';
import { checkWebhookEvents, checkWebhookUrl, invalid, parseModelRef } from '../identifiers.js';
import type { CoreFiles } from '../resources/files.js';
import type { CorePredictions, CreateOptions, PredictionCreateParams } from '../resources/predictions.js';
import { isTerminal, type Prediction } from '../schemas/prediction.js';
import type { UsageReporter } from '../usage.js';
import { throwUnlessSucceeded } from './errors.js';
import { raceAbort, withDeadline } from './signals.js';
import { cancelQuietly, type WaitOptions, waitForPrediction } from './wait.js';

/** What `run`, `runPrediction` and `stream` need from the client. */
export interface LifecycleContext {
  http: HttpClient;
  predictions: CorePredictions;
  files: CoreFiles;
  /** Reports each finished prediction to `onUsage`; absent without one, and always in `ReplicateCore`. */
  usage?: UsageReporter | undefined;
}

/** Options of `replicate.run()`. */
export interface RunOptions<Input = Record<string, unknown>>
  extends Omit<CreateOptions, 'timeout' | 'signal'>,
    Omit<WaitOptions, 'cancelOnAbort'> {
  /** The model's input. Files (`Blob`, `File`, `ArrayBuffer`, typed arrays, `ReadableStream`) anywhere in it are sent as URLs. */
  input: Input;
  /**
   * Seconds the create request holds for the result (`Prefer: wait`), 1..60, or `false` to return at once and wait separately.
   * @default 60
   */
  wait?: number | boolean;
  /**
   * Total time for the whole run in ms; on expiry the prediction is canceled and the call rejects with `TimeoutError`.
   * @default no limit
   */
  timeout?: number | undefined;
  /**
   * How file inputs are sent: uploaded to the files API, or inlined as data URIs (small files).
   * @default 'upload'
   */
  fileEncoding?: FileEncoding;
  /**
   * Return file outputs as `FileOutput` objects (lazy download); `false` keeps them as URL strings.
   * @default true
   */
  fileOutput?: boolean;
}

/**
 * Create a prediction with `Prefer: wait`, keep waiting until it is terminal, and return it if it
 * succeeded. Aborts and timeouts at any stage cancel the prediction (best effort) and reject with
 * `signal.reason` / `TimeoutError`; a pre-aborted signal creates nothing.
 */
export async function runPrediction<Output, Input>(
  context: LifecycleContext,
  ref: string,
  options: RunOptions<Input>,
): Promise<Prediction<Output>> {
  parseModelRef(ref); // a bad reference fails here, before any upload
  checkCreateOptions(options);
  // Called only after the create: a wrong one must fail before a prediction exists.
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw invalid('onProgress', 'onProgress must be a function.');
  }
  options.signal?.throwIfAborted();
  const startedAt = Date.now();
  const deadline = withDeadline(options.signal, options.timeout, `Running ${ref}`);
  const signal = deadline.signal;
  try {
    const input = await raceAbort(prepareRunInput(context, options, signal), signal);
    const created = await createUnlessAborted(
      context.predictions,
      { ...createParams(options), model: ref, input },
      signal,
    );
    const final = await waitForPrediction(context.http, context.predictions, created, {
      ...options,
      signal,
      timeout: undefined,
      cancelOnAbort: true,
    });
    context.usage?.done(final, startedAt, ref);
    throwUnlessSucceeded(final);
    if (options.fileOutput === false) return final as Prediction<Output>;
    return { ...final, output: wrapFileOutputs(final.output, context.http) } as Prediction<Output>;
  } finally {
    deadline.clear();
  }
}

/**
 * Validate what the create will send (`wait`, `cancelAfter`, webhook) before any upload: a bad option must
 * fail before files are uploaded for a prediction that is never created.
 */
export function checkCreateOptions(options: Omit<CreateOptions, 'timeout' | 'signal'>): void {
  preferHeader(options.wait);
  if (options.cancelAfter !== undefined) cancelAfterHeader(options.cancelAfter);
  if (options.webhook !== undefined) checkWebhookUrl(options.webhook);
  if (options.webhookEventsFilter) checkWebhookEvents(options.webhookEventsFilter);
}

/** The create options `run` forwards (no signal: `createUnlessAborted` handles aborts itself). */
function createParams(
  options: RunOptions<unknown>,
): Omit<PredictionCreateParams, 'model' | 'version' | 'deployment' | 'input'> {
  const { wait = 60, cancelAfter, webhook, webhookEventsFilter } = options;
  return { wait, cancelAfter, webhook, webhookEventsFilter };
}

/** The input of a create: its files uploaded with `files.create` (or inlined, per `fileEncoding`). */
export async function prepareRunInput(
  context: LifecycleContext,
  options: { input: unknown; fileEncoding?: FileEncoding | undefined },
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown>> {
  const input = await prepareInput(options.input, {
    fileEncoding: options.fileEncoding,
    upload: async (blob) => (await context.files.create(blob, { signal })).urls.get,
  });
  return input as Record<string, unknown>;
}

/**
 * Create, but if `signal` aborts while the create is in flight, reject at once and cancel the
 * prediction as soon as its id is known: aborting the request itself would leave it running unseen.
 * Queued for the rate limit or waiting to retry a 429, nothing is in flight: the abort ends it there.
 */
export async function createUnlessAborted(
  predictions: CorePredictions,
  params: PredictionCreateParams,
  signal: AbortSignal | undefined,
): Promise<Prediction> {
  const creating = predictions.create(params, { stopSignal: signal });
  try {
    return await raceAbort(creating, signal);
  } catch (error) {
    if (signal?.aborted) {
      creating
        .then((prediction) =>
          isTerminal(prediction.status) ? undefined : cancelQuietly(predictions, prediction.id),
        )
        .catch(() => {});
    }
    throw error;
  }
}
