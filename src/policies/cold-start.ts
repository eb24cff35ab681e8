import { TimeoutError } from '../errors.js';
import type { LifecycleContext } from '../lifecycle/run.js';
import { CorePredictions, type PredictionCreateParams } from '../resources/predictions.js';
import type { Prediction } from '../schemas/prediction.js';

/**
 * A chat prediction stayed `starting` (its model booting) past `coldStartTimeout`; it was canceled. A
 * `TimeoutError`, so chat fallbacks move on to the next model.
 * @example
 * try { await replicate.chat.completions.create(params, { coldStartTimeout: 10_000 }); }
 * catch (error) { if (error instanceof ColdStartTimeoutError) console.log(error.predictionId, 'was still booting'); }
 */
export class ColdStartTimeoutError extends TimeoutError {
  override name = 'ColdStartTimeoutError';
  /** The prediction that was still `starting` (and is canceled). */
  readonly predictionId: string;

  constructor(predictionId: string, timeout: number) {
    super(`Prediction ${predictionId} was still starting (cold model) after ${timeout} ms.`, timeout);
    this.predictionId = predictionId;
  }
}

/**
 * Predictions that report each create, with `Prefer: wait` shortened to the deadline so that a held-open
 * create cannot outlast it.
 */
class WatchedPredictions extends CorePredictions {
  readonly #onCreate: (prediction: Prediction, startedAt: number) => void;
  readonly #maxWait: number;

  constructor(context: LifecycleContext, maxWait: number, onCreate: (p: Prediction, at: number) => void) {
    super(context.http);
    this.#maxWait = maxWait;
    this.#onCreate = onCreate;
  }

  override async create<Output = unknown, Input = Record<string, unknown>>(
    params: PredictionCreateParams<Input>,
  ): Promise<Prediction<Output>> {
    const startedAt = Date.now();
    const wait = params.wait === true ? 60 : params.wait;
    const capped = typeof wait === 'number' ? Math.min(wait, this.#maxWait) : wait;
    const prediction = await super.create<Output, Input>({ ...params, wait: capped } as typeof params);
    this.#onCreate(prediction, startedAt);
    return prediction;
  }
}

/**
 * A lifecycle context whose predictions are checked `timeout` ms after their create was sent: one still
 * `starting` aborts `controller` with `ColdStartTimeoutError` (the chat choice then cancels it). `clear`
 * stops every pending check; call it when the completion ends.
 */
export function watchColdStarts(
  context: LifecycleContext,
  timeout: number,
  controller: AbortController,
): { context: LifecycleContext; clear: () => void } {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const onCreate = (prediction: Prediction, startedAt: number) => {
    if (prediction.status !== 'starting' || controller.signal.aborted) return;
    const timer = setTimeout(
      async () => {
        timers.delete(timer);
        const current = await predictions
          .get(prediction.id, { signal: controller.signal })
          .catch(() => undefined);
        if (current?.status === 'starting' && !controller.signal.aborted) {
          controller.abort(new ColdStartTimeoutError(prediction.id, timeout));
        }
      },
      Math.max(0, startedAt + timeout - Date.now()),
    );
    timers.add(timer);
  };
  const predictions = new WatchedPredictions(context, Math.max(1, Math.floor(timeout / 1000)), onCreate);
  return {
    context: { ...context, predictions },
    clear: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
