import { readdirSync, readFileSync } from 'node:fs';
import {
  calculateCost,
  estimateCost,
  type PredictionUsageWithCost,
  PricingError,
  type TokenEstimator,
  withCost,
} from 'replikit/pricing';
import type { ChatMessageLike } from 'replikit/tokens';
import { describe, expect, it, vi } from 'vitest';
import { importGraph } from '../helpers/import-graph';

const llama = 'meta/meta-llama-3-8b-instruct'; // $0.05 / $0.25 per million tokens
const HOW = "import { tokenEstimator } from 'replikit/tokens' and pass { estimator: tokenEstimator }.";
const messages: ChatMessageLike[] = [{ role: 'user', content: 'Name a prime.' }];
const missing = (side: 'input' | 'output') =>
  expect.objectContaining({
    name: 'PricingError',
    reason: 'missing-estimator',
    message: `No metrics.${side}_token_count (${side}Tokens): ${HOW}`,
  });

/** An estimator that records its calls and counts characters (and 100 per chat). */
function recording() {
  const calls: Array<[string, unknown, string | undefined]> = [];
  const estimator: TokenEstimator = {
    text: (text, model) => {
      calls.push(['text', text, model]);
      return text.length;
    },
    chat: (list, model) => {
      calls.push(['chat', list, model]);
      return 100;
    },
  };
  return { calls, estimator };
}

describe('a prediction without token counts', () => {
  const counted = { model: llama, status: 'succeeded', input: { prompt: 'Hello' }, output: ['Hi', ' there'] };

  it('throws missing-estimator without an estimator, saying what to import and pass', () => {
    expect(() => calculateCost(counted)).toThrow(missing('input'));
    expect(() => calculateCost({ ...counted, metrics: { input_token_count: 3 } })).toThrow(missing('output'));
    expect(() => calculateCost(counted)).toThrow(PricingError);
  });

  it('throws it whatever onUnknown says: the price is known, a count is not', () => {
    expect(() => calculateCost(counted, { onUnknown: 'undefined' })).toThrow(
      expect.objectContaining({ reason: 'missing-estimator' }),
    );
  });

  it('asks no estimator for reported counts, for nothing to count, or for images and seconds', () => {
    const reported = { ...counted, metrics: { input_token_count: 1000, output_token_count: 500 } };
    expect(calculateCost(reported).total).toBe(0.000175);
    // canceled before any output: 0 output tokens is the count, not a guess
    const empty = { ...counted, status: 'canceled', output: null, metrics: { input_token_count: 1000 } };
    expect(calculateCost(empty).breakdown[1]).toMatchObject({ quantity: 0, estimated: true });
    const image = { model: 'black-forest-labs/flux-schnell', status: 'succeeded', output: ['a.png'] };
    expect(calculateCost(image).total).toBe(0.003);
    const upscaler = { model: 'acme/upscaler', status: 'succeeded', metrics: { predict_time: 10 } };
    expect(calculateCost(upscaler, { hardware: 'cpu' }).total).toBe(0.001);
  });

  it('calls a custom estimator with the text and the normalised model id', () => {
    const { calls, estimator } = recording();
    const prediction = {
      model: 'replicate:chat:Meta/Meta-Llama-3-8B-Instruct',
      status: 'succeeded',
      input: { system_prompt: 'Be brief.', prompt: 'Hello', messages },
      output: ['Hi', ' there', 7],
    };
    const cost = calculateCost(prediction, { estimator });
    expect(calls).toEqual([
      ['chat', messages, llama],
      ['text', 'Be brief.\nHello', llama],
      ['text', 'Hi there', llama],
    ]);
    expect(cost.breakdown.map((line) => [line.quantity, line.estimated])).toEqual([
      [100 + 15, true],
      [8, true],
    ]);
    expect(cost.total).toBe(0.00000775); // 115 × 5e-8 + 8 × 2.5e-7
  });

  it('does not call it for an empty text, nor for a count the metrics report', () => {
    const { calls, estimator } = recording();
    const cost = calculateCost(
      {
        model: llama,
        status: 'succeeded',
        input: { prompt: '' },
        output: 'Hi',
        metrics: { input_token_count: 4 },
      },
      { estimator },
    );
    expect(calls).toEqual([['text', 'Hi', llama]]);
    expect(cost.breakdown.map((line) => line.quantity)).toEqual([4, 2]);
    calls.length = 0;
    expect(
      calculateCost({ model: llama, status: 'succeeded', input: {}, output: null }, { estimator }).total,
    ).toBe(0);
    expect(calls).toEqual([]);
  });

  it('refuses an estimate that is not a count', () => {
    const estimator: TokenEstimator = { text: () => Number.NaN, chat: () => -1 };
    expect(() => calculateCost(counted, { estimator })).toThrow(
      expect.objectContaining({
        reason: 'invalid-value',
        message: 'input quantity must be a finite number >= 0, got NaN.',
      }),
    );
  });
});

describe('estimateCost with prompt or messages', () => {
  it('throws missing-estimator without inputTokens or an estimator', () => {
    for (const options of [{ prompt: 'Hello' }, { messages }, { messages: [] }]) {
      expect(() => estimateCost(llama, options)).toThrow(missing('input'));
    }
  });

  it('needs none with inputTokens, or with nothing to count', () => {
    expect(estimateCost(llama, { prompt: 'Hello', inputTokens: 1000 }).breakdown[0]?.quantity).toBe(1000);
    expect(estimateCost(llama, { maxTokens: 100 }).breakdown.map((line) => line.quantity)).toEqual([0, 100]);
  });

  it('calls a custom estimator with the prompt, the messages and the model', () => {
    const { calls, estimator } = recording();
    const cost = estimateCost('replicate/meta/llama-3-8b-instruct', { prompt: 'Hello', messages, estimator });
    expect(calls).toEqual([
      ['chat', messages, llama],
      ['text', 'Hello', llama],
    ]);
    expect(cost.breakdown[0]).toMatchObject({ quantity: 105, estimated: true });
  });
});

describe('withCost', () => {
  const usage = (prediction: Record<string, unknown>) => ({
    model: llama,
    predictionId: 'p1',
    status: 'succeeded' as const,
    latencyMs: 1,
    prediction: { id: 'p1', status: 'succeeded', ...prediction } as PredictionUsageWithCost['prediction'],
  });

  it('passes the estimator on, and reports missing-estimator in costError without one', () => {
    const log = vi.fn<(usage: PredictionUsageWithCost) => void>();
    const { estimator } = recording();
    const unreported = usage({ model: llama, input: { prompt: 'Hello' }, output: ['Hi'] });
    withCost(log, { estimator })(unreported);
    withCost(log)(unreported);
    expect(log.mock.calls[0]![0].cost).toMatchObject({
      basis: 'estimated',
      breakdown: [{ quantity: 5 }, { quantity: 2 }],
    });
    expect(log.mock.calls[1]![0]).toMatchObject({
      cost: undefined,
      costError: { reason: 'missing-estimator' },
    });
  });
});

describe('replikit/pricing in a bundle', () => {
  it('reaches no src/tokens module at run time: the estimator is passed in', () => {
    const { files, packages } = importGraph('entries/pricing.ts');
    expect(files.filter((file) => file.startsWith('tokens/'))).toEqual([]);
    expect(files).toContain('pricing/estimator.ts');
    expect(packages).toEqual([]);
  });

  it('while src/tokens imports nothing of pricing, not even a type (the core reaches src/tokens)', () => {
    const { files } = importGraph('entries/tokens.ts');
    expect(files).toContain('tokens/token-estimator.ts');
    const dir = new URL('../../src/tokens/', import.meta.url);
    for (const file of readdirSync(dir)) {
      expect(readFileSync(new URL(file, dir), 'utf8'), file).not.toMatch(/from '[./]*pricing\//);
    }
  });
});
