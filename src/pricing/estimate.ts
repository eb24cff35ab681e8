import { countChatTokens, estimateTokens } from '../entries/tokens';
import { buildCost, type Quantity, quantity, unknown } from './cost';
import { PricingError } from './errors';
import { labelOf, parsePricedRef, resolvePrice } from './lookup';
import type { Cost, PricingOptions } from './types';

/** What a call will use, for `estimateCost`. */
export interface EstimateOptions extends PricingOptions {
  /**
   * Input tokens, when you know them.
   * @default counted from `messages` or `prompt`, else 0
   */
  inputTokens?: number;
  /**
   * Chat messages to count input tokens from (with `countChatTokens`).
   * @default undefined
   */
  messages?: Parameters<typeof countChatTokens>[0];
  /**
   * Prompt text to count input tokens from (with `estimateTokens`).
   * @default undefined
   */
  prompt?: string;
  /**
   * Output tokens you expect.
   * @default maxTokens, else 0
   */
  outputTokens?: number;
  /**
   * The call's `max_tokens`: an upper bound for the output.
   * @default undefined
   */
  maxTokens?: number;
  /**
   * Output images, for per-image models.
   * @default 1
   */
  images?: number;
  /**
   * Seconds of predict time, for per-second models (required there).
   * @default undefined
   */
  seconds?: number;
}

/**
 * The cost of a call before making it, in USD (`basis: 'estimated'`).
 * @throws {PricingError} `unknown-model`, `missing-hardware` or `unknown-hardware` (unless
 * `onUnknown: 'undefined'`); `missing-usage` without `seconds` for per-second pricing; `invalid-value`.
 * @example
 * estimateCost('meta/meta-llama-3-70b-instruct', { inputTokens: 1000, maxTokens: 500 }).total; // 0.002025
 */
export function estimateCost(
  model: string,
  options: EstimateOptions & { onUnknown: 'undefined' },
): Cost | undefined;
export function estimateCost(model: string, options?: EstimateOptions): Cost;
export function estimateCost(model: string, options: EstimateOptions = {}): Cost | undefined {
  const ref = parsePricedRef(model);
  const price = resolvePrice(ref, options.hardware, options.prices);
  if (price instanceof PricingError) return unknown(price, options.onUnknown);
  let usages: Quantity[];
  if (price.unit === 'token') {
    const { messages, prompt } = options;
    const counted =
      (messages ? countChatTokens(messages, { model: ref.model }) : 0) +
      (prompt ? estimateTokens(prompt, { model: ref.model }) : 0);
    usages = [
      quantity('input', options.inputTokens ?? counted, true),
      quantity('output', options.outputTokens ?? options.maxTokens ?? 0, true),
    ];
  } else if (price.unit === 'image') {
    usages = [quantity('images', options.images ?? 1, true)];
  } else {
    if (options.seconds === undefined) {
      throw new PricingError('missing-usage', `${model} bills per second: pass seconds.`);
    }
    usages = [quantity('seconds', options.seconds, true)];
  }
  return buildCost(price, usages, { model: labelOf(ref), estimated: true });
}
