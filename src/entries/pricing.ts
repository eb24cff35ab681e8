/**
 * `replikit/pricing` — what a Replicate prediction costs: per token for official language models, per image
 * for official image models, per second of hardware for everything else. The API never returns a cost.
 */
export {
  type CalculateOptions,
  calculateCost,
  type PricedDeployment,
  type PricedPrediction,
} from '../pricing/calculate';
export { PricingError, type PricingErrorReason } from '../pricing/errors';
export { type EstimateOptions, estimateCost } from '../pricing/estimate';
export { hardwarePriceOf, type PricedRef, parsePricedRef, priceOf } from '../pricing/lookup';
export { HARDWARE_PRICES } from '../pricing/table-hardware';
export { MODEL_PRICES } from '../pricing/table-models';
export type * from '../pricing/types';
export { type PredictionUsageWithCost, type WithCostOptions, withCost } from '../pricing/with-cost';
export type { PredictionUsage, UsageCallback } from '../usage';
