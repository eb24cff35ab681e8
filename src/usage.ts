import type { HttpClient } from './http/core.js';
import { waitForPrediction } from './lifecycle/wait.js';
import type { CorePredictions } from './resources/predictions.js';
import { isTerminal, type Prediction, type PredictionStatus } from './schemas/prediction.js';

/**
 * What one finished prediction used, as `onUsage` receives it. Quantities come from `metrics` as the API
 * reports them; there is no cost here, so the price table stays out of the core bundle: wrap your callback
 * in `withCost` from `replikit/pricing` to add one.
 */
export interface PredictionUsage {
  /** `owner/name` of the model that ran (`prediction.model`), else the reference the call was made with. */
  model: string;
  /** The prediction's id. */
  predictionId: string;
  /** Its terminal status: `succeeded`, `failed`, `canceled` or `aborted`. */
  status: PredictionStatus;
  /** `metrics.input_token_count`, reported by official language models. */
  inputTokens?: number;
  /** `metrics.output_token_count`, reported by official language models. */
  outputTokens?: number;
  /** `metrics.image_count`, reported by official image models. */
  imageCount?: number;
  /** `metrics.predict_time` in seconds: the active time per-second billing counts. */
  predictTime?: number;
  /** Wall-clock milliseconds from the start of the call (before any upload) until the final state was known. */
  latencyMs: number;
  /** The final prediction as the API returned it (file outputs are URL strings, not `FileOutput`s). */
  prediction: Prediction;
}

/**
 * Receives the usage of each finished prediction. It may return a promise, which is not awaited. Whatever it
 * throws or rejects with is swallowed: a logging hook never breaks a run (catch inside it to see its errors).
 * @example
 * const replicate = new Replicate({ onUsage: (usage) => console.log(usage.model, usage.outputTokens) });
 */
export type UsageCallback = (usage: PredictionUsage) => unknown;

/**
 * Internal: reports finished predictions to `onUsage`. `Replicate` puts one in its lifecycle context;
 * `ReplicateCore` has none, so its bundle leaves usage reporting out.
 */
export interface UsageReporter {
  /** Report a final prediction; `startedAt` is the call's `Date.now()` when it began. */
  done(prediction: Prediction, startedAt: number, ref?: string): void;
  /** Report a prediction whose stream ended: fetched (and briefly polled) until terminal. */
  streamed(id: string, startedAt: number, ref: string): Promise<void>;
}

function toUsage(prediction: Prediction, latencyMs: number, ref: string | undefined): PredictionUsage {
  const metrics = prediction.metrics ?? {};
  const usage: PredictionUsage = {
    model: prediction.model ?? ref ?? prediction.version ?? '',
    predictionId: prediction.id,
    status: prediction.status,
    latencyMs,
    prediction,
  };
  if (metrics.input_token_count !== undefined) usage.inputTokens = metrics.input_token_count;
  if (metrics.output_token_count !== undefined) usage.outputTokens = metrics.output_token_count;
  if (metrics.image_count !== undefined) usage.imageCount = metrics.image_count;
  if (metrics.predict_time !== undefined) usage.predictTime = metrics.predict_time;
  return usage;
}

/**
 * A reporter that calls `onUsage` and swallows whatever it throws or rejects with; none without a hook.
 * `streamed` runs after a stream's `done` (or `error`) event: it fetches the final prediction, which carries
 * the metrics the events do not. Best effort: a failed fetch reports nothing and throws nothing.
 */
export function usageReporter(
  onUsage: UsageCallback | undefined,
  http: HttpClient,
  predictions: CorePredictions,
): UsageReporter | undefined {
  if (!onUsage) return undefined;
  const done = (prediction: Prediction, startedAt: number, ref?: string) => {
    try {
      const result = onUsage(toUsage(prediction, Math.max(0, Date.now() - startedAt), ref));
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      // a usage hook is for logging: its failure must not fail the prediction it reports
    }
  };
  return {
    done,
    async streamed(id, startedAt, ref) {
      try {
        let final = await predictions.get(id);
        if (!isTerminal(final.status)) {
          // `done` can beat the final write by a moment; poll briefly instead of reporting a running prediction
          final = await waitForPrediction(http, predictions, final, { useStream: false, timeout: 30_000 });
        }
        done(final, startedAt, ref);
      } catch {
        // the stream itself succeeded; a missing usage report is not worth failing it
      }
    },
  };
}
