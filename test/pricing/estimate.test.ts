import { estimateCost } from 'replikit/pricing';
import { countChatTokens, estimateTokens, tokenEstimator } from 'replikit/tokens';
import { describe, expect, it } from 'vitest';

describe('estimateCost', () => {
  it('prices tokens before the call, marked estimated', () => {
    const cost = estimateCost('meta/meta-llama-3-70b-instruct', { inputTokens: 1000, outputTokens: 500 });
    expect(cost).toMatchObject({ total: 0.002025, basis: 'estimated', estimated: true, unit: 'token' });
    expect(
      estimateCost('replicate/meta/meta-llama-3-70b-instruct', { inputTokens: 1000, maxTokens: 500 }).total,
    ).toBe(0.002025);
  });

  it('counts messages and prompts with tokenEstimator from the tokens entry', () => {
    const model = 'meta/meta-llama-3-8b-instruct';
    const estimator = tokenEstimator;
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'What is the capital of France?' },
    ];
    const fromMessages = estimateCost(model, { messages, maxTokens: 100, estimator });
    expect(fromMessages.breakdown[0]?.quantity).toBe(countChatTokens(messages, { model }));
    const fromPrompt = estimateCost(model, { prompt: 'Hello world', estimator });
    expect(fromPrompt.breakdown.map((line) => line.quantity)).toEqual([
      estimateTokens('Hello world', { model }),
      0,
    ]);
  });

  it('rejects a prompt that is not a string instead of counting it as nothing, for any model', () => {
    const prompt = ['Hello', 'world'] as unknown as string;
    for (const model of ['meta/meta-llama-3-8b-instruct', 'black-forest-labs/flux-schnell']) {
      expect(() => estimateCost(model, { prompt, estimator: tokenEstimator })).toThrow(
        expect.objectContaining({ reason: 'invalid-value', message: '`prompt` must be a string.' }),
      );
    }
  });

  it('prices images (default 1) and seconds, every quantity marked estimated', () => {
    expect(estimateCost('black-forest-labs/flux-schnell', { images: 4 })).toMatchObject({
      total: 0.012,
      basis: 'estimated',
      breakdown: [{ item: 'images', quantity: 4, estimated: true }],
    });
    expect(estimateCost('black-forest-labs/flux-1.1-pro').total).toBe(0.04);
    expect(estimateCost('acme/upscaler', { hardware: 'gpu-a100-large', seconds: 12.5 })).toMatchObject({
      total: 0.0175,
      unit: 'second',
      basis: 'estimated',
      hardware: 'gpu-a100-large',
      note: expect.stringMatching(/setup and idle/), // as calculateCost's: active time only
    });
    expect(estimateCost('deployments/acme/prod', { hardware: 'gpu-h100', seconds: 60 })).toMatchObject({
      total: 0.0915,
      model: 'deployments/acme/prod',
    });
  });

  it('requires seconds for per-second pricing', () => {
    expect(() => estimateCost('acme/upscaler', { hardware: 'cpu' })).toThrow(
      expect.objectContaining({
        reason: 'missing-usage',
        message: 'No metrics.predict_time (seconds) to bill per second.',
      }),
    );
  });

  it('handles unknown models by option', () => {
    expect(() => estimateCost('acme/mystery', { seconds: 1 })).toThrow(
      expect.objectContaining({ reason: 'unknown-model' }),
    );
    expect(estimateCost('acme/mystery', { seconds: 1, onUnknown: 'undefined' })).toBeUndefined();
    expect(estimateCost('deployments/acme/prod', { seconds: 1, onUnknown: 'undefined' })).toBeUndefined();
  });

  it('rejects negative quantities', () => {
    expect(() => estimateCost('black-forest-labs/flux-schnell', { images: -1 })).toThrow(/images quantity/);
  });
});
