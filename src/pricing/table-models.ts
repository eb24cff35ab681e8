import type { ImagePrice, ModelPrice, TokenPrice } from './types.js';

// Each source and its date once; a row names the source it comes from.
const LITELLM = ['LiteLLM model_prices_and_context_window.json @00035b69 (B)', '2026'] as const;
const BILLING_DOCS = ['replicate.com/docs/billing (A)', 'undated'] as const;
const MODEL_PAGE = 'replicate.com model page (A)';

/**
 * A per-token price from USD per million tokens, as the sources write it. The exponent is shifted in the
 * decimal spelling (`Number('0.65e-6')`), so `0.65` becomes exactly the double `6.5e-7`: no float division.
 */
const tok = (
  inputPerMillion: number,
  outputPerMillion: number,
  note?: string,
  [source, date]: readonly [string, string] = LITELLM,
): TokenPrice => ({
  unit: 'token',
  inputUsdPerToken: Number(`${inputPerMillion}e-6`),
  outputUsdPerToken: Number(`${outputPerMillion}e-6`),
  source,
  date,
  note,
});

const img = (usdPerImage: number, source: string, date = 'undated', note?: string): ImagePrice => ({
  unit: 'image',
  usdPerImage,
  source,
  date,
  note,
});

const MIXTRAL =
  'Conflict: llmreference.com (C, 2026-04-19) says $0.20/M input; kept B (never under-budgets).';
const LLAMA3 = "LiteLLM's key: replicate/meta/llama-3-*.";

/**
 * Per-token prices of Replicate's official language models and per-image prices of its official image
 * models, keyed by Replicate model id. Seed data with provenance: check replicate.com/pricing before relying
 * on a figure, and override it with `prices.models`.
 * @example
 * const price = MODEL_PRICES['meta/meta-llama-3-70b-instruct'];
 * if (price?.unit === 'token') console.log(price.inputUsdPerToken * 1e6, price.source); // 0.65 'LiteLLM …'
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  // USD per million input and output tokens
  'meta/meta-llama-3-70b-instruct': tok(0.65, 2.75, LLAMA3),
  'meta/meta-llama-3-70b': tok(0.65, 2.75, LLAMA3),
  'meta/meta-llama-3-8b-instruct': tok(0.05, 0.25, LLAMA3), // LiteLLM's own test uses the same figures
  'meta/meta-llama-3-8b': tok(0.05, 0.25, LLAMA3),
  // the docs' example: 8 input tokens cost $0.0000760, 43 output tokens $0.0004085
  'meta/meta-llama-3.1-405b-instruct': tok(9.5, 9.5, 'From the docs example (8 in, 43 out).', BILLING_DOCS),
  'meta/llama-2-70b-chat': tok(0.65, 2.75),
  'meta/llama-2-70b': tok(0.65, 2.75),
  'meta/llama-2-13b-chat': tok(0.1, 0.5),
  'meta/llama-2-13b': tok(0.1, 0.5),
  'meta/llama-2-7b-chat': tok(0.05, 0.25),
  'meta/llama-2-7b': tok(0.05, 0.25),
  'mistralai/mixtral-8x7b-instruct-v0.1': tok(0.3, 1, MIXTRAL),
  'mistralai/mistral-7b-instruct-v0.2': tok(0.05, 0.25),
  'mistralai/mistral-7b-v0.1': tok(0.05, 0.25),
  'deepseek-ai/deepseek-r1': tok(3.75, 10, 'Reasoning tokens bill at the output price.'), // 1e-5 in LiteLLM
  'deepseek-ai/deepseek-v3': tok(1.45, 1.45),
  'deepseek-ai/deepseek-v3.1': tok(0.672, 2.016, 'llmreference.com (C, 2026-05-14) agrees.'),
  'anthropic/claude-3.7-sonnet': tok(3, 15),
  'anthropic/claude-3.5-sonnet': tok(3.75, 18.75),
  'anthropic/claude-3.5-haiku': tok(1, 5),
  'anthropic/claude-4-sonnet': tok(3, 15),
  'anthropic/claude-4.5-sonnet': tok(3, 15),
  'anthropic/claude-4.5-haiku': tok(1, 5),
  'openai/gpt-4o': tok(2.5, 10),
  'openai/gpt-4o-mini': tok(0.15, 0.6),
  'openai/gpt-4.1': tok(2, 8),
  'openai/gpt-4.1-mini': tok(0.4, 1.6),
  'openai/gpt-4.1-nano': tok(0.1, 0.4),
  'openai/gpt-5': tok(1.25, 10),
  'openai/gpt-5-mini': tok(0.25, 2),
  'openai/gpt-5-nano': tok(0.05, 0.4),
  'openai/o1': tok(15, 60),
  'openai/o1-mini': tok(1.1, 4.4),
  'openai/o4-mini': tok(1, 4),
  'openai/gpt-oss-120b': tok(0.18, 0.72),
  'openai/gpt-oss-20b': tok(0.09, 0.36, "LiteLLM's key: replicateopenai/gpt-oss-20b (sic)."),
  'google/gemini-2.5-flash': tok(2.5, 2.5, 'Suspicious: Google direct is far cheaper.'),
  'google/gemini-3-pro': tok(2, 12),
  'xai/grok-4': tok(7.2, 36),
  'qwen/qwen3-235b-a22b-instruct-2507': tok(0.264, 1.06),
  'ibm-granite/granite-3.3-8b-instruct': tok(0.03, 0.25),
  // USD per output image
  'black-forest-labs/flux-schnell': img(0.003, `${MODEL_PAGE}; 3 sites agree (C)`, '2026-05'),
  'black-forest-labs/flux-dev': img(
    0.025,
    'workflowlab.dev, cinemasetfree.com (C)',
    '2026-05-11',
    'Conflict: a README says $0.0025, but its own "$1 / 40 images" is $0.025.',
  ),
  'black-forest-labs/flux-1.1-pro': img(0.04, 'lumenfall.ai, a README (C)'),
  'black-forest-labs/flux-1.1-pro-ultra': img(0.06, 'a README (C)'),
  'black-forest-labs/flux-pro': img(0.055, MODEL_PAGE),
  'stability-ai/stable-diffusion-3.5-large': img(
    0.065,
    'lumenfall.ai, langmart.ai (C)',
    'undated',
    'Conflict: one tutorial says ~$0.030; two catalogs say $0.065.',
  ),
  'stability-ai/stable-diffusion-3': img(0.035, MODEL_PAGE),
};
