import { InvalidRequestError } from '../errors.js';
import { type ModelRef, parseModelRef } from '../identifiers.js';
import type { Models } from '../resources/models.js';
import type { TemplateFamily } from './templates.js';

/** What a chat model's input schema offers: the property names and the defaults we need. */
export interface ChatModelInputs {
  /** Input property names from the model's `Input` schema. */
  keys: ReadonlySet<string>;
  /** Default of `system_prompt`, when the schema has one. */
  systemPromptDefault?: string | undefined;
  /** Default of the token-limit input, for `finish_reason: 'length'` when the caller sets no limit. */
  maxTokensDefault?: number | undefined;
  /** `false` when the model's output is files (an image model): chat cannot drive it. */
  textOutput?: boolean;
}

const LLAMA3 = [
  'prompt',
  'prompt_template',
  'max_tokens',
  'min_tokens',
  'temperature',
  'top_p',
  'top_k',
  'presence_penalty',
  'frequency_penalty',
];
const LLAMA31 = [
  'prompt',
  'system_prompt',
  'max_tokens',
  'min_tokens',
  'temperature',
  'top_p',
  'top_k',
  'presence_penalty',
  'frequency_penalty',
  'stop_sequences',
];
const LLAMA2 = [
  'prompt',
  'system_prompt',
  'max_new_tokens',
  'min_new_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'seed',
];
const MISTRAL_OFFICIAL = [
  'prompt',
  'prompt_template',
  'max_new_tokens',
  'min_new_tokens',
  'temperature',
  'top_p',
  'top_k',
  'presence_penalty',
  'frequency_penalty',
];

const HELPFUL = 'You are a helpful assistant.';

/**
 * Built-in input schemas of popular official chat models (from Replicate's published model list,
 * 2025-01; official models are versionless, so these are checked against nothing at run time — pass
 * `schema: 'fetch'` to read the live schema instead).
 */
const BUILT_IN: Readonly<Record<string, ChatModelInputs>> = {
  'meta/meta-llama-3-70b-instruct': { keys: new Set(LLAMA3), maxTokensDefault: 512 },
  'meta/meta-llama-3-8b-instruct': { keys: new Set(LLAMA3), maxTokensDefault: 512 },
  'meta/meta-llama-3-70b': { keys: new Set(LLAMA3), maxTokensDefault: 512 },
  'meta/meta-llama-3-8b': { keys: new Set(LLAMA3), maxTokensDefault: 512 },
  'meta/meta-llama-3.1-405b-instruct': {
    keys: new Set(LLAMA31),
    systemPromptDefault: HELPFUL,
    maxTokensDefault: 512,
  },
  'meta/llama-2-70b-chat': { keys: new Set(LLAMA2), systemPromptDefault: HELPFUL, maxTokensDefault: 128 },
  'meta/llama-2-13b-chat': { keys: new Set(LLAMA2), systemPromptDefault: HELPFUL, maxTokensDefault: 128 },
  'meta/llama-2-7b-chat': {
    keys: new Set([...LLAMA2, 'repetition_penalty']),
    systemPromptDefault: 'You are a helpful, respectful and honest assistant.',
    maxTokensDefault: 128,
  },
  'meta/codellama-34b-instruct': {
    keys: new Set([
      'prompt',
      'system_prompt',
      'max_tokens',
      'temperature',
      'top_p',
      'top_k',
      'repeat_penalty',
      'presence_penalty',
      'frequency_penalty',
    ]),
    systemPromptDefault: '',
    maxTokensDefault: 500,
  },
  'ibm-granite/granite-3.1-8b-instruct': {
    keys: new Set(LLAMA31),
    systemPromptDefault: HELPFUL,
    maxTokensDefault: 512,
  },
  'mistralai/mixtral-8x7b-instruct-v0.1': { keys: new Set(MISTRAL_OFFICIAL), maxTokensDefault: 512 },
  'mistralai/mistral-7b-instruct-v0.2': { keys: new Set(MISTRAL_OFFICIAL), maxTokensDefault: 512 },
  'mistralai/mistral-7b-v0.1': {
    keys: new Set([
      'prompt',
      'max_new_tokens',
      'min_new_tokens',
      'temperature',
      'top_p',
      'top_k',
      'stop_sequences',
      'seed',
    ]),
    maxTokensDefault: 128,
  },
};

/**
 * Normalise a chat model id: strips the gateway spellings `replicate/` and `replicate:chat:`, then
 * validates it as a model reference.
 */
export function chatModelRef(model: string): { id: string; ref: ModelRef } {
  if (typeof model !== 'string') throw new InvalidRequestError('`model` must be a string.');
  const id = model.replace(/^replicate:chat:/, '').replace(/^replicate\/(?=[^/]+\/[^/]+$)/, '');
  return { id, ref: parseModelRef(id) };
}

/** The `owner/name` part of a reference, when it has one. */
export function modelName(ref: ModelRef): string | undefined {
  return ref.owner && ref.name ? `${ref.owner}/${ref.name}` : undefined;
}

/** The template family of a model name, from its name; `undefined` when unknown. */
export function templateFamilyOf(name: string): TemplateFamily | undefined {
  const id = name.toLowerCase();
  if (/llama-?3|llama3/.test(id)) return 'llama3';
  if (/llama-?2|codellama/.test(id)) return 'llama2';
  if (/mi[sx]tral/.test(id)) return 'mistral';
  if (/deepseek/.test(id)) return 'deepseek';
  if (/granite/.test(id)) return 'granite';
  if (/gemma/.test(id)) return 'gemma';
  if (/qwen|yi-|chatml|hermes/.test(id)) return 'chatml';
  return undefined;
}

interface JsonSchema {
  type?: string;
  format?: string;
  default?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
}

/** Extract what chat needs from a version's `openapi_schema`: input names, defaults, output kind. */
export function inputsFromOpenApi(schema: unknown): ChatModelInputs | undefined {
  const schemas = (schema as { components?: { schemas?: { Input?: JsonSchema; Output?: JsonSchema } } })
    ?.components?.schemas;
  const input = schemas?.Input?.properties;
  if (!input || typeof input !== 'object') return undefined;
  const output = schemas?.Output;
  const systemDefault = input.system_prompt?.default;
  const maxDefault = (input.max_tokens ?? input.max_new_tokens ?? input.max_length)?.default;
  return {
    keys: new Set(Object.keys(input)),
    systemPromptDefault: typeof systemDefault === 'string' ? systemDefault : undefined,
    maxTokensDefault: typeof maxDefault === 'number' ? maxDefault : undefined,
    textOutput: (output?.items ?? output)?.format !== 'uri',
  };
}

/** Looks up (and caches) the input schema of chat models. */
export class ModelInputsCache {
  readonly #models: Models;
  readonly #cache = new Map<string, Promise<ChatModelInputs | undefined>>();

  constructor(models: Models) {
    this.#models = models;
  }

  /**
   * The inputs of a model: built-in knowledge first (unless `fetch` is forced), else the model's
   * latest version (or the given version) from the API, cached for the client's lifetime.
   */
  get(
    ref: ModelRef,
    options: { fetch?: boolean; signal?: AbortSignal } = {},
  ): Promise<ChatModelInputs | undefined> {
    const name = modelName(ref);
    if (!name) return Promise.resolve(undefined);
    if (!options.fetch && ref.kind === 'model' && BUILT_IN[name]) return Promise.resolve(BUILT_IN[name]);
    const key = ref.kind === 'version' ? `${name}:${ref.version}` : name;
    let pending = this.#cache.get(key);
    if (!pending) {
      pending = this.#load(ref, name, options.signal).catch((error: unknown) => {
        this.#cache.delete(key);
        throw error;
      });
      this.#cache.set(key, pending);
    }
    return pending;
  }

  async #load(
    ref: ModelRef,
    name: string,
    signal: AbortSignal | undefined,
  ): Promise<ChatModelInputs | undefined> {
    const [owner, model] = name.split('/') as [string, string];
    if (ref.kind === 'version') {
      return inputsFromOpenApi(
        (await this.#models.versions.get(owner, model, ref.version, { signal })).openapi_schema,
      );
    }
    if (ref.kind === 'deployment') return undefined;
    return inputsFromOpenApi(
      (await this.#models.get(owner, model, { signal })).latest_version?.openapi_schema,
    );
  }
}

/** The built-in inputs of a model name, for tests and docs. */
export function builtInInputs(name: string): ChatModelInputs | undefined {
  return BUILT_IN[name];
}
