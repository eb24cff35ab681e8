import { PricingError } from './errors.js';

/**
 * Money is a BigInt of 1e-18 USD ("atto-dollars"). A number is converted through its shortest decimal
 * spelling (`String(6.5e-7)` is `"6.5e-7"`), never multiplied as a float, so $0.05/M (5e-8 per token) is
 * exactly 50_000_000_000 units and every sum is exact. Products with fractional quantities (seconds) are
 * rounded half-up at 1e-18 USD; the result becomes a JS number only at the end, as the double nearest the
 * exact decimal.
 */
const SCALE = 18;
const ONE = 10n ** BigInt(SCALE);
const DECIMAL = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

function roundDiv(value: bigint, divisor: bigint): bigint {
  return (value + divisor / 2n) / divisor;
}

/** A non-negative finite number as units of 1e-18 (USD, or of a quantity); throws on anything else. */
export function toUnits(value: number, field: string): bigint {
  const match = typeof value === 'number' && value >= 0 ? DECIMAL.exec(String(value)) : null;
  if (!match) {
    throw new PricingError('invalid-value', `${field} must be a finite number >= 0, got ${String(value)}.`);
  }
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? 0) - fraction.length + SCALE;
  const digits = BigInt(match[1] + fraction);
  return exponent >= 0 ? digits * 10n ** BigInt(exponent) : roundDiv(digits, 10n ** BigInt(-exponent));
}

/** `price × quantity` in units, exact for whole quantities, rounded at 1e-18 USD otherwise. */
export function times(price: bigint, quantity: number, field: string): bigint {
  return roundDiv(price * toUnits(quantity, field), ONE);
}

/** Units as an exact decimal string in USD, e.g. `"0.002025"`. */
export function formatUnits(units: bigint): string {
  const padded = units.toString().padStart(SCALE + 1, '0');
  const fraction = padded.slice(-SCALE).replace(/0+$/, '');
  const whole = padded.slice(0, -SCALE);
  return fraction ? `${whole}.${fraction}` : whole;
}

/** Units as a USD number: the double nearest the exact decimal. */
export function toUsd(units: bigint): number {
  return Number(formatUnits(units));
}
