import { estimateFor, estimateTokens, type TokenCounter } from './estimate.js';
import { resolveFamily, type TokenizerFamily } from './family.js';

/**
 * An OpenAI-style chat message. Only text parts count; image and audio parts are not estimated.
 * @example
 * const message: ChatMessageLike = { role: 'user', content: [{ type: 'text', text: 'Hi' }] };
 */
export interface ChatMessageLike {
  role: string;
  content?: string | ReadonlyArray<{ type: string; text?: string }> | null | undefined;
  name?: string | undefined;
}

/**
 * Options of `countChatTokens`.
 * @example
 * countChatTokens(messages, { model: 'qwen/qwen2.5-72b-instruct', upperBound: true });
 */
export interface CountChatTokensOptions {
  /**
   * Model id whose tokenizer family and chat template to use.
   * @default undefined (the `generic` family)
   */
  model?: string | undefined;
  /**
   * Tokenizer family; wins over `model`.
   * @default familyOf(model), or 'generic' without a model
   */
  family?: TokenizerFamily | undefined;
  /**
   * Count each message's text with `estimateTokens`'s upper bound (the template's own tokens are exact).
   * @default false
   */
  upperBound?: boolean | undefined;
  /**
   * Exact counter for the messages' text (the template's own tokens are added to it).
   * @default undefined (the built-in estimator)
   */
  counter?: TokenCounter | undefined;
}

/**
 * The chat template's own tokens per family, as the prompts of `replicate.chat` render them:
 * `[once, per system message, per user message, per assistant message]` (other roles count as user).
 * - llama3: `<|begin_of_text|>` + the assistant cue `<|start_header_id|>assistant<|end_header_id|>\n\n`
 *   (1 + 4) once; `<|start_header_id|>`, the role, `<|end_header_id|>`, `\n\n`, `<|eot_id|>` per message.
 * - llama2: `<s>[INST]` … ` [/INST]` = 1 + 3 + 4 per user turn; ` </s>` = 2 per answer;
 *   `<<SYS>>\n` … `\n<</SYS>>\n\n` = 5 + 8 for the system block (2 for `\n\n` per further system message).
 * - mistral: `<s>` once; `[INST]` … ` [/INST]` = 3 + 4 per user turn; `</s>` per answer; a system message
 *   is folded into the first user turn with `\n\n` (2).
 * - qwen (ChatML): `<|im_start|>`, the role, `\n`, `<|im_end|>`, `\n` per message; `<|im_start|>assistant\n` once.
 * - deepseek: `<｜begin▁of▁sentence｜>` and the final `<｜Assistant｜>` once; `<｜User｜>` per user turn,
 *   `<｜Assistant｜>` + `<｜end▁of▁sentence｜>` per answer; the system text follows BOS bare.
 * - generic: OpenAI's rule (3 per message, 3 to prime the reply).
 * Measured with llama3-tokenizer-js 1.2.0, llama-tokenizer-js 1.2.2 and mistral-tokenizer-js 1.0.0;
 * the ChatML and DeepSeek markers are single special tokens of those vocabularies.
 * @example
 * const [once, system, user, assistant] = TEMPLATE_TOKENS.llama3; // [5, 5, 5, 5]
 */
export const TEMPLATE_TOKENS: Readonly<Record<TokenizerFamily, readonly [number, number, number, number]>> = {
  llama3: [5, 5, 5, 5],
  llama2: [0, 13, 8, 2],
  mistral: [1, 2, 7, 1],
  qwen: [3, 5, 5, 5],
  deepseek: [2, 0, 1, 2],
  generic: [3, 3, 3, 3],
};

function textOf(message: unknown, index: number): { role: string; text: string } {
  const m = message as ChatMessageLike | null;
  if (typeof m !== 'object' || m === null || typeof m.role !== 'string') {
    throw new TypeError(`countChatTokens: messages[${index}] must be an object with a string role`);
  }
  const { content } = m;
  if (content === undefined || content === null) return { role: m.role, text: '' };
  if (typeof content === 'string') return { role: m.role, text: content };
  if (!Array.isArray(content)) {
    throw new TypeError(`countChatTokens: messages[${index}].content must be a string or an array of parts`);
  }
  let text = '';
  for (const part of content as ReadonlyArray<{ type?: unknown; text?: unknown }>) {
    if (part?.type === 'text' && typeof part.text === 'string') text += part.text;
  }
  return { role: m.role, text };
}

/**
 * Count the prompt tokens of a chat: each message's text plus the chat template's own tokens (role
 * headers, turn markers, BOS, the cue for the answer) of the model's family.
 * @throws {TypeError} when `messages` is not an array of `{ role, content }` or the family is unknown.
 * @example
 * countChatTokens(
 *   [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Name a prime.' }],
 *   { model: 'meta/meta-llama-3-70b-instruct' },
 * ); // 23: 4 + 4 tokens of text, 15 of template
 */
export function countChatTokens(
  messages: ReadonlyArray<ChatMessageLike>,
  options: CountChatTokensOptions = {},
): number {
  const family = resolveFamily(options);
  const textOptions = { family, upperBound: options.upperBound, counter: options.counter };
  return chatTokens(messages, family, (text) => estimateTokens(text, textOptions));
}

/**
 * `countChatTokens` for a resolved family, each message's text counted by `count` (by default the closest
 * estimate). For `tokenEstimator`, which needs no bound or counter.
 */
export function chatTokens(
  messages: ReadonlyArray<ChatMessageLike>,
  family: TokenizerFamily,
  count = (text: string) => estimateFor(text, family),
): number {
  if (!Array.isArray(messages)) throw new TypeError('countChatTokens: messages must be an array');
  const [once, system, user, assistant] = TEMPLATE_TOKENS[family];
  let total = once;
  let systems = 0;
  messages.forEach((message, i) => {
    const { role, text } = textOf(message, i);
    if (role === 'system' || role === 'developer') {
      // Llama 2 opens one <<SYS>> block; later system messages join it with \n\n.
      total += family === 'llama2' && systems++ > 0 ? 2 : system;
    } else total += role === 'assistant' ? assistant : user;
    total += count(text);
  });
  return total;
}
