import type { ImagePrice, ModelPrice, TokenPrice } from './types';

// Prices are per token here (docs speak per million): $0.65/M is written 6.5e-7, never 0.65 / 1e6.
const LITELLM = 'LiteLLM model_prices_and_context_window.json @00035b69 (B)';
const LITELLM_DATE = '2026';

const tok = (
  inputUsdPerToken: number,
  outputUsdPerToken: number,
  note?: string,
  source = LITELLM,
  date = LITELLM_DATE,
): TokenPrice => ({ unit: 'token', inputUsdPerToken, outputUsdPerToken, source, date, note });

const img = (usdPerImage: number, source: string, date: string, note?: string): ImagePrice => ({
  unit: 'image',
  usdPerImage,
  source,
  date,
  note,
});

const MIXTRAL =
  'Conflict: llmreference.com (C, 2026-04-19) says $0.20/M input; kept B over C (never under-budgets).';
const LLAMA3 = 'Naming: LiteLLM keys it replicate/meta/llama-3-*; Replicate calls it meta/meta-llama-3-*.';

/**
 * Per-token prices of Replicate's official language models and per-image prices of its official image
 * models, keyed by Replicate model id. Seed data with provenance: check replicate.com/pricing before relying
 * on a figure, and override it with `prices.models`.
 * @example
 * const price = MODEL_PRICES['meta/meta-llama-3-70b-instruct'];
 * if (price?.unit === 'token') console.log(price.inputUsdPerToken * 1e6, price.source); // 0.65 'LiteLLM …'
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'meta/meta-llama-3-70b-instruct': tok(6.5e-7, 2.75e-6, LLAMA3),
  'meta/meta-llama-3-70b': tok(6.5e-7, 2.75e-6, LLAMA3),
  'meta/meta-llama-3-8b-instruct': tok(5e-8, 2.5e-7, `${LLAMA3} LiteLLM's own test uses the same figures.`),
  'meta/meta-llama-3-8b': tok(5e-8, 2.5e-7, LLAMA3),
  'meta/meta-llama-3.1-405b-instruct': tok(
    9.5e-6,
    9.5e-6,
    'From the docs example: 8 in = $0.0000760, 43 out = $0.0004085.',
    'replicate.com/docs/billing (A)',
    'undated',
  ),
  'meta/llama-2-70b-chat': tok(6.5e-7, 2.75e-6),
  'meta/llama-2-70b': tok(6.5e-7, 2.75e-6),
  'meta/llama-2-13b-chat': tok(1e-7, 5e-7),
  'meta/llama-2-13b': tok(1e-7, 5e-7),
  'meta/llama-2-7b-chat': tok(5e-8, 2.5e-7),
  'meta/llama-2-7b': tok(5e-8, 2.5e-7),
  'mistralai/mixtral-8x7b-instruct-v0.1': tok(3e-7, 1e-6, MIXTRAL),
  'mistralai/mistral-7b-instruct-v0.2': tok(5e-8, 2.5e-7),
  'mistralai/mistral-7b-v0.1': tok(5e-8, 2.5e-7),
  'deepseek-ai/deepseek-r1': tok(
    3.75e-6,
    1e-5,
    'Reasoning tokens bill at the output price (1e-5 in LiteLLM).',
  ),
  'deepseek-ai/deepseek-v3': tok(1.45e-6, 1.45e-6),
  'deepseek-ai/deepseek-v3.1': tok(6.72e-7, 2.016e-6, 'llmreference.com (C, 2026-05-14) agrees.'),
  'anthropic/claude-3.7-sonnet': tok(3e-6, 1.5e-5),
  'anthropic/claude-3.5-sonnet': tok(3.75e-6, 1.875e-5),
  'anthropic/claude-3.5-haiku': tok(1e-6, 5e-6),
  'anthropic/claude-4-sonnet': tok(3e-6, 1.5e-5),
  'anthropic/claude-4.5-sonnet': tok(3e-6, 1.5e-5),
  'anthropic/claude-4.5-haiku': tok(1e-6, 5e-6),
  'openai/gpt-4o': tok(2.5e-6, 1e-5),
  'openai/gpt-4o-mini': tok(1.5e-7, 6e-7),
  'openai/gpt-4.1': tok(2e-6, 8e-6),
  'openai/gpt-4.1-mini': tok(4e-7, 1.6e-6),
  'openai/gpt-4.1-nano': tok(1e-7, 4e-7),
  'openai/gpt-5': tok(1.25e-6, 1e-5),
  'openai/gpt-5-mini': tok(2.5e-7, 2e-6),
  'openai/gpt-5-nano': tok(5e-8, 4e-7),
  'openai/o1': tok(1.5e-5, 6e-5),
  'openai/o1-mini': tok(1.1e-6, 4.4e-6),
  'openai/o4-mini': tok(1e-6, 4e-6),
  'openai/gpt-oss-120b': tok(1.8e-7, 7.2e-7),
  'openai/gpt-oss-20b': tok(9e-8, 3.6e-7, 'LiteLLM key is misspelled replicateopenai/gpt-oss-20b.'),
  'google/gemini-2.5-flash': tok(2.5e-6, 2.5e-6, 'Suspicious (Google direct is far cheaper): verify.'),
  'google/gemini-3-pro': tok(2e-6, 1.2e-5),
  'xai/grok-4': tok(7.2e-6, 3.6e-5),
  'qwen/qwen3-235b-a22b-instruct-2507': tok(2.64e-7, 1.06e-6),
  'ibm-granite/granite-3.3-8b-instruct': tok(3e-8, 2.5e-7),
  'black-forest-labs/flux-schnell': img(0.003, 'replicate.com model page (A); 3 sites agree (C)', '2026-05'),
  'black-forest-labs/flux-dev': img(
    0.025,
    'workflowlab.dev, cinemasetfree.com (C)',
    '2026-05-11',
    'Conflict: a README says $0.0025, but its own "$1 / 40 images" is $0.025.',
  ),
  'black-forest-labs/flux-1.1-pro': img(0.04, 'lumenfall.ai, a README (C)', 'undated'),
  'black-forest-labs/flux-1.1-pro-ultra': img(0.06, 'a README (C)', 'undated'),
  'black-forest-labs/flux-pro': img(0.055, 'replicate.com model page (A)', 'undated'),
  'stability-ai/stable-diffusion-3.5-large': img(
    0.065,
    'lumenfall.ai, langmart.ai (C)',
    'undated',
    'Conflict: one tutorial says ~$0.030; two catalogs say $0.065.',
  ),
  'stability-ai/stable-diffusion-3': img(0.035, 'replicate.com model page (A)', 'undated'),
};
