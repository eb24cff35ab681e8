import { InvalidRequestError } from '../errors.js';
import { UnsupportedParameterError } from './errors.js';
import type { ChatModelInputs } from './model-inputs.js';
import { innerPrompt, type PromptTemplate, splitSystem, type TextMessage } from './templates.js';
import type { ChatCompletionCreateParams, ChatMessage } from './types.js';

/** The prediction input for one chat request, and what the adapter must enforce itself. */
export interface MappedInput {
  input: Record<string, unknown>;
  /** Every stop sequence: enforced client-side whatever the model supports. */
  stops: string[];
  /** The completion-token limit in force (requested, else the schema's default), for `finish_reason`. */
  maxTokens: number | undefined;
}

const MAX_TOKEN_KEYS = ['max_tokens', 'max_new_tokens', 'max_length'];
/** Sent to models whose schema is unknown (deployments, bare versions): the official models' names. */
const DEFAULT_KEYS = new Set(['prompt', 'max_tokens', 'temperature', 'top_p']);
const SAMPLING = ['temperature', 'top_p', 'seed', 'presence_penalty', 'frequency_penalty'] as const;

/** Parameters Replicate cannot honour, and what they need. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  tools: 'tool calling',
  tool_choice: 'tool calling',
  functions: 'function calling',
  function_call: 'function calling',
  logprobs: 'log probabilities',
  top_logprobs: 'log probabilities',
  logit_bias: 'logit bias',
  response_format: 'structured output',
};

/** Reject what Replicate cannot do, unless the caller chose to drop it. */
export function checkSupported(params: ChatCompletionCreateParams, drop: boolean): void {
  if (drop) return;
  for (const [param, what] of Object.entries(UNSUPPORTED)) {
    const value = params[param] as { type?: unknown } | null | undefined;
    const present =
      param === 'logprobs'
        ? (value as unknown) === true
        : param === 'response_format'
          ? !!value && value.type !== 'text'
          : value != null;
    if (present) throw new UnsupportedParameterError(param, `Replicate models have no ${what}`);
  }
}

/** Messages as plain text turns; non-text content is unsupported for these text models. */
export function toTextMessages(messages: ChatMessage[], drop: boolean): TextMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidRequestError('`messages` must be a non-empty array.');
  }
  return messages.flatMap((message, i) => {
    const role = message?.role === 'developer' ? 'system' : message?.role;
    if (role === 'system' || role === 'user' || role === 'assistant') {
      return [{ role, content: textOf(message.content, `messages[${i}].content`, drop) }];
    }
    if (drop) return [];
    throw new UnsupportedParameterError(
      `messages[${i}].role`,
      `role ${JSON.stringify(message?.role)} needs tool calling`,
    );
  });
}

function textOf(content: ChatMessage['content'], path: string, drop: boolean): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content))
    throw new InvalidRequestError(`\`${path}\` must be a string or an array of parts.`);
  return content
    .map((part, j) => {
      if (part?.type === 'text' && typeof part.text === 'string') return part.text;
      if (drop) return '';
      throw new UnsupportedParameterError(
        `${path}[${j}]`,
        `${String(part?.type)} content needs a multimodal model`,
      );
    })
    .join('');
}

/**
 * Build the prediction input: a templated `prompt` (or `messages` for models that take them), the
 * token limit under the key the schema uses, `stop_sequences` as one comma-joined string, and sampling
 * parameters only where the schema has them.
 */
export function mapChatInput(
  params: ChatCompletionCreateParams,
  messages: TextMessage[],
  inputs: ChatModelInputs | undefined,
  template: PromptTemplate | undefined,
  drop: boolean,
): MappedInput {
  const keys = inputs?.keys ?? DEFAULT_KEYS;
  const input: Record<string, unknown> = keys.has('messages')
    ? { messages: params.messages }
    : promptInput(messages, keys, inputs?.systemPromptDefault, template);

  const maxTokens = params.max_completion_tokens ?? params.max_tokens ?? undefined;
  if (maxTokens !== undefined) {
    if (!Number.isInteger(maxTokens) || maxTokens < 1) {
      throw new InvalidRequestError(
        `Invalid max_tokens ${JSON.stringify(maxTokens)}: use a positive integer.`,
      );
    }
    const key = MAX_TOKEN_KEYS.find((k) => keys.has(k));
    if (key) input[key] = maxTokens;
    else if (!drop) throw new UnsupportedParameterError('max_tokens', 'this model has no token-limit input');
  }

  const stops = [params.stop ?? []].flat().filter((stop) => stop !== '');
  const expressible = stops.filter((stop) => !stop.includes(','));
  if (keys.has('stop_sequences') && expressible.length > 0) input.stop_sequences = expressible.join(',');

  for (const key of SAMPLING) {
    const value = params[key];
    if (value !== undefined && value !== null && keys.has(key)) input[key] = value;
  }
  return { input, stops, maxTokens: maxTokens ?? inputs?.maxTokensDefault };
}

function promptInput(
  messages: TextMessage[],
  keys: ReadonlySet<string>,
  systemDefault: string | undefined,
  template: PromptTemplate | undefined,
): Record<string, unknown> {
  const { system, turns } = splitSystem(messages);
  const withSystem = (prompt: string) =>
    system === undefined ? { prompt } : { prompt, system_prompt: system };
  if (template === undefined) {
    // A model of unknown family: only what needs no template (one user turn, and a system prompt where the
    // schema has `system_prompt`) can be sent; anything else would be a silently wrong prompt.
    if (
      turns.length !== 1 ||
      turns[0]!.role !== 'user' ||
      (system !== undefined && !keys.has('system_prompt'))
    ) {
      throw new InvalidRequestError(
        "No prompt template known for this model: pass `template` (e.g. 'llama3') to send a system message " +
          'or several turns.',
      );
    }
    return withSystem(turns[0]!.content);
  }
  // The schema can switch Replicate's own templating off: send the whole rendered conversation.
  if (keys.has('prompt_template')) return { prompt: template(messages), prompt_template: '{prompt}' };
  if (keys.has('system_prompt')) {
    // Replicate wraps `prompt` with its template and `system_prompt`: send only the part inside.
    const inner = innerPrompt(template, messages, system ?? systemDefault ?? '');
    if (inner !== undefined) return withSystem(inner);
  }
  return { prompt: template(messages) };
}
