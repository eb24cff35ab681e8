import type { ChatMessageLike } from '../tokens/chat.js';
import { priceUsage } from './calculate.js';
import { PricingError } from './errors.js';
import type { Cost, PricingOptions } from './types.js';

/** What a call will use, for `estimateCost`. */
export interface EstimateOptions extends PricingOptions {
  /**
   * Input tokens, when you know them.
   * @default counted from `messages` and `prompt` by `estimator`, else 0
   */
  inputTokens?: number;
  /**
   * Chat messages to count input tokens from, with `estimator` (`tokenEstimator` counts them as
   * `countChatTokens` does).
   * @default undefined
   */
  messages?: ReadonlyArray<ChatMessageLike>;
  /**
   * Prompt text to count input tokens from, with `estimator` (`tokenEstimator` counts it as `estimateTokens`
   * does).
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
   * Seconds of predict time, for per-second models (required there: `missing-usage` without).
   * @default undefined
   */
  seconds?: number;
}

/**
 * The cost of a call before making it, in USD (`basis: 'estimated'`).
 * @throws {PricingError} `unknown-model` or `missing-hardware` (unless `onUnknown: 'undefined'`);
 * `unknown-hardware`; `missing-usage` without `seconds` for per-second pricing; `missing-estimator` for
 * `prompt` or `messages` without `inputTokens` or `estimator`; `invalid-value`.
 * @example
 * estimateCost('meta/meta-llama-3-70b-instruct', { inputTokens: 1000, maxTokens: 500 }).total; // 0.002025
 * estimateCost('meta/meta-llama-3-70b-instruct', { messages, maxTokens: 500, estimator: tokenEstimator });
 */
export function estimateCost(
  model: string,
  options: EstimateOptions & { onUnknown: 'undefined' },
): Cost | undefined;
export function estimateCost(model: string, options?: EstimateOptions): Cost;
export function estimateCost(model: string, options: EstimateOptions = {}): Cost | undefined {
  const { prompt, inputTokens, outputTokens, maxTokens, images = 1, seconds } = options;
  if (prompt !== undefined && typeof prompt !== 'string') {
    throw new PricingError('invalid-value', '`prompt` must be a string.');
  }
  // priced as a prediction that reported what the options say; its input (`prompt`, `messages`) is counted
  // for what they do not
  const metrics = {
    input_token_count: inputTokens,
    output_token_count: outputTokens ?? maxTokens ?? 0,
    image_count: images,
    predict_time: seconds,
  };
  return priceUsage({ model, status: 'succeeded', input: { ...options }, metrics }, options, true);
}
