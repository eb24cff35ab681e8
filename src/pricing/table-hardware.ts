import type { HardwarePrice } from './types.js';

const PAGE = 'replicate.com/pricing (A)';
// both pages are undated
const L40S =
  'Conflict: internal.replicate.com/pricing says $0.000972/s per GPU; kept the public page (canonical host, ' +
  'never under-budgets).';
// owostack.com shows the same hourly price on 2026-03-09
const CONFIRMED = 'Dated by owostack.com (C).';

const sku = (usdPerSecond: number, note?: string, date = 'undated'): HardwarePrice => ({
  usdPerSecond,
  source: PAGE,
  date,
  note,
});

/**
 * Per-second prices of every hardware SKU on Replicate's pricing page, in USD per second. Public models bill
 * only active time (`metrics.predict_time`); private models and deployments also bill setup and idle time,
 * which a prediction does not report. The legacy A100 40GB ($0.00115/s, old billing docs) has no current SKU
 * and is left out: add it under `prices.hardware` if you still run on it.
 * @example
 * HARDWARE_PRICES['gpu-a100-large']?.usdPerSecond; // 0.0014 USD per second ($5.04 per hour)
 */
export const HARDWARE_PRICES: Readonly<Record<string, HardwarePrice>> = {
  cpu: sku(0.0001),
  'gpu-t4': sku(0.000225, CONFIRMED, '2026-03-09'),
  'gpu-a40-small': sku(0.000575),
  'gpu-a40-large': sku(0.000725),
  'gpu-a40-large-2x': sku(0.00145),
  'gpu-a40-large-4x': sku(0.0029),
  'gpu-a40-large-8x': sku(0.0058),
  'gpu-l40s': sku(0.000975, L40S),
  'gpu-2x-l40s': sku(0.00195, L40S),
  'gpu-4x-l40s': sku(0.0039, L40S),
  'gpu-8x-l40s': sku(0.0078, L40S),
  'gpu-a100-large': sku(0.0014, CONFIRMED, '2026-03-09'),
  'gpu-a100-large-2x': sku(0.0028),
  'gpu-a100-large-4x': sku(0.0056),
  'gpu-a100-large-8x': sku(0.0112),
  'gpu-h100': sku(0.001525),
  'gpu-h100-2x': sku(0.00305),
  'gpu-h100-4x': sku(0.0061),
  'gpu-h100-8x': sku(0.0122),
};
