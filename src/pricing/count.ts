import { type ChatMessageLike, chatTokens } from '../tokens/chat.js';
import { estimateFor } from '../tokens/estimate.js';
import { familyOf } from '../tokens/family.js';

/**
 * Estimated tokens of texts (joined by newlines) and chat messages for a model: what `estimateTokens` and
 * `countChatTokens` give for it, without the options pricing never passes (a bound, a counter).
 */
export function countTokens(
  model: string | undefined,
  texts: unknown[],
  messages?: ReadonlyArray<ChatMessageLike>,
): number {
  const family = model === undefined ? 'generic' : familyOf(model);
  const text = texts.map(textOf).filter(Boolean).join('\n');
  return (messages ? chatTokens(messages, family) : 0) + estimateFor(text, family);
}

/** A prompt or an output as text: a string, or the string parts of a streamed array. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.filter((part) => typeof part === 'string').join('') : '';
}
