import { type ChatMessageLike, chatTokens } from './chat.js';
import { estimateFor } from './estimate.js';
import { modelFamily } from './family.js';

/**
 * The built-in `TokenEstimator` of `replikit/pricing`: what `estimateTokens` and `countChatTokens` give for
 * the model's family (`generic` without a model), the closest estimate. Pass it where a cost needs token
 * counts a prediction's metrics lack; `replikit/pricing` bundles no estimator of its own. (Typed without
 * importing `TokenEstimator`, so that nothing of pricing, not even a type, reaches the core through here.)
 * @example
 * import { calculateCost, estimateCost } from 'replikit/pricing';
 * import { tokenEstimator } from 'replikit/tokens';
 * calculateCost(prediction, { estimator: tokenEstimator }); // basis 'estimated' when metrics have no counts
 * estimateCost('meta/meta-llama-3-8b-instruct', { messages, maxTokens: 200, estimator: tokenEstimator });
 */
export const tokenEstimator = {
  /** Tokens of a text for a model id (any spelling `familyOf` takes). */
  text: (text: string, model: string | undefined): number => estimateFor(text, modelFamily(model)),
  /** Prompt tokens of chat messages for a model id: their text plus the chat template's own tokens. */
  chat: (messages: ReadonlyArray<ChatMessageLike>, model: string | undefined): number =>
    chatTokens(messages, modelFamily(model)),
};
