import type { ChatMessageLike } from '../tokens/chat.js';
import { PricingError } from './errors.js';
import type { TokenEstimator } from './types.js';

/** A prompt or an output as text: a string, or the string parts of a streamed array. */
const textOf = (value: unknown): string =>
  [value]
    .flat()
    .filter((part) => typeof part === 'string')
    .join('');

/**
 * Tokens of texts (joined by newlines) and chat messages, counted by `estimator`; 0 with nothing to count,
 * so a count that is not needed never asks for an estimator.
 * @throws {PricingError} `missing-estimator` when there is something to count but no estimator: the message
 * names the `side`'s missing count (and `estimateCost`'s option for it) and how to get an estimator.
 */
export function countTokens(
  estimator: TokenEstimator | undefined,
  model: string | undefined,
  side: 'input' | 'output',
  texts: unknown[],
  messages?: ReadonlyArray<ChatMessageLike>,
): number {
  const text = texts.map(textOf).filter(Boolean).join('\n');
  if (!text && !messages) return 0;
  if (!estimator) {
    throw new PricingError(
      'missing-estimator',
      `No metrics.${side}_token_count (${side}Tokens): import { tokenEstimator } from 'replikit/tokens' and pass { estimator: tokenEstimator }.`,
    );
  }
  return (messages ? estimator.chat(messages, model) : 0) + (text ? estimator.text(text, model) : 0);
}
