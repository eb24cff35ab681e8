import { describe, expect, it } from 'vitest';
import { PricingError } from '../../src/pricing/errors';
import { formatUnits, times, toUnits, toUsd } from '../../src/pricing/money';

describe('toUnits', () => {
  it('reads the decimal spelling, not the binary float', () => {
    expect(toUnits(5e-8, 'p')).toBe(50_000_000_000n);
    expect(toUnits(6.5e-7, 'p')).toBe(650_000_000_000n);
    expect(toUnits(0.000975, 'p')).toBe(975_000_000_000_000n);
    expect(toUnits(12.5, 'q')).toBe(12_500_000_000_000_000_000n);
    expect(toUnits(1e21, 'q')).toBe(10n ** 39n);
    expect(toUnits(0, 'q')).toBe(0n);
  });

  it('rounds half-up below 1e-18', () => {
    expect(toUnits(1.5e-18, 'p')).toBe(2n);
    expect(toUnits(1.4e-18, 'p')).toBe(1n);
    expect(toUnits(4e-19, 'p')).toBe(0n);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number])('rejects %s', (value) => {
    expect(() => toUnits(value, 'input price')).toThrow(PricingError);
    expect(() => toUnits(value, 'input price')).toThrow(/input price must be a finite number >= 0/);
  });
});

describe('sums without float drift', () => {
  it('12.5 s × $0.0014/s is 0.0175, where floats give 0.017499999999999998', () => {
    expect(12.5 * 0.0014).not.toBe(0.0175);
    expect(toUsd(times(toUnits(0.0014, 'p'), 12.5, 'q'))).toBe(0.0175);
  });

  it('a million tokens at 5e-8 is exactly 0.05', () => {
    expect(1e6 * 5e-8).not.toBe(0.05);
    expect(toUsd(times(toUnits(5e-8, 'p'), 1e6, 'q'))).toBe(0.05);
  });

  it('adds 10,000 tiny amounts exactly', () => {
    let units = 0n;
    let float = 0;
    for (let i = 0; i < 10_000; i++) {
      units += times(toUnits(3e-8, 'p'), 7, 'q');
      float += 7 * 3e-8;
    }
    expect(float).not.toBe(0.0021);
    expect(toUsd(units)).toBe(0.0021);
    expect(formatUnits(units)).toBe('0.0021');
  });

  it('rounds fractional seconds at 1e-18 USD', () => {
    expect(formatUnits(times(toUnits(0.000975, 'p'), 0.829263399, 'q'))).toBe('0.000808531814025');
    expect(formatUnits(times(1n, 0.5, 'q'))).toBe('0.000000000000000001');
  });
});

describe('formatUnits', () => {
  it('writes whole and fractional dollars', () => {
    expect(formatUnits(0n)).toBe('0');
    expect(formatUnits(10n ** 18n)).toBe('1');
    expect(formatUnits(1_234_500_000_000_000_000n)).toBe('1.2345');
    expect(formatUnits(1n)).toBe('0.000000000000000001');
  });
});
