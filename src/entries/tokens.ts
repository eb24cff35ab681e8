/**
 * `replikit/tokens`: token counts without a vocabulary. `estimateTokens` estimates a text's tokens for
 * the tokenizer families Replicate serves (or calls an exact counter you plug in), `countChatTokens`
 * adds the chat template's own tokens, `familyOf` maps a model id to its family, `tokenEstimator` counts
 * the tokens `replikit/pricing` needs when a prediction reports none.
 */
export {
  type ChatMessageLike,
  type CountChatTokensOptions,
  countChatTokens,
  TEMPLATE_TOKENS,
} from '../tokens/chat.js';
export {
  type EstimateTokensOptions,
  estimateTokens,
  type TokenCounter,
  tokenUpperBound,
} from '../tokens/estimate.js';
export { FAMILIES, familyOf, type TokenizerFamily } from '../tokens/family.js';
export { tokenEstimator } from '../tokens/token-estimator.js';
