/**
 * `replikit/pricing` — what a Replicate prediction costs: per token for official language models, per image
 * for official image models, per second of hardware for everything else. The API never returns a cost.
 * Token counts a prediction does not report are counted by the `estimator` you pass (`tokenEstimator` from
 * `replikit/tokens`, or an exact tokenizer): this entry bundles no estimator.
 */
export {
  type CalculateOptions,
  calculateCost,
  type PricedDeployment,
  type PricedPrediction,
} from '../pricing/calculate.js';
export { PricingError, type PricingErrorReason } from '../pricing/errors.js';
export { type EstimateOptions, estimateCost } from '../pricing/estimate.js';
export { hardwarePriceOf, type PricedRef, parsePricedRef, priceOf } from '../pricing/lookup.js';
export { HARDWARE_PRICES } from '../pricing/table-hardware.js';
export { MODEL_PRICES } from '../pricing/table-models.js';
export type * from '../pricing/types.js';
export { type PredictionUsageWithCost, type WithCostOptions, withCost } from '../pricing/with-cost.js';
export type { PredictionUsage, UsageCallback } from '../usage.js';
