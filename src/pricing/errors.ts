import { ReplicateError } from '../errors.js';

/** Why a cost could not be computed. */
export type PricingErrorReason =
  | 'unknown-model'
  | 'unknown-hardware'
  | 'missing-hardware'
  | 'missing-usage'
  | 'missing-estimator'
  | 'unfinished'
  | 'invalid-value';

/**
 * A cost could not be computed; `reason` says why.
 * @example
 * try { calculateCost(prediction); } catch (error) { if (error instanceof PricingError) console.log(error.reason); }
 */
export class PricingError extends ReplicateError {
  override name = 'PricingError';
  readonly reason: PricingErrorReason;

  constructor(reason: PricingErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
