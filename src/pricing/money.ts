import { PricingError } from './errors.js';

/**
 * Money is a BigInt of 1e-18 USD ("atto-dollars"). A number is converted through its shortest decimal
 * spelling (`String(6.5e-7)` is `"6.5e-7"`), never multiplied as a float, so $0.05/M (5e-8 per token) is
 * exactly 50_000_000_000 units and every sum is exact. Products with fractional quantities (seconds) are
 * rounded half-up at 1e-18 USD; the result becomes a JS number only at the end, as the double nearest the
 * exact decimal.
 */
/** One USD in units: 18 decimal places (the `18` below). */
const ONE = 10n ** 18n;

const roundDiv = (value: bigint, divisor: bigint): bigint => (value + divisor / 2n) / divisor;

/** A non-negative finite number as units of 1e-18 (USD, or of a quantity); throws on anything else. */
export function toUnits(value: number, field: string): bigint {
  // Number.isFinite does not coerce, so a numeric string is refused too
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new PricingError('invalid-value', `${field} must be a finite number >= 0, got ${String(value)}.`);
  }
  // `String` of such a number is `123`, `1.5`, `6.5e-7` or `1e+21`; `Number('')` is 0
  const [, whole, fraction = '', exponent] = /(\d+)\.?(\d*)e?(.*)/.exec(String(value))!;
  const shift = Number(exponent) - fraction.length + 18;
  const digits = BigInt(whole + fraction);
  return shift < 0 ? roundDiv(digits, 10n ** BigInt(-shift)) : digits * 10n ** BigInt(shift);
}

/** `price × quantity` in units, exact for whole quantities, rounded at 1e-18 USD otherwise. */
export const times = (price: bigint, quantity: number, field: string): bigint =>
  roundDiv(price * toUnits(quantity, field), ONE);

/**
 * Units as an exact decimal string in USD, e.g. `"0.002025"`. The point is always there before the
 * `replace`, so only fraction digits (and then the point) are stripped.
 */
export const formatUnits = (units: bigint): string =>
  `${units / ONE}.${String(units % ONE).padStart(18, '0')}`.replace(/\.?0+$/, '');

/** Units as a USD number: the double nearest the exact decimal. */
export const toUsd = (units: bigint): number => Number(formatUnits(units));
