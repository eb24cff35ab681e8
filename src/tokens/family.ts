/** Tokenizer families of the models Replicate serves, and which family a model id belongs to. */

/**
 * The tokenizer families `estimateTokens` knows; `generic` is the fallback for any other model.
 * @example
 * for (const family of FAMILIES) console.log(family, estimateTokens(text, { family }));
 */
export const FAMILIES = ['llama3', 'llama2', 'mistral', 'qwen', 'deepseek', 'generic'] as const;

/**
 * A tokenizer family: `llama3` (Llama 3, 3.1, 3.2, 3.3), `llama2` (Llama 2, Code Llama), `mistral`
 * (Mistral 7B, Mixtral: the 32k v0.1 vocabulary), `qwen` (Qwen 2, 2.5, 3, QwQ), `deepseek` (V3, R1) or
 * `generic` (anything else: the mean of the five).
 * @example
 * const family: TokenizerFamily = familyOf(model);
 */
export type TokenizerFamily = (typeof FAMILIES)[number];

/**
 * The tokenizer family of a model id. Accepts `owner/name`, `owner/name:version` and the gateway
 * spellings `replicate/owner/name` and `replicate:chat:owner/name`; case does not matter. An unknown
 * model gives `generic`.
 * @example
 * familyOf('meta/meta-llama-3-70b-instruct'); // 'llama3'
 * familyOf('replicate:chat:mistralai/mixtral-8x7b-instruct-v0.1'); // 'mistral'
 */
export function familyOf(modelId: string): TokenizerFamily {
  if (typeof modelId !== 'string') {
    throw new TypeError(`familyOf: the model id must be a string, got ${typeof modelId}`);
  }
  const id = modelId
    .toLowerCase()
    .replace(/^replicate(:chat:|\/)/, '')
    .replace(/:[^/]*$/, '');
  // R1 distills keep the tokenizer of the model they were distilled into.
  if (/distill-qwen/.test(id)) return 'qwen';
  if (/distill-llama/.test(id)) return 'llama3';
  if (/codellama|llama-?2(?!\d)/.test(id)) return 'llama2';
  // Llama Guard 2 and 3 are Llama 3 models.
  if (/llama-?3(?!\d)|llama-guard-[23]/.test(id)) return 'llama3';
  if (/mi[sx]tral/.test(id)) return 'mistral';
  if (/qwen|qwq/.test(id)) return 'qwen';
  if (/deepseek/.test(id)) return 'deepseek';
  return 'generic';
}

/**
 * The family of a model id, `generic` without one.
 * @example
 * modelFamily(undefined); // 'generic'
 */
export const modelFamily = (model: string | undefined): TokenizerFamily =>
  model === undefined ? 'generic' : familyOf(model);

/** The family named by `family`, else the one of `model`, else `generic`; an unknown name throws. */
export function resolveFamily(options: {
  model?: string | undefined;
  family?: string | undefined;
}): TokenizerFamily {
  const { family, model } = options;
  if (family !== undefined) {
    if (!(FAMILIES as readonly string[]).includes(family)) {
      throw new TypeError(
        `Unknown tokenizer family ${JSON.stringify(family)}: use one of ${FAMILIES.join(', ')}`,
      );
    }
    return family as TokenizerFamily;
  }
  return modelFamily(model);
}
