import { formatUnits, times, toUnits, toUsd } from './money.js';
import type { Cost, CostLine, ModelPrice, SecondPrice } from './types.js';

/** One item a price counts, its unit price, how much of it was used, and whether that was estimated. */
export type Line = readonly [
  item: CostLine['item'],
  usdPerUnit: number,
  quantity: number,
  estimated: boolean,
];

/**
 * Price each item exactly, sum in units, convert once. Without a price, a cost of zero that is not billed
 * and says why in `note`.
 */
export function buildCost(
  price: ModelPrice | undefined,
  lines: readonly Line[],
  model?: string,
  note?: string,
): Cost {
  let total = 0n;
  const usd: Partial<Record<CostLine['item'], number>> = {};
  const breakdown = lines.map(([item, usdPerUnit, quantity, estimated]): CostLine => {
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
    // only a per-second price has one
    hardware: (price as SecondPrice | undefined)?.hardware,
    model,
    note,
  };
  // Absent rather than undefined, so `'input' in cost` holds for token prices only.
  for (const key of Object.keys(cost) as Array<keyof Cost>) if (cost[key] === undefined) delete cost[key];
  return cost;
}
