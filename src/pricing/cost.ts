import type { PricingError } from './errors';
import { formatUnits, times, toUnits, toUsd } from './money';
import type { Cost, CostLine, ModelPrice } from './types';

/** A quantity to bill, before money. */
export interface Quantity {
  item: CostLine['item'];
  quantity: number;
  estimated: boolean;
}

function unitPrice(price: ModelPrice, item: CostLine['item']): number {
  if (price.unit === 'token') return item === 'input' ? price.inputUsdPerToken : price.outputUsdPerToken;
  return price.unit === 'image' ? price.usdPerImage : price.usdPerSecond;
}

/** A quantity line: what to bill, how many, and whether the count was estimated. */
export const quantity = (item: Quantity['item'], amount: number, estimated: boolean): Quantity => ({
  item,
  quantity: amount,
  estimated,
});

/** Price each quantity exactly, sum in units, convert once. */
export function buildCost(
  price: ModelPrice,
  quantities: Quantity[],
  extra: { model?: string | undefined; note?: string | undefined; estimated?: boolean },
): Cost {
  let total = 0n;
  const amounts: Partial<Record<CostLine['item'], number>> = {};
  const breakdown = quantities.map(({ item, quantity, estimated }): CostLine => {
    const usdPerUnit = unitPrice(price, item);
    const units = times(toUnits(usdPerUnit, `${item} price`), quantity, `${item} quantity`);
    total += units;
    amounts[item] = toUsd(units);
    return { item, quantity, usdPerUnit, usd: amounts[item], estimated };
  });
  const estimated = extra.estimated ?? breakdown.some((line) => line.estimated);
  const cost: Cost = {
    total: toUsd(total),
    totalExact: formatUnits(total),
    currency: 'USD',
    unit: price.unit,
    basis: estimated ? 'estimated' : 'reported',
    estimated,
    breakdown,
  };
  if (price.unit === 'token') Object.assign(cost, { input: amounts.input, output: amounts.output });
  if (price.unit === 'second' && price.hardware !== undefined) cost.hardware = price.hardware;
  if (extra.model !== undefined) cost.model = extra.model;
  if (extra.note !== undefined) cost.note = extra.note;
  return cost;
}

/** A cost of zero that says why nothing is billed. */
export function notBilled(model: string | undefined, note: string): Cost {
  const cost: Cost = {
    total: 0,
    totalExact: '0',
    currency: 'USD',
    unit: 'none',
    basis: 'not-billed',
    estimated: false,
    breakdown: [],
    note,
  };
  if (model !== undefined) cost.model = model;
  return cost;
}

/** Apply `onUnknown` to a missing price. */
export function unknown(error: PricingError, onUnknown: 'throw' | 'undefined' | undefined): undefined {
  if (onUnknown === 'undefined') return undefined;
  throw error;
}
