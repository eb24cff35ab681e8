import type { PredictionUsage, UsageCallback } from '../usage.js';
import { type CalculateOptions, calculateCost } from './calculate.js';
import { PricingError } from './errors.js';
import type { Cost } from './types.js';

/** A prediction's usage with its cost, as a `withCost` callback receives it. */
export interface PredictionUsageWithCost extends PredictionUsage {
  /** `calculateCost(usage.prediction, options)`; `undefined` when it could not be priced (see `costError`). */
  cost: Cost | undefined;
  /**
   * Why `cost` is missing: an unknown model, a deployment without `hardware`, missing metrics, token counts
   * missing with no `estimator`.
   */
  costError?: PricingError;
}

/** Options of `withCost`: `calculateCost`'s, with `hardware` as a fallback rather than an override. */
export interface WithCostOptions extends Omit<CalculateOptions, 'onUnknown' | 'model' | 'deployment'> {
  /**
   * Hardware SKU for predictions that have no price of their own: deployments, and community models without
   * a `prices.models` entry. A model's own `prices.models[id].hardware` still wins.
   * @default undefined (such predictions get `costError`)
   */
  hardware?: string;
}

/**
 * Wrap an `onUsage` callback so it also gets the prediction's cost. The price table lives in
 * `replikit/pricing`, so only apps that use this wrapper ship it. A prediction that cannot be priced still
 * reaches your callback, with `cost: undefined` and the `PricingError` in `costError`, never a zero.
 * @example
 * import { Replicate } from 'replikit';
 * import { withCost } from 'replikit/pricing';
 * import { tokenEstimator } from 'replikit/tokens'; // only for predictions without token counts
 * const replicate = new Replicate({
 *   onUsage: withCost(
 *     (usage) => console.log(usage.model, usage.cost?.totalExact ?? usage.costError?.reason),
 *     { estimator: tokenEstimator },
 *   ),
 * });
 */
export function withCost(
  onUsage: (usage: PredictionUsageWithCost) => unknown,
  options: WithCostOptions = {},
): UsageCallback {
  return (usage) => {
    const { prediction } = usage;
    const base = { ...options, model: usage.model || undefined };
    let cost: Cost | undefined;
    let costError: PricingError | undefined;
    try {
      // the prediction's own price first; `hardware` only for one that has none
      cost =
        calculateCost(prediction, { ...base, hardware: undefined, onUnknown: 'undefined' }) ??
        calculateCost(prediction, base);
    } catch (error) {
      if (!(error instanceof PricingError)) throw error;
      costError = error;
    }
    return onUsage({ ...usage, cost, ...(costError && { costError }) });
  };
}
