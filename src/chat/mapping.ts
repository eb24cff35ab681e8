import { InvalidRequestError } from '../errors.js';
import { UnsupportedParameterError } from './errors.js';
import type { ChatModelInputs } from './model-inputs.js';
import { innerPrompt, type PromptTemplate, type TextMessage } from './templates.js';
import type { ChatCompletionCreateParams, ChatMessage } from './types.js';

/** The prediction input for one chat request, and what the adapter must enforce itself. */
export interface MappedInput {
  input: Record<string, unknown>;
  /** Every stop sequence: enforced client-side whatever the model supports. */
  stops: string[];
  /** The requested completion-token limit, for `finish_reason: 'length'`. */
  maxTokens: number | undefined;
}

const MAX_TOKEN_KEYS = ['max_tokens', 'max_new_tokens', 'max_length'];
/** Sent to models whose schema is unknown (deployments, bare versions): the official models' names. */
const DEFAULT_KEYS = new Set(['prompt', 'max_tokens', 'temperature', 'top_p']);
const SAMPLING = ['temperature', 'top_p', 'seed', 'presence_penalty', 'frequency_penalty'] as const;

/** Reject what Replicate cannot do, unless the caller chose to drop it. */
export function checkSupported(params: ChatCompletionCreateParams, drop: boolean): void {
  const unsupported: Array<[string, string, boolean]> = [
    ['tools', 'Replicate models have no tool calling', params.tools !== undefined && params.tools !== null],
    ['tool_choice', 'Replicate models have no tool calling', params.tool_choice != null],
    ['functions', 'Replicate models have no function calling', params.functions != null],
    ['function_call', 'Replicate models have no function calling', params.function_call != null],
    ['logprobs', 'Replicate does not return log probabilities', params.logprobs === true],
    ['top_logprobs', 'Replicate does not return log probabilities', params.top_logprobs != null],
    ['logit_bias', 'Replicate models take no logit bias', params.logit_bias != null],
    [
      'response_format',
      'structured output is not available',
      !!params.response_format && params.response_format.type !== 'text',
    ],
  ];
  const found = unsupported.find(([, , present]) => present);
  if (found && !drop) throw new UnsupportedParameterError(found[0], found[1]);
}

/** Messages as plain text turns; non-text content is unsupported for these text models. */
export function toTextMessages(messages: ChatMessage[], drop: boolean): TextMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidRequestError('`messages` must be a non-empty array.');
  }
  const out: TextMessage[] = [];
  messages.forEach((message, i) => {
    const role = message?.role === 'developer' ? 'system' : message?.role;
    if (role !== 'system' && role !== 'user' && role !== 'assistant') {
      if (drop) return;
      throw new UnsupportedParameterError(
        `messages[${i}].role`,
        `role ${JSON.stringify(message?.role)} needs tool calling`,
      );
    }
    out.push({ role, content: textOf(message.content, `messages[${i}].content`, drop) });
  });
  return out;
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
  const input: Record<string, unknown> = {};
  if (keys.has('messages')) input.messages = params.messages;
  else Object.assign(input, promptInput(messages, keys, inputs?.systemPromptDefault, template));

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

  const stops =
    params.stop == null
      ? []
      : (Array.isArray(params.stop) ? params.stop : [params.stop]).filter((s) => s !== '');
  const expressible = stops.filter((stop) => !stop.includes(','));
  if (keys.has('stop_sequences') && expressible.length > 0) input.stop_sequences = expressible.join(',');

  for (const key of SAMPLING) {
    const value = params[key];
    if (value !== undefined && value !== null && keys.has(key)) input[key] = value;
  }
  return { input, stops, maxTokens };
}

function promptInput(
  messages: TextMessage[],
  keys: ReadonlySet<string>,
  systemDefault: string | undefined,
  template: PromptTemplate | undefined,
): Record<string, unknown> {
  if (template === undefined) return untemplated(messages, keys);
  // The schema can switch Replicate's own templating off: send the whole rendered conversation.
  if (keys.has('prompt_template')) return { prompt: template(messages), prompt_template: '{prompt}' };
  if (keys.has('system_prompt')) {
    // Replicate wraps `prompt` with its template and `system_prompt`: send only the part inside.
    const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
    const systemText = system.length > 0 ? system.join('\n\n') : undefined;
    const inner = innerPrompt(template, messages, systemText ?? systemDefault ?? '');
    if (inner !== undefined)
      return systemText === undefined ? { prompt: inner } : { prompt: inner, system_prompt: systemText };
  }
  return { prompt: template(messages) };
}

/**
 * A model of unknown family: only what needs no template (one user turn, and a system prompt where the
 * schema has `system_prompt`) can be sent; anything else would be a silently wrong prompt.
 */
function untemplated(messages: TextMessage[], keys: ReadonlySet<string>): Record<string, unknown> {
  const system = messages.filter((m) => m.role === 'system');
  const turns = messages.filter((m) => m.role !== 'system');
  const simple =
    turns.length === 1 && turns[0]?.role === 'user' && (system.length === 0 || keys.has('system_prompt'));
  if (!simple) {
    throw new InvalidRequestError(
      'replikit does not know the prompt template of this model: pass `template` (a family such as ' +
        "'llama3' or a function from messages to prompt) to send a system message or several turns.",
    );
  }
  const prompt = turns[0]!.content;
  return system.length > 0
    ? { prompt, system_prompt: system.map((m) => m.content).join('\n\n') }
    : { prompt };
}
