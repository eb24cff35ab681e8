import type { PricingError } from './errors.js';
import { formatUnits, times, toUnits, toUsd } from './money.js';
import type { Cost, CostLine, ModelPrice } from './types.js';

/** How much of each item a price counts (see `rates`) was used, and whether that was estimated. */
export type Usage = ReadonlyArray<readonly [quantity: number, estimated: boolean]>;

/** The items a price counts, with their unit prices: input and output tokens, images, or seconds. */
function rates(price: ModelPrice): Array<[CostLine['item'], number]> {
  if (price.unit === 'token') {
    return [
      ['input', price.inputUsdPerToken],
      ['output', price.outputUsdPerToken],
    ];
  }
  return price.unit === 'image' ? [['images', price.usdPerImage]] : [['seconds', price.usdPerSecond]];
}

/**
 * Price each item exactly, sum in units, convert once. Without a price, a cost of zero that is not billed
 * and says why in `note`.
 */
export function buildCost(price: ModelPrice | undefined, usage: Usage, model?: string, note?: string): Cost {
  let total = 0n;
  const usd: Partial<Record<CostLine['item'], number>> = {};
  const breakdown = (price ? rates(price) : []).map(([item, usdPerUnit], i): CostLine => {
    const [quantity, estimated] = usage[i]!;
    const units = times(toUnits(usdPerUnit, `${item} price`), quantity, `${item} quantity`);
    total += units;
    usd[item] = toUsd(units);
    return { item, quantity, usdPerUnit, usd: usd[item], estimated };
  });
  const estimated = breakdown.some((line) => line.estimated);
  const cost: Cost = {
    total: toUsd(total),
    totalExact: formatUnits(total),
    currency: 'USD',
    unit: price?.unit ?? 'none',
    basis: !price ? 'not-billed' : estimated ? 'estimated' : 'reported',
    estimated,
    breakdown,
    input: usd.input,
    output: usd.output,
    hardware: price?.unit === 'second' ? price.hardware : undefined,
    model,
    note,
  };
  // Absent rather than undefined, so `'input' in cost` holds for token prices only.
  for (const key of Object.keys(cost) as Array<keyof Cost>) if (cost[key] === undefined) delete cost[key];
  return cost;
}

/** Apply `onUnknown` to a missing price. */
export function unknown(error: PricingError, onUnknown: 'throw' | 'undefined' | undefined): undefined {
  if (onUnknown === 'undefined') return undefined;
  throw error;
}
