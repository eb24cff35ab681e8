import { calculateCost, hardwarePriceOf, parsePricedRef, priceOf } from 'replikit/pricing';
import { describe, expect, it } from 'vitest';

describe('parsePricedRef', () => {
  it.each([
    ['meta/meta-llama-3-8b-instruct', { model: 'meta/meta-llama-3-8b-instruct' }],
    [`acme/model:${'0f'.repeat(32)}`, { model: 'acme/model' }],
    ['replicate/meta/meta-llama-3-8b-instruct', { model: 'meta/meta-llama-3-8b-instruct' }],
    ['replicate:chat:meta/meta-llama-3-8b-instruct', { model: 'meta/meta-llama-3-8b-instruct' }],
    ['replicate/meta/llama-3-8b-instruct', { model: 'meta/meta-llama-3-8b-instruct' }],
    ['Meta/Meta-Llama-3-8B-Instruct', { model: 'meta/meta-llama-3-8b-instruct' }],
    ['replicate/hello-world', { model: 'replicate/hello-world' }],
    ['deployments/acme/prod', { deployment: 'acme/prod' }],
    ['replicate:deployments/acme/prod', { deployment: 'acme/prod' }],
    [' acme/model ', { model: 'acme/model' }],
    ['0f'.repeat(32), {}],
  ])('%s', (id, expected) => {
    expect(parsePricedRef(id)).toEqual(expected);
  });

  it.each([
    '',
    'llama',
    'a/b/c/d',
    'deployments/acme',
    'replicate/deployments/acme',
    'deployments/acme/prod:abc',
    'acme/model:',
    'meta/llama 3',
  ])('rejects %j', (id) => {
    expect(() => parsePricedRef(id)).toThrow(
      expect.objectContaining({
        reason: 'invalid-value',
        message: `Invalid model id "${id}": use owner/name[:version].`,
      }),
    );
  });
});

describe('priceOf', () => {
  it('returns the table entry with its source and date', () => {
    expect(priceOf('replicate:chat:meta/meta-llama-3-70b-instruct')).toMatchObject({
      model: 'meta/meta-llama-3-70b-instruct',
      unit: 'token',
      inputUsdPerToken: 6.5e-7,
      outputUsdPerToken: 2.75e-6,
      source: expect.stringContaining('LiteLLM'),
      date: '2026',
    });
    expect(priceOf('black-forest-labs/flux-schnell')).toMatchObject({ unit: 'image', usdPerImage: 0.003 });
  });

  it('returns undefined for models billed per second and for bare versions', () => {
    expect(priceOf('acme/upscaler')).toBeUndefined();
    expect(priceOf('a'.repeat(64))).toBeUndefined();
    expect(priceOf('deployments/acme/prod')).toBeUndefined();
  });

  it('records the resolved conflicts in a note', () => {
    expect(priceOf('mistralai/mixtral-8x7b-instruct-v0.1')).toMatchObject({
      inputUsdPerToken: 3e-7,
      note: expect.stringContaining('$0.20/M'),
    });
    expect(priceOf('stability-ai/stable-diffusion-3.5-large')?.note).toMatch(/0\.030/);
    expect(priceOf('black-forest-labs/flux-dev')?.note).toMatch(/0\.0025/);
    expect(hardwarePriceOf('gpu-l40s')).toMatchObject({
      usdPerSecond: 0.000975,
      note: expect.stringMatching(/0\.000972/),
    });
  });
});

describe('overrides', () => {
  const prediction = {
    model: 'meta/meta-llama-3-70b-instruct',
    status: 'succeeded',
    metrics: { input_token_count: 1000, output_token_count: 500, predict_time: 2 },
  };

  it('takes gateway-shaped per-token prices, keyed by a gateway spelling', () => {
    const prices = {
      models: { 'replicate/meta/llama-3-70b-instruct': { input_token_cost: 5e-7, output_token_cost: 2e-6 } },
    };
    expect(calculateCost(prediction, { prices })).toMatchObject({
      total: 0.0015,
      input: 0.0005,
      output: 0.001,
    });
    expect(priceOf('meta/meta-llama-3-70b-instruct', { prices })).toMatchObject({
      source: 'prices override',
    });
  });

  it('keeps the table for the side a partial override leaves out; accepts LiteLLM spellings', () => {
    const prices = { models: { 'meta/meta-llama-3-70b-instruct': { output_cost_per_token: 2e-6 } } };
    expect(calculateCost(prediction, { prices }).total).toBe(0.00165);
  });

  it('prices images and seconds, and gives a model its default hardware', () => {
    const models = {
      'black-forest-labs/flux-schnell': { image_cost: 0.002 },
      'acme/upscaler': { hardware: 'gpu-t4' },
      'acme/tagger': { second_cost: 0.0002 },
    };
    const run = (model: string, metrics: object) =>
      calculateCost({ model, status: 'succeeded', metrics }, { prices: { models } }).total;
    expect(run('black-forest-labs/flux-schnell', { image_count: 4 })).toBe(0.008);
    expect(run('acme/upscaler', { predict_time: 12.5 })).toBe(0.0028125);
    expect(run('acme/tagger', { predict_time: 12.5 })).toBe(0.0025);
  });

  it('lets an explicit hardware option beat a model default, never a token price', () => {
    const prices = { models: { 'acme/upscaler': { hardware: 'gpu-t4' } } };
    const community = { model: 'acme/upscaler', status: 'succeeded', metrics: { predict_time: 10 } };
    expect(calculateCost(community, { prices }).total).toBe(0.00225);
    expect(calculateCost(community, { prices, hardware: 'gpu-a100-large' })).toMatchObject({
      total: 0.014,
      hardware: 'gpu-a100-large',
    });
    expect(calculateCost(prediction, { hardware: 'gpu-a100-large' })).toMatchObject({
      unit: 'token',
      total: 0.002025,
    });
  });

  it('takes custom hardware prices and new SKUs', () => {
    const community = { model: 'acme/upscaler', status: 'succeeded', metrics: { predict_time: 10 } };
    const hardware = { 'gpu-l40s': 0.000972, 'gpu-a100-40gb': 0.00115 };
    expect(calculateCost(community, { hardware: 'gpu-l40s', prices: { hardware } }).total).toBe(0.00972);
    expect(calculateCost(community, { hardware: 'gpu-a100-40gb', prices: { hardware } }).total).toBe(0.0115);
  });

  it('lets a token override win over an image one, and labels a per-second one with its hardware', () => {
    const models = { 'acme/x': { image_cost: 0.5, input_token_cost: 1e-6, output_token_cost: 2e-6 } };
    expect(priceOf('acme/x', { prices: { models } })).toEqual({
      model: 'acme/x',
      unit: 'token',
      inputUsdPerToken: 1e-6,
      outputUsdPerToken: 2e-6,
      source: 'prices override',
      date: 'prices override',
    });
    const tagger = { 'acme/tagger': { output_cost_per_second: 0.0002, hardware: 'gpu-t4' } };
    const cost = calculateCost(
      { model: 'acme/tagger', status: 'succeeded', metrics: { predict_time: 10 } },
      { prices: { models: tagger } },
    );
    expect(cost).toMatchObject({ total: 0.002, hardware: 'gpu-t4', unit: 'second' });
  });

  it('rejects an override without a price, an unknown override SKU, and a negative price', () => {
    const models = (own: object) => ({ prices: { models: { 'acme/x': own } } });
    expect(() => priceOf('acme/x', models({}))).toThrow(/prices\.models\["acme\/x"\] needs/);
    // one side of a token price, and no table price for the other side
    expect(() => priceOf('acme/x', models({ output_cost_per_token: 1e-6 }))).toThrow(
      expect.objectContaining({ reason: 'invalid-value' }),
    );
    expect(() => priceOf('acme/x', models({ hardware: 'gpu-z' }))).toThrow(
      expect.objectContaining({ reason: 'unknown-hardware' }),
    );
    const negative = { prices: { models: { 'meta/meta-llama-3-70b-instruct': { input_token_cost: -1 } } } };
    expect(() => calculateCost(prediction, negative)).toThrow(/input price must be a finite number >= 0/);
  });
});
