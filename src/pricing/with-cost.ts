import type { PredictionUsage, UsageCallback } from '../usage.js';
import { type CalculateOptions, calculateCost } from './calculate.js';
import { PricingError } from './errors.js';
import type { Cost } from './types.js';

/** A prediction's usage with its cost, as a `withCost` callback receives it. */
export interface PredictionUsageWithCost extends PredictionUsage {
  /** `calculateCost(usage.prediction, options)`; `undefined` when it could not be priced (see `costError`). */
  cost: Cost | undefined;
  /** Why `cost` is missing: an unknown model, a deployment without `hardware`, missing metrics. */
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

function costOf(usage: PredictionUsage, options: WithCostOptions): Cost {
  const { hardware, ...rest } = options;
  const base = { ...rest, model: usage.model || undefined };
  const own =
    hardware === undefined ? undefined : calculateCost(usage.prediction, { ...base, onUnknown: 'undefined' });
  return own ?? calculateCost(usage.prediction, { ...base, hardware });
}

/**
 * Wrap an `onUsage` callback so it also gets the prediction's cost. The price table lives in
 * `replikit/pricing`, so only apps that use this wrapper ship it. A prediction that cannot be priced still
 * reaches your callback, with `cost: undefined` and the `PricingError` in `costError`, never a zero.
 * @example
 * import { Replicate } from 'replikit';
 * import { withCost } from 'replikit/pricing';
 * const replicate = new Replicate({
 *   onUsage: withCost((usage) => console.log(usage.model, usage.cost?.totalExact ?? usage.costError?.reason)),
 * });
 */
export function withCost(
  onUsage: (usage: PredictionUsageWithCost) => unknown,
  options: WithCostOptions = {},
): UsageCallback {
  return (usage) => {
    let cost: Cost | undefined;
    let costError: PricingError | undefined;
    try {
      cost = costOf(usage, options);
    } catch (error) {
      if (!(error instanceof PricingError)) throw error;
      costError = error;
    }
    return onUsage(costError ? { ...usage, cost, costError } : { ...usage, cost });
  };
}
