import { calculateCost, PricingError } from 'replikit/pricing';
import { countChatTokens, estimateTokens, tokenEstimator } from 'replikit/tokens';
import { describe, expect, it } from 'vitest';

const llama70 = {
  id: 'p1',
  model: 'meta/meta-llama-3-70b-instruct',
  status: 'succeeded',
  input: { prompt: 'Tell me a story' },
  output: ['Once', ' upon'],
  metrics: { input_token_count: 1000, output_token_count: 500, predict_time: 4.2 },
};

describe('calculateCost — per token', () => {
  it('1,000 input + 500 output tokens of llama-3-70b at $0.65/$2.75 per M = $0.002025', () => {
    const cost = calculateCost(llama70);
    expect(cost.total).toBe(0.002025);
    expect(cost.totalExact).toBe('0.002025');
    expect(cost.input).toBe(0.00065);
    expect(cost.output).toBe(0.001375);
    expect(cost).toMatchObject({ currency: 'USD', unit: 'token', basis: 'reported', estimated: false });
    expect(cost.model).toBe('meta/meta-llama-3-70b-instruct');
    expect(cost.breakdown).toEqual([
      { item: 'input', quantity: 1000, usdPerUnit: 6.5e-7, usd: 0.00065, estimated: false },
      { item: 'output', quantity: 500, usdPerUnit: 2.75e-6, usd: 0.001375, estimated: false },
    ]);
  });

  it('prices 8 + 43 tokens of llama-3.1-405b as the billing docs example: $0.0000760 + $0.0004085', () => {
    const cost = calculateCost({
      model: 'meta/meta-llama-3.1-405b-instruct',
      status: 'succeeded',
      metrics: { input_token_count: 8, output_token_count: 43 },
    });
    expect(cost.input).toBe(0.000076);
    expect(cost.output).toBe(0.0004085);
    expect(cost.total).toBe(0.0004845);
  });

  it('prices 3 + 3 tokens of deepseek-v3 exactly where floats drift', () => {
    expect(3 * 1.45e-6 + 3 * 1.45e-6).not.toBe(0.0000087);
    const cost = calculateCost({
      model: 'deepseek-ai/deepseek-v3',
      status: 'succeeded',
      metrics: { input_token_count: 3, output_token_count: 3 },
    });
    expect(cost.total).toBe(0.0000087);
  });

  it('estimates missing token counts from the text with tokenEstimator, marked estimated', () => {
    const model = 'meta/meta-llama-3-8b-instruct';
    const input = { prompt: 'Write a haiku about the sea', system_prompt: 'You are a poet' };
    const output = ['Waves', ' fold', ' into', ' foam'];
    const prediction = { model, status: 'succeeded', input, output, metrics: { predict_time: 1 } };
    const cost = calculateCost(prediction, { estimator: tokenEstimator });
    const inputTokens = estimateTokens('You are a poet\nWrite a haiku about the sea', { model });
    const outputTokens = estimateTokens('Waves fold into foam', { model });
    expect(cost.breakdown.map((line) => line.quantity)).toEqual([inputTokens, outputTokens]);
    expect(cost).toMatchObject({ basis: 'estimated', estimated: true });
    expect(cost.breakdown.every((line) => line.estimated)).toBe(true);
    // llama-3-8b: 50 and 250 nano-dollars per token
    expect(cost.total).toBe(Number(`${inputTokens * 50 + outputTokens * 250}e-9`));
  });

  it('counts chat messages as countChatTokens does and keeps a reported output count', () => {
    const model = 'meta/meta-llama-3-8b-instruct';
    const messages = [{ role: 'user', content: 'Hello there, how are you?' }];
    const cost = calculateCost(
      { model, status: 'succeeded', input: { messages }, metrics: { output_token_count: 10 } },
      { estimator: tokenEstimator },
    );
    expect(cost.breakdown[0]).toMatchObject({
      quantity: countChatTokens(messages, { model }),
      estimated: true,
    });
    expect(cost.breakdown[1]).toMatchObject({ quantity: 10, estimated: false });
    expect(cost.basis).toBe('estimated');
  });

  it('throws missing-usage with neither metrics nor input (data removed), estimator or not', () => {
    const removed = { model: 'meta/meta-llama-3-8b', status: 'succeeded', input: null, output: null };
    for (const options of [{}, { estimator: tokenEstimator }]) {
      expect(() => calculateCost(removed, options)).toThrow(
        new PricingError('missing-usage', 'No metrics.input_token_count and no input.'),
      );
    }
  });
});

describe('calculateCost — per image', () => {
  it('4 images of flux-schnell = $0.012 from the output count', () => {
    const output = ['a.webp', 'b.webp', 'c.webp', 'd.webp'].map((f) => `https://replicate.delivery/x/${f}`);
    const cost = calculateCost({ model: 'black-forest-labs/flux-schnell', status: 'succeeded', output });
    expect(cost.total).toBe(0.012);
    expect(cost).toMatchObject({ unit: 'image', basis: 'reported', estimated: false });
    expect(cost).not.toHaveProperty('input');
    expect(cost).not.toHaveProperty('hardware');
  });

  it('prefers metrics.image_count, counts a single URI as one, estimates from num_outputs', () => {
    const model = 'black-forest-labs/flux-dev';
    expect(
      calculateCost({ model, status: 'succeeded', output: ['x'], metrics: { image_count: 3 } }).total,
    ).toBe(0.075);
    expect(calculateCost({ model, status: 'succeeded', output: 'https://x/1.png' }).total).toBe(0.025);
    const removed = calculateCost({ model, status: 'succeeded', output: null, input: { num_outputs: 2 } });
    expect(removed).toMatchObject({ total: 0.05, basis: 'estimated', estimated: true });
  });

  it('bills nothing for a failed image prediction without output', () => {
    const cost = calculateCost({ model: 'black-forest-labs/flux-pro', status: 'failed', output: null });
    expect(cost).toMatchObject({ total: 0, basis: 'reported', unit: 'image' });
  });
});

describe('calculateCost — per second', () => {
  const community = { model: 'acme/upscaler', status: 'succeeded', metrics: { predict_time: 12.5 } };

  it('12.5 s on an A100 80GB (gpu-a100-large) = $0.0175', () => {
    const cost = calculateCost(community, { hardware: 'gpu-a100-large' });
    expect(cost.total).toBe(0.0175);
    expect(cost).toMatchObject({ unit: 'second', hardware: 'gpu-a100-large', basis: 'reported' });
    expect(cost.breakdown).toEqual([
      { item: 'seconds', quantity: 12.5, usdPerUnit: 0.0014, usd: 0.0175, estimated: false },
    ]);
    expect(cost.note).toMatch(/setup and idle/);
  });

  it('rounds a real predict_time exactly: 0.829263399 s on an L40S', () => {
    const cost = calculateCost(
      { ...community, metrics: { predict_time: 0.829263399 } },
      { hardware: 'gpu-l40s' },
    );
    expect(cost.totalExact).toBe('0.000808531814025');
    expect(cost.total).toBe(0.000808531814025);
  });

  it('takes the hardware from a deployment object', () => {
    const deployment = { current_release: { configuration: { hardware: 'gpu-t4' } } };
    const cost = calculateCost({ ...community, deployment: 'acme/prod' }, { deployment });
    expect(cost).toMatchObject({ total: 0.0028125, model: 'deployments/acme/prod', hardware: 'gpu-t4' });
  });

  it('bills a deployment of a per-token model per second, not per token', () => {
    const cost = calculateCost({ ...llama70, deployment: 'acme/llama' }, { hardware: 'gpu-a40-large' });
    expect(cost).toMatchObject({ unit: 'second', total: 0.003045 });
  });

  it('needs hardware for a deployment: missing-hardware', () => {
    expect(() => calculateCost({ ...community, deployment: 'acme/prod' })).toThrow(
      expect.objectContaining({ name: 'PricingError', reason: 'missing-hardware' }),
    );
  });

  it('throws unknown-hardware for a SKU not in the table', () => {
    expect(() => calculateCost(community, { hardware: 'gpu-b200' })).toThrow(/gpu-b200.*prices\.hardware/);
  });

  it('throws missing-usage without predict_time', () => {
    expect(() => calculateCost({ ...community, metrics: {} }, { hardware: 'cpu' })).toThrow(
      new PricingError('missing-usage', 'No metrics.predict_time (seconds) to bill per second.'),
    );
  });

  it('throws unknown-hardware even with onUnknown: undefined: the SKU you passed has no price', () => {
    expect(() => calculateCost(community, { hardware: 'gpu-b200', onUnknown: 'undefined' })).toThrow(
      expect.objectContaining({ reason: 'unknown-hardware' }),
    );
  });
});

describe('calculateCost — status and unknown models', () => {
  it('bills a canceled prediction of a public model', () => {
    const cost = calculateCost({ ...llama70, status: 'canceled' });
    expect(cost).toMatchObject({ total: 0.002025, basis: 'reported' });
  });

  it('bills nothing for an aborted prediction, and says why', () => {
    const cost = calculateCost({ ...llama70, status: 'aborted' });
    expect(cost).toEqual({
      total: 0,
      totalExact: '0',
      currency: 'USD',
      unit: 'none',
      basis: 'not-billed',
      estimated: false,
      breakdown: [],
      model: 'meta/meta-llama-3-70b-instruct',
      note: 'aborted: ended before it started, so not billed.',
    });
    expect(calculateCost({ model: 'acme/unknown', status: 'aborted' }).total).toBe(0);
  });

  it('bills nothing for a canceled or failed prediction that never started (started_at: null)', () => {
    for (const status of ['canceled', 'failed']) {
      const cost = calculateCost({ ...llama70, status, started_at: null, metrics: {} });
      expect(cost).toMatchObject({
        total: 0,
        basis: 'not-billed',
        note: `${status}: ended before it started, so not billed.`,
      });
    }
    // started, or measured: billed for what it used
    const started = { ...llama70, status: 'canceled', started_at: '2025-01-01T00:00:00Z' };
    expect(calculateCost(started).total).toBe(0.002025);
    expect(calculateCost({ ...llama70, status: 'canceled', started_at: null }).total).toBe(0.002025);
  });

  it.each(['starting', 'processing'])('refuses a %s prediction', (status) => {
    expect(() => calculateCost({ ...llama70, status })).toThrow(
      new PricingError('unfinished', `Prediction is ${status}: not finished yet.`),
    );
  });

  it('throws a clear error for an unknown model by default, never a zero', () => {
    const prediction = { model: 'acme/mystery', status: 'succeeded', metrics: { predict_time: 3 } };
    expect(() => calculateCost(prediction)).toThrow(PricingError);
    expect(() => calculateCost(prediction)).toThrow(/acme\/mystery.*pass hardware/);
    expect(calculateCost(prediction, { onUnknown: 'undefined' })).toBeUndefined();
    expect(calculateCost(prediction, { onUnknown: 'throw', hardware: 'cpu' }).total).toBe(0.0003);
  });

  it('prices a version-only prediction through the model option', () => {
    const prediction = { version: 'a'.repeat(64), status: 'succeeded', metrics: { image_count: 2 } };
    expect(calculateCost(prediction, { onUnknown: 'undefined' })).toBeUndefined();
    expect(calculateCost(prediction, { model: 'black-forest-labs/flux-schnell' }).total).toBe(0.006);
    const hidden = { ...prediction, version: 'hidden' };
    expect(() => calculateCost(hidden)).toThrow(expect.objectContaining({ reason: 'unknown-model' }));
    const pinned = { ...prediction, version: `black-forest-labs/flux-schnell:${'a'.repeat(64)}` };
    expect(calculateCost(pinned).total).toBe(0.006);
  });
});
