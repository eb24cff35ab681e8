import { type ModelRef, parseModelRef } from '../identifiers.js';
import type { Models } from '../resources/models.js';
import type { TemplateFamily } from './templates.js';

/** What a chat model's input schema offers: the property names and the defaults we need. */
export interface ChatModelInputs {
  /** Input property names from the model's `Input` schema (of a built-in model, those chat reads). */
  keys: ReadonlySet<string>;
  /** Default of `system_prompt`, when the schema has one. */
  systemPromptDefault?: string | undefined;
  /** Default of the token-limit input, for `finish_reason: 'length'` when the caller sets no limit. */
  maxTokensDefault?: number | undefined;
  /** `false` when the model's output is files (an image model): chat cannot drive it. */
  textOutput?: boolean;
}

const PENALTIES = 'presence_penalty frequency_penalty';
const HELPFUL = 'You are a helpful assistant.';

/**
 * Built-in input schemas of popular official chat models (from Replicate's published model list,
 * 2025-01; official models are versionless, so these are checked against nothing at run time — pass
 * `fetchSchema: true` to read the live schema instead). Each row: the models (space-separated), the input
 * keys chat reads besides `prompt`, `temperature` and `top_p` (which they all have), the token limit's
 * default and `system_prompt`'s default.
 */
const BUILT_IN: ReadonlyArray<readonly [models: string, keys: string, maxTokens: number, system?: string]> = [
  [
    'meta/meta-llama-3-70b-instruct meta/meta-llama-3-8b-instruct meta/meta-llama-3-70b meta/meta-llama-3-8b',
    `prompt_template max_tokens ${PENALTIES}`,
    512,
  ],
  [
    'meta/meta-llama-3.1-405b-instruct ibm-granite/granite-3.1-8b-instruct',
    `system_prompt max_tokens stop_sequences ${PENALTIES}`,
    512,
    HELPFUL,
  ],
  [
    'meta/llama-2-70b-chat meta/llama-2-13b-chat',
    'system_prompt max_new_tokens stop_sequences seed',
    128,
    HELPFUL,
  ],
  [
    'meta/llama-2-7b-chat',
    'system_prompt max_new_tokens stop_sequences seed',
    128,
    'You are a helpful, respectful and honest assistant.',
  ],
  ['meta/codellama-34b-instruct', `system_prompt max_tokens ${PENALTIES}`, 500, ''],
  [
    'mistralai/mixtral-8x7b-instruct-v0.1 mistralai/mistral-7b-instruct-v0.2',
    `prompt_template max_new_tokens ${PENALTIES}`,
    512,
  ],
  ['mistralai/mistral-7b-v0.1', 'max_new_tokens stop_sequences seed', 128],
];

/** The built-in inputs of a model name (`owner/name`), for chat and for tests. */
export function builtInInputs(name: string): ChatModelInputs | undefined {
  const row = BUILT_IN.find(([models]) => models.split(' ').includes(name));
  return (
    row && {
      keys: new Set(`prompt temperature top_p ${row[1]}`.split(' ')),
      maxTokensDefault: row[2],
      systemPromptDefault: row[3],
    }
  );
}

/**
 * Normalise a chat model id: strips the gateway spellings `replicate/` and `replicate:chat:`, then
 * validates it as a model reference.
 */
export function chatModelRef(model: string): { id: string; ref: ModelRef } {
  // Anything but a string is left to `parseModelRef`, whose error names the accepted forms.
  const id =
    typeof model === 'string'
      ? model.replace(/^replicate:chat:/, '').replace(/^replicate\/(?=[^/]+\/[^/]+$)/, '')
      : model;
  return { id, ref: parseModelRef(id) };
}

/** Template families by what their model names contain, tried in order. */
const FAMILY_NAMES: Readonly<Record<TemplateFamily, RegExp>> = {
  llama3: /llama-?3(?!\d)/,
  llama2: /llama-?2(?!\d)|codellama/,
  mistral: /mi[sx]tral/,
  deepseek: /deepseek/,
  granite: /granite/,
  gemma: /gemma/,
  chatml: /qwen|yi-|chatml|hermes/,
};

/** The template family of a model, from its name; `undefined` when unknown. */
export function templateFamilyOf(name: string): TemplateFamily | undefined {
  return (Object.keys(FAMILY_NAMES) as TemplateFamily[]).find((family) =>
    FAMILY_NAMES[family].test(name.toLowerCase()),
  );
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
   * The inputs of a model: built-in knowledge first (unless `fetchSchema`), else the model's latest
   * version (or the given version) from the API, cached for the client's lifetime. None for deployments
   * and bare version ids, whose model is not known.
   */
  async get(
    ref: ModelRef,
    { fetchSchema, signal }: { fetchSchema?: boolean | undefined; signal?: AbortSignal | undefined },
  ): Promise<ChatModelInputs | undefined> {
    const { owner, name } = ref;
    if (!owner || !name || ref.kind === 'deployment') return undefined;
    const id = `${owner}/${name}`;
    const builtIn = fetchSchema || ref.kind === 'version' ? undefined : builtInInputs(id);
    if (builtIn) return builtIn;
    const key = ref.kind === 'version' ? `${id}:${ref.version}` : id;
    let pending = this.#cache.get(key);
    if (!pending) {
      const version =
        ref.kind === 'version'
          ? this.#models.versions.get(owner, name, ref.version, { signal })
          : this.#models.get(owner, name, { signal }).then((model) => model.latest_version);
      pending = version.then(
        (found) => inputsFromOpenApi(found?.openapi_schema),
        (error: unknown) => {
          this.#cache.delete(key);
          throw error;
        },
      );
      this.#cache.set(key, pending);
    }
    return pending;
  }
}
