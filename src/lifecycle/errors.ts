import { ReplicateError } from '../errors.js';
import type { Prediction } from '../schemas/prediction.js';

/** The prediction ended with status `failed`; carries the prediction, its `error` and `logs`. */
export class PredictionFailedError extends ReplicateError {
  override name = 'PredictionFailedError';
  readonly prediction: Prediction;

  constructor(prediction: Prediction) {
    super(`Prediction ${prediction.id} failed: ${describe(prediction.error) ?? 'no error message'}`);
    this.prediction = prediction;
  }

  /** The model's error message. */
  get error(): unknown {
    return this.prediction.error;
  }

  /** The model's logs up to the failure. */
  get logs(): string | undefined {
    return this.prediction.logs ?? undefined;
  }
}

/** The prediction ended `canceled` (by you, a deadline while running) or `aborted` (deadline before it started). */
export class PredictionCanceledError extends ReplicateError {
  override name = 'PredictionCanceledError';
  readonly prediction: Prediction;

  constructor(prediction: Prediction) {
    super(`Prediction ${prediction.id} was ${prediction.status}.`);
    this.prediction = prediction;
  }
}

/** Why a stream failed. */
export type StreamErrorReason = 'error-event' | 'not-supported' | 'http' | 'disconnected';

/** A prediction's event stream failed: an `error` event, no stream URL, a bad response, or too many drops. */
export class StreamError extends ReplicateError {
  override name = 'StreamError';
  readonly reason: StreamErrorReason;
  /** The prediction, when known. */
  readonly prediction: Prediction | undefined;

  constructor(message: string, reason: StreamErrorReason, prediction?: Prediction, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.reason = reason;
    this.prediction = prediction;
  }
}

function describe(error: unknown): string | undefined {
  if (error === null || error === undefined || error === '') return undefined;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/**
 * Throw for a prediction that ended without output: `PredictionFailedError` when it failed,
 * `PredictionCanceledError` when it was canceled or aborted. Any other status passes.
 */
export function throwUnlessSucceeded(prediction: Prediction): void {
  if (prediction.status === 'failed') throw new PredictionFailedError(prediction);
  if (prediction.status === 'canceled' || prediction.status === 'aborted') {
    throw new PredictionCanceledError(prediction);
  }
}
