import type { ChatMessageLike } from '../tokens/chat.js';
import { buildCost, unknown } from './cost.js';
import { countTokens } from './count.js';
import { PricingError } from './errors.js';
import { labelOf, parsePricedRef, resolvePrice } from './lookup.js';
import type { Cost, PricingOptions } from './types.js';

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
  messages?: ReadonlyArray<ChatMessageLike>;
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
  const { inputTokens, outputTokens, maxTokens, messages, prompt, images = 1, seconds } = options;
  let usage: number[];
  if (price.unit === 'token') {
    if (prompt !== undefined && typeof prompt !== 'string') {
      throw new PricingError('invalid-value', '`prompt` must be a string.');
    }
    usage = [inputTokens ?? countTokens(ref.model, [prompt], messages), outputTokens ?? maxTokens ?? 0];
  } else if (price.unit === 'image') {
    usage = [images];
  } else if (seconds === undefined) {
    throw new PricingError('missing-usage', `${model} bills per second: pass seconds.`);
  } else {
    usage = [seconds];
  }
  return buildCost(
    price,
    usage.map((quantity) => [quantity, true]),
    labelOf(ref),
  );
}
