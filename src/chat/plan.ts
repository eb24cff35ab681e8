import { InvalidRequestError } from '../errors.js';
import type { AuthOption } from '../http/auth.js';
import type { ChatFallback } from '../policies/fallback.js';
import { checkSupported, mapChatInput, toTextMessages } from './mapping.js';
import { chatModelRef, type ModelInputsCache, templateFamilyOf } from './model-inputs.js';
import {
  type PromptTemplate,
  TEMPLATE_STOPS,
  TEMPLATES,
  type TemplateFamily,
  type TextMessage,
} from './templates.js';
import type { ChatCompletionCreateParams } from './types.js';

/** Per-request options of `chat.completions.create`, beside OpenAI's parameters. */
export interface ChatRequestOptions {
  /** Aborts the request and cancels its predictions; rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /**
   * Ignore parameters Replicate cannot honour (`tools`, `logprobs`, image parts…) instead of throwing
   * `UnsupportedParameterError`.
   * @default false
   */
  dropUnsupported?: boolean | undefined;
  /**
   * The prompt template: a family name or a function from messages to prompt (for fine-tunes).
   * @default the family guessed from the model name (llama2, llama3, mistral, chatml, deepseek, granite, gemma)
   */
  template?: TemplateFamily | PromptTemplate | undefined;
  /**
   * Read the model's input schema from the API even for models replikit knows built in.
   * @default false
   */
  fetchSchema?: boolean | undefined;
  /**
   * Models or OpenAI-compatible functions to try in order when this completion fails with an error worth it
   * (see the client's `fallback`); `false` turns the client's fallbacks off for this request.
   * @default the client's `fallback`
   */
  fallback?: readonly ChatFallback[] | false | undefined;
  /**
   * Ms a prediction may stay `starting` before it is canceled with `ColdStartTimeoutError` (and the fallbacks run).
   * @default the client's `coldStartTimeout`, else no limit
   */
  coldStartTimeout?: number | undefined;
  /**
   * The API key (or key pool) for this request only, instead of the client's `auth` and `authByModel`.
   * @default the client's keys
   */
  auth?: AuthOption | undefined;
}

/** Everything one chat request runs: validated, mapped, ready for n predictions. */
export interface ChatPlan {
  /** The model id without gateway prefixes, as predictions are created with and as answers name it. */
  model: string;
  input: Record<string, unknown>;
  /** Stop sequences enforced client-side: the caller's and the template's end-of-turn markers. */
  stops: string[];
  /** The completion-token limit in force (requested or the schema's default), for `finish_reason`. */
  maxTokens: number | undefined;
  n: number;
  messages: TextMessage[];
  /** Stream tokens (no `Prefer: wait`), or hold the create open for the whole answer. */
  stream: boolean;
  includeUsage: boolean;
}

/** Validate OpenAI parameters and map them onto the model's inputs. */
export async function planChat(
  params: ChatCompletionCreateParams,
  options: ChatRequestOptions,
  inputsCache: ModelInputsCache,
): Promise<ChatPlan> {
  if (!params || typeof params !== 'object')
    throw new InvalidRequestError('Chat parameters must be an object.');
  const drop = options.dropUnsupported === true;
  checkSupported(params, drop);
  const n = params.n ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 128) {
    throw new InvalidRequestError(`Invalid n ${JSON.stringify(params.n)}: use an integer from 1 to 128.`);
  }
  const { id, ref } = chatModelRef(params.model);
  const messages = toTextMessages(params.messages, drop);
  const inputs = await inputsCache.get(ref, options);
  if (inputs?.textOutput === false) {
    throw new InvalidRequestError(`${id} is not a text model (its output is files): use run().`);
  }
  const { template } = options;
  const custom = typeof template === 'function';
  const family = custom ? undefined : (template ?? templateFamilyOf(id));
  if (family !== undefined && !Object.hasOwn(TEMPLATES, family)) {
    throw new InvalidRequestError(`Unknown template family ${JSON.stringify(family)}.`);
  }
  const mapped = mapChatInput(
    params,
    messages,
    inputs,
    custom ? template : family && TEMPLATES[family],
    drop,
  );
  return {
    ...mapped,
    model: id,
    stops: family ? [...mapped.stops, TEMPLATE_STOPS[family]] : mapped.stops,
    n,
    messages,
    stream: params.stream === true,
    includeUsage: params.stream_options?.include_usage === true,
  };
}
