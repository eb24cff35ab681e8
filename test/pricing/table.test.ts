import { HARDWARE_PRICES, MODEL_PRICES, type ModelPrice } from 'replikit/pricing';
import { describe, expect, it } from 'vitest';

// Catches the 10^3–10^6 unit mistakes: per-million or per-thousand figures typed as per-token ones.
describe('price table', () => {
  const models = Object.entries(MODEL_PRICES);

  it('has per-token prices between $0.01 and $100 per million tokens', () => {
    for (const [, price] of models) {
      if (price.unit !== 'token') continue;
      for (const perToken of [price.inputUsdPerToken, price.outputUsdPerToken]) {
        expect(perToken).toBeGreaterThanOrEqual(1e-8);
        expect(perToken).toBeLessThanOrEqual(1e-4);
      }
    }
  });

  it('lists the documented per-million figures', () => {
    const perMillion = (id: string) => {
      const price = MODEL_PRICES[id];
      if (price?.unit !== 'token') throw new Error(id);
      return [
        Math.round(price.inputUsdPerToken * 1e9) / 1e3,
        Math.round(price.outputUsdPerToken * 1e9) / 1e3,
      ];
    };
    expect(perMillion('meta/meta-llama-3-70b-instruct')).toEqual([0.65, 2.75]);
    expect(perMillion('meta/meta-llama-3-8b-instruct')).toEqual([0.05, 0.25]);
    expect(perMillion('deepseek-ai/deepseek-v3.1')).toEqual([0.672, 2.016]);
    expect(perMillion('anthropic/claude-3.5-sonnet')).toEqual([3.75, 18.75]);
    expect(perMillion('qwen/qwen3-235b-a22b-instruct-2507')).toEqual([0.264, 1.06]);
  });

  it('has per-image prices between $0.001 and $1', () => {
    for (const [, price] of models) {
      if (price.unit === 'image') expect(price.usdPerImage).toBeGreaterThanOrEqual(0.001);
      if (price.unit === 'image') expect(price.usdPerImage).toBeLessThanOrEqual(1);
    }
  });

  it('gives hardware prices that match the hourly figures on the pricing page', () => {
    const hourly: Record<string, number> = {
      cpu: 0.36,
      'gpu-t4': 0.81,
      'gpu-a40-small': 2.07,
      'gpu-a40-large': 2.61,
      'gpu-a40-large-8x': 20.88,
      'gpu-l40s': 3.51,
      'gpu-8x-l40s': 28.08,
      'gpu-a100-large': 5.04,
      'gpu-a100-large-8x': 40.32,
      'gpu-h100': 5.49,
      'gpu-h100-8x': 43.92,
    };
    for (const [sku, perHour] of Object.entries(hourly)) {
      expect(Math.round(HARDWARE_PRICES[sku]!.usdPerSecond * 3600 * 100) / 100).toBe(perHour);
    }
    expect(Object.keys(HARDWARE_PRICES)).toHaveLength(19);
  });

  it('decodes every row to a positive price, per-token ones without float noise from the per-million figure', () => {
    const usd = (price: ModelPrice) =>
      price.unit === 'token'
        ? [price.inputUsdPerToken, price.outputUsdPerToken]
        : [price.unit === 'image' ? price.usdPerImage : price.usdPerSecond];
    const rows = [...models.map(([, price]) => price), ...Object.values(HARDWARE_PRICES)];
    for (const row of rows) {
      for (const value of 'unit' in row ? usd(row) : [row.usdPerSecond]) {
        expect(value).toBeGreaterThan(0);
        // at most 4 significant digits: 6.72e-7, never 0.672 / 1e6 = 6.720000000000001e-7
        expect(Number(value.toPrecision(4))).toBe(value);
      }
    }
    expect(MODEL_PRICES['deepseek-ai/deepseek-v3.1']).toMatchObject({
      inputUsdPerToken: 6.72e-7,
      outputUsdPerToken: 2.016e-6,
    });
  });

  it('gives every entry a source and a date', () => {
    for (const entry of [...models.map(([, price]) => price), ...Object.values(HARDWARE_PRICES)]) {
      expect(entry.source).toMatch(/\((A|B|C)/);
      expect(entry.date).toMatch(/^(\d{4}(-\d{2}){0,2}|undated)$/);
    }
  });
});
